"""The demo IdP's OpenID Connect machinery, built on authlib's authorization server.

Why authlib's server rather than hand-written endpoints: request validation
(client, redirect URI, response type, scope), client authentication, PKCE and the
error responses of RFC 6749/7636 and OpenID Connect Core come from a maintained
library; this module only supplies storage and the one registered client. Why not
django-oauth-toolkit: it authenticates the end user with a Django login and adds
a dozen tables, where the demo needs a staff picker and two tables.

The server is built per request because the issuer is this process's own URL as
the request reached it (any host and port `make run` or a test server uses).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.django_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AuthorizationCodeGrant, ClientMixin, InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from joserfc.jwk import Key, KeySet, KeySetSerialization, RSAKey

from vardnav.core import clock
from vardnav.demo_idp import MOUNT_PATH
from vardnav.demo_idp.models import AuthorizationCode, DemoSubject, SigningKey

CODE_LIFETIME = timedelta(seconds=60)
ID_TOKEN_LIFETIME_SECONDS = 300
SCOPES = ("openid", "profile")
AUTH_METHODS = ("client_secret_basic", "client_secret_post")
ID_TOKEN_CLAIMS = ("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce")


def issuer_for(request: HttpRequest) -> str:
    return request.build_absolute_uri(MOUNT_PATH)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


# --- keys ------------------------------------------------------------------------


def signing_key() -> RSAKey:
    """The oldest key signs; a key is generated on first use and kept in the database."""
    row = SigningKey.objects.order_by("created_at", "pk").first()
    if row is None:
        key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
        kid = key.kid
        assert kid is not None, "auto_kid=True gives every generated key a kid"
        try:
            with transaction.atomic():
                SigningKey.objects.create(kid=kid, private_jwk=key.as_dict(private=True))
        except IntegrityError:
            pass
        row = SigningKey.objects.order_by("created_at", "pk").first()
        if row is None:
            raise RuntimeError("The demo IdP's signing key was neither stored nor found.")
    return RSAKey.import_key(row.private_jwk)


def public_jwks() -> KeySetSerialization:
    signing_key()  # a fresh database publishes the key it is about to sign with
    keys: list[Key] = [RSAKey.import_key(row.private_jwk) for row in SigningKey.objects.all()]
    return KeySet(keys).as_dict(private=False)


# --- the one client: Vårdnav's staff login ---------------------------------------


@dataclass(frozen=True)
class DemoClient(ClientMixin):
    """Vårdnav itself, registered with the credentials the staff login is configured with."""

    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


def registered_client(request: HttpRequest) -> DemoClient:
    """The redirect URI is the staff login's callback on the origin the IdP was reached at."""
    origin = urlsplit(request.build_absolute_uri("/"))
    return DemoClient(
        client_id=settings.STAFF_OIDC_CLIENT_ID,
        client_secret=settings.STAFF_OIDC_CLIENT_SECRET,
        redirect_uri=f"{origin.scheme}://{origin.netloc}{reverse('staff:callback')}",
    )


# --- grant and extensions --------------------------------------------------------


class DemoCodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        subject: DemoSubject = request.user
        now = clock.now()
        AuthorizationCode.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
        AuthorizationCode.objects.create(
            code_hash=hash_code(code),
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri or request.client.get_default_redirect_uri(),
            scope=request.payload.scope or "",
            nonce=data.get("nonce") or "",
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            hsa_id=subject.hsa_id,
            given_name=subject.given_name,
            family_name=subject.family_name,
            personal_number=subject.personal_number,
            auth_time=now,
            expires_at=now + CODE_LIFETIME,
        )

    def query_authorization_code(self, code: str, client: DemoClient) -> AuthorizationCode | None:
        """Claim the code atomically: of two concurrent redemptions only one finds it."""
        now = clock.now()
        claimed = AuthorizationCode.objects.filter(
            code_hash=hash_code(code),
            client_id=client.get_client_id(),
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)
        if claimed != 1:
            return None
        return AuthorizationCode.objects.get(code_hash=hash_code(code))

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        authorization_code.delete()

    def authenticate_user(self, authorization_code: AuthorizationCode) -> DemoSubject:
        return authorization_code.subject()


class RequiredS256(CodeChallenge):
    """PKCE is mandatory here and only S256 is accepted (authlib's default would allow plain)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.code_challenge_method


class DemoOpenIDCode(OpenIDCode):
    def __init__(self, issuer: str) -> None:
        super().__init__(require_nonce=True)
        self.issuer = issuer

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return AuthorizationCode.objects.filter(client_id=request.payload.client_id, nonce=nonce).exists()

    def resolve_client_private_key(self, client: DemoClient) -> RSAKey:
        return signing_key()

    def get_client_algorithm(self, client: DemoClient) -> str:
        return "RS256"

    def get_encode_header(self, client: DemoClient) -> dict[str, str]:
        return {"alg": "RS256", "kid": signing_key().kid or ""}

    def get_client_claims(self, client: DemoClient) -> dict[str, Any]:
        now = int(clock.now().timestamp())
        return {"iss": self.issuer, "aud": [client.get_client_id()], "iat": now, "exp": now + ID_TOKEN_LIFETIME_SECONDS}

    def generate_user_info(self, user: DemoSubject, scope: str) -> UserInfo:
        info = UserInfo(sub=user.sub)
        info[settings.STAFF_OIDC_HSA_CLAIM] = user.hsa_id
        if user.personal_number and settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM:
            info[settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM] = user.personal_number
        if "profile" in scope.split() and (user.given_name or user.family_name):
            info["given_name"] = user.given_name
            info["family_name"] = user.family_name
            info["name"] = f"{user.given_name} {user.family_name}".strip()
        return info


class DemoAuthorizationServer(AuthorizationServer):
    def __init__(self, client: DemoClient) -> None:
        super().__init__(client_model=None, token_model=None)
        self.client = client

    def query_client(self, client_id: str) -> DemoClient | None:
        return self.client if client_id == self.client.client_id else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """The access token is never accepted anywhere (no userinfo endpoint), so nothing is stored."""
        return None


def build_server(request: HttpRequest) -> DemoAuthorizationServer:
    server = DemoAuthorizationServer(registered_client(request))
    server.register_grant(DemoCodeGrant, [RequiredS256(required=True), DemoOpenIDCode(issuer_for(request))])
    return server


def discovery_document(request: HttpRequest) -> dict[str, Any]:
    issuer = issuer_for(request)
    return {
        "issuer": issuer,
        "authorization_endpoint": request.build_absolute_uri(reverse("demo_idp:authorize")),
        "token_endpoint": request.build_absolute_uri(reverse("demo_idp:token")),
        "jwks_uri": request.build_absolute_uri(reverse("demo_idp:jwks")),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            *ID_TOKEN_CLAIMS,
            settings.STAFF_OIDC_HSA_CLAIM,
            *([settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM] if settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM else []),
            "given_name",
            "family_name",
            "name",
        ],
    }
