"""The OpenID Connect client of the staff login: authorization code flow with PKCE.

Why authlib's Django client (docs/decisions/0005-staff-login-oidc.md): it is
already a dependency, it does discovery, PKCE S256, state and nonce in the
session, the code exchange with client_secret_basic, and verifies the ID token
(signature against the IdP's JWKS, re-fetched on an unknown key id; iss, aud,
exp, iat, nonce) — the parts that must be right. mozilla-django-oidc would tie
the login to Django users, which most staff here do not have.

The same code runs against the local demo IdP and against Inera's IdP; only the
issuer URL differs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from joserfc.errors import JoseError

from vardnav.core.errors import DomainError
from vardnav.core.personal_number import parse_personal_number

logger = logging.getLogger(__name__)

# Discovery is cached per process for an hour; the JWKS is re-fetched by authlib
# whenever a token names a key id it does not know (key rotation).
METADATA_TTL_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
DEMO_IDP_PATH = "/demo-idp"  # vardnav.demo_idp.MOUNT_PATH; not imported, production does not install the app


class StaffLoginError(Exception):
    """A login that must end on the failure page. `reason` is a code for logs, never personal data."""

    def __init__(self, reason: str, *, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class ClientConfig:
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    timeout: int


def client_config(request: HttpRequest) -> ClientConfig:
    issuer = settings.STAFF_OIDC_ISSUER or request.build_absolute_uri(DEMO_IDP_PATH)
    return ClientConfig(
        issuer=issuer.rstrip("/"),
        client_id=settings.STAFF_OIDC_CLIENT_ID,
        client_secret=settings.STAFF_OIDC_CLIENT_SECRET,
        scope=" ".join(settings.STAFF_OIDC_SCOPES),
        timeout=settings.STAFF_OIDC_TIMEOUT_SECONDS,
    )


_clients: dict[ClientConfig, tuple[float, DjangoOAuth2App]] = {}


def _new_client(config: ClientConfig) -> DjangoOAuth2App:
    oauth = OAuth()
    oauth.register(
        name="staff",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config.scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": config.timeout,
        },
    )
    client = oauth.create_client("staff")
    metadata = client.load_server_metadata()
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked,
    # or one IdP could pass itself off as another.
    if metadata.get("issuer") != config.issuer:
        raise StaffLoginError("issuer_mismatch", status=502)
    return client


def get_client(config: ClientConfig) -> DjangoOAuth2App:
    cached = _clients.get(config)
    if cached and time.monotonic() - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    try:
        client = _new_client(config)
    except (requests.RequestException, ValueError) as exc:
        logger.warning("staff login: IdP discovery failed (%s)", type(exc).__name__)
        raise StaffLoginError("idp_unreachable", status=503) from None
    _clients[config] = (time.monotonic(), client)
    return client


def redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("staff:callback"))


def begin_login(request: HttpRequest) -> HttpResponse:
    """Redirect to the IdP; state, nonce and the PKCE verifier wait in the session."""
    config = client_config(request)
    client = get_client(config)
    return client.authorize_redirect(request, redirect_uri(request))


def complete_login(request: HttpRequest) -> dict[str, Any]:
    """Check the IdP's answer, redeem the code and return the verified ID token claims."""
    if request.GET.get("error") == "access_denied":
        # The person chose "Avbryt" at the IdP (RFC 6749 4.1.2.1): not a card problem.
        raise StaffLoginError("cancelled", status=200)
    if request.GET.get("error"):
        raise StaffLoginError("idp_error")
    config = client_config(request)
    client = get_client(config)
    claims_options = {
        "iss": {"essential": True, "value": config.issuer},
        "aud": {"essential": True, "value": config.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    try:
        token = client.authorize_access_token(request, claims_options=claims_options, leeway=CLOCK_LEEWAY_SECONDS)
    except MismatchingStateError:
        raise StaffLoginError("bad_state", status=400) from None
    except requests.RequestException as exc:
        logger.warning("staff login: token request failed (%s)", type(exc).__name__)
        raise StaffLoginError("idp_unreachable", status=503) from None
    except AuthlibBaseError as exc:
        logger.warning("staff login: IdP refused the code (%s)", getattr(exc, "error", type(exc).__name__))
        raise StaffLoginError("idp_error") from None
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        logger.warning("staff login: ID token refused (%s)", type(exc).__name__)
        raise StaffLoginError("bad_id_token") from None
    claims = token.get("userinfo")
    if not claims:
        # authlib verifies an ID token only if one came; an answer without one is no login.
        raise StaffLoginError("no_id_token")
    return dict(claims)


def personal_number_from_claims(claims: dict[str, Any]) -> str | None:
    """The staff member's own personal number, if the IdP sent one in a well-formed claim; else None."""
    name = settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM
    value = claims.get(name) if name else None
    if not isinstance(value, str):
        return None
    try:
        return parse_personal_number(value).digits12
    except DomainError:
        logger.warning("staff login: the personal-number claim is malformed; ignored")
        return None


def hsa_ids_from_claims(claims: dict[str, Any]) -> list[str]:
    """The HSA claim as a list: Inera's IdP may send one value or several."""
    value = claims.get(settings.STAFF_OIDC_HSA_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
