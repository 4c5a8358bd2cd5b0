"""The staff login's OIDC client refuses ID tokens it cannot trust.

A small hostile IdP runs on a real local HTTP server in a thread; it answers the
real client code (the same code that talks to Inera's IdP) with tokens that are
tampered, carry a wrong nonce, audience or issuer, have expired, are unsigned, or
are missing. The honest mode proves the set-up itself logs in.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests import personas
from vardnav.identity.session import SESSION_KEY
from vardnav.organizations.models import Profession, Role, Staff

pytestmark = pytest.mark.django_db

HSA_ID = "SE2321000016-15CQ"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class HostileIdp:
    """Discovery, JWKS, an authorize endpoint that approves at once, and a token endpoint per `mode`."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.key = RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)
        self.nonces: dict[str, str] = {}
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def send_json(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self.send_json(200, idp.discovery())
                elif url.path == "/jwks":
                    self.send_json(200, {"keys": [idp.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    code = secrets.token_urlsafe(16)
                    idp.nonces[code] = query.get("nonce", "")
                    self.send_response(302)
                    self.send_header(
                        "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                    )
                    self.end_headers()
                else:
                    self.send_json(404, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                nonce = idp.nonces.pop(form.get("code", ""), None)
                if nonce is None or idp.mode == "token_error":
                    self.send_json(400, {"error": "invalid_grant"})
                    return
                self.send_json(200, idp.token_response(nonce))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": "https://some-other-idp.example" if self.mode == "issuer_mismatch" else self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def token_response(self, nonce: str) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": django_settings.STAFF_OIDC_CLIENT_ID,
            "sub": "opaque-subject-1",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "employeeHsaId": HSA_ID,
        }
        if self.mode == "wrong_nonce":
            claims["nonce"] = "a-nonce-from-another-login"
        elif self.mode == "missing_nonce":
            del claims["nonce"]
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.mode == "wrong_issuer":
            claims["iss"] = "https://some-other-idp.example"
        elif self.mode == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        header = {"alg": "RS256", "kid": self.key.kid}
        id_token = jwt.encode(header, claims, self.key)
        if self.mode == "tampered_signature":
            # Same signature, different payload: another staff member's HSA-id.
            head, _payload, signature = id_token.split(".")
            forged = b64url(json.dumps({**claims, "employeeHsaId": "SE2321000016-OTHER"}).encode())
            id_token = f"{head}.{forged}.{signature}"
        elif self.mode == "unsigned":
            id_token = f"{b64url(json.dumps({'alg': 'none'}).encode())}.{b64url(json.dumps(claims).encode())}."
        elif self.mode == "foreign_key":
            stranger = RSAKey.generate_key(2048, parameters={"alg": "RS256"}, auto_kid=True)
            id_token = jwt.encode(header, claims, stranger)
        response = {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300}
        if self.mode != "no_id_token":
            response["id_token"] = id_token
        return response

    def __enter__(self) -> HostileIdp:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def staff_member(db: Any) -> Staff:
    provider = personas.make_provider("Region Test", "region-test")
    unit = personas.make_unit(provider, "Vårdcentralen Norr", "SE2321000016-U001", slug="norr")
    staff = personas.make_staff(provider, HSA_ID, "Sara", Profession.NURSE, surname="Nilsson")
    personas.make_staff(provider, "SE2321000016-OTHER", "Per", Profession.DOCTOR, surname="Ek")
    personas.grant(staff, unit, Role.HANDLER)
    return staff


@pytest.fixture
def idp_factory(settings: Any) -> Iterator[Any]:
    started: list[HostileIdp] = []

    def start(mode: str) -> HostileIdp:
        idp = HostileIdp(mode).__enter__()
        started.append(idp)
        settings.STAFF_OIDC_ISSUER = idp.issuer
        return idp

    yield start
    for idp in started:
        idp.__exit__(None, None, None)


def log_in(client: Any) -> Any:
    """The browser's part: Vårdnav → IdP → back to Vårdnav's callback."""
    to_idp = client.get("/personal/logga-in/starta/")
    assert to_idp.status_code == 302
    back = requests.get(to_idp["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_the_hostile_idp_in_honest_mode_logs_the_staff_member_in(client, staff_member, idp_factory):
    idp_factory("honest")

    response = log_in(client)

    assert response.status_code == 302
    assert client.session[SESSION_KEY]["staff_id"] == staff_member.pk


@pytest.mark.rule("ID-5")
@pytest.mark.parametrize(
    "mode",
    [
        "tampered_signature",
        "foreign_key",
        "unsigned",
        "wrong_nonce",
        "missing_nonce",
        "wrong_audience",
        "wrong_issuer",
        "expired",
        "no_id_token",
        "token_error",
    ],
)
def test_an_id_token_that_cannot_be_trusted_is_refused(client, staff_member, idp_factory, mode):
    idp_factory(mode)

    response = log_in(client)

    assert response.status_code == 403
    assert "Inloggningen misslyckades" in response.content.decode()
    assert "test.siths.se" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.rule("ID-5")
def test_an_idp_whose_discovery_names_another_issuer_is_refused(client, staff_member, idp_factory):
    idp_factory("issuer_mismatch")

    response = client.get("/personal/logga-in/starta/")

    assert response.status_code == 502
    assert "Inloggningen misslyckades" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_authorization_request_uses_pkce_s256_and_a_nonce(client, staff_member, idp_factory):
    idp_factory("honest")

    query = parse_qs(urlsplit(client.get("/personal/logga-in/starta/")["Location"]).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0]
    assert "openid" in query["scope"][0].split()
