"""The demo IdP is a real OpenID Connect provider: PKCE, single-use codes, signed ID tokens.

Spoken to over real HTTP on pytest-django's live server, as the staff login's
client speaks to it; and refused in production.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.production import production_env
from vardnav.identity.tests.test_staff_login import csrf_from, grant, make_staff, make_unit
from vardnav.organizations.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def base_url(live_server: Any) -> str:
    return live_server.url


def authorize_params(base_url: str, verifier: str, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": settings.STAFF_OIDC_CLIENT_ID,
        "redirect_uri": f"{base_url}/personal/logga-in/retur/",
        "scope": "openid profile",
        "state": secrets.token_urlsafe(12),
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


def get_code(base_url: str, hsa_id: str, params: dict[str, str]) -> str:
    browser = requests.Session()
    page = browser.get(f"{base_url}/demo-idp/authorize", params=params)
    assert page.status_code == 200
    answer = browser.post(
        page.url,
        data={"csrfmiddlewaretoken": csrf_from(page), "hsa_id": hsa_id},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == params["redirect_uri"]
    query = parse_qs(location.query)
    assert query["state"] == [params["state"]]
    return query["code"][0]


def redeem(base_url: str, code: str, verifier: str, *, secret: str | None = None) -> requests.Response:
    return requests.post(
        f"{base_url}/demo-idp/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": f"{base_url}/personal/logga-in/retur/",
            "code_verifier": verifier,
        },
        auth=(settings.STAFF_OIDC_CLIENT_ID, secret or settings.STAFF_OIDC_CLIENT_SECRET),
        timeout=10,
    )


def test_the_discovery_document_names_the_endpoints_and_pkce_s256(base_url):
    document = requests.get(f"{base_url}/demo-idp/.well-known/openid-configuration", timeout=10).json()

    assert document["issuer"] == f"{base_url}/demo-idp"
    assert document["token_endpoint"] == f"{base_url}/demo-idp/token"
    assert document["jwks_uri"] == f"{base_url}/demo-idp/jwks"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]


def test_the_idp_issues_an_rs256_id_token_that_verifies_against_its_jwks(base_url):
    staff = make_staff("SE2321000016-15CQ", given_name="Sara", surname="Nilsson")
    verifier = secrets.token_urlsafe(48)
    params = authorize_params(base_url, verifier)

    answer = redeem(base_url, get_code(base_url, staff.hsa_id, params), verifier)

    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    keys = KeySet.import_key_set(requests.get(f"{base_url}/demo-idp/jwks", timeout=10).json())
    assert all("d" not in key.as_dict() for key in keys.keys)  # no private parts published
    token = jwt.decode(answer.json()["id_token"], keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    claims = token.claims
    assert claims["iss"] == f"{base_url}/demo-idp"
    assert claims["aud"] == [settings.STAFF_OIDC_CLIENT_ID]
    assert claims["nonce"] == params["nonce"]
    assert claims["employeeHsaId"] == staff.hsa_id
    assert claims["name"] == "Sara Nilsson"
    assert claims["sub"] != staff.hsa_id
    assert claims["iat"] < claims["exp"] <= claims["iat"] + 600


def test_the_idp_refuses_a_wrong_pkce_verifier(base_url):
    staff = make_staff("SE2321000016-15CQ")
    verifier = secrets.token_urlsafe(48)
    code = get_code(base_url, staff.hsa_id, authorize_params(base_url, verifier))

    answer = redeem(base_url, code, secrets.token_urlsafe(48))

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "id_token" not in answer.json()


def test_the_idp_refuses_a_code_used_twice(base_url):
    staff = make_staff("SE2321000016-15CQ")
    verifier = secrets.token_urlsafe(48)
    code = get_code(base_url, staff.hsa_id, authorize_params(base_url, verifier))

    first = redeem(base_url, code, verifier)
    second = redeem(base_url, code, verifier)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"


def test_the_idp_refuses_a_code_older_than_a_minute(base_url):
    staff = make_staff("SE2321000016-15CQ")
    verifier = secrets.token_urlsafe(48)
    code = get_code(base_url, staff.hsa_id, authorize_params(base_url, verifier))

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        answer = redeem(base_url, code, verifier)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_the_idp_refuses_a_wrong_client_secret(base_url):
    staff = make_staff("SE2321000016-15CQ")
    verifier = secrets.token_urlsafe(48)
    code = get_code(base_url, staff.hsa_id, authorize_params(base_url, verifier))

    answer = redeem(base_url, code, verifier, secret="not-the-secret")

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": "", "code_challenge_method": ""},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": ""},
        {"nonce": ""},
    ],
    ids=["no-pkce", "plain-pkce", "pkce-without-method", "no-nonce"],
)
def test_the_idp_sends_an_authorization_request_without_pkce_s256_or_nonce_back(base_url, overrides):
    params = authorize_params(base_url, secrets.token_urlsafe(48), **overrides)

    answer = requests.get(f"{base_url}/demo-idp/authorize", params=params, allow_redirects=False, timeout=10)

    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_the_idp_never_redirects_to_an_unregistered_address(base_url):
    params = authorize_params(base_url, secrets.token_urlsafe(48), redirect_uri="https://evil.example/steal")

    answer = requests.get(f"{base_url}/demo-idp/authorize", params=params, allow_redirects=False, timeout=10)

    assert answer.status_code == 400
    assert "evil.example" not in answer.headers.get("Location", "")


def test_the_idp_login_page_lists_demo_staff_with_profession_and_hsa_id(base_url):
    make_staff("SE2321000016-15CQ", given_name="Sara", surname="Nilsson")

    page = requests.get(
        f"{base_url}/demo-idp/authorize", params=authorize_params(base_url, secrets.token_urlsafe(48)), timeout=10
    )

    assert "Demo-inloggning för personal (ersätter SITHS-kort)" in page.text
    assert "Sara Nilsson" in page.text
    assert "Sjuksköterska" in page.text
    assert "SE2321000016-15CQ" in page.text


def run_check(**env: str) -> subprocess.CompletedProcess:
    environ = production_env(**env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEMO_IDP_ENABLED)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "DJANGO_SETTINGS_MODULE": "vardnav.settings", "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_runs_without_the_demo_idp():
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("switch", [{"VARDNAV_DEMO_IDP": "true"}, {"VARDNAV_DEMO": "true"}])
def test_production_refuses_to_start_with_the_demo_idp(switch):
    result = run_check(**switch)

    assert result.returncode != 0
    assert "demo IdP must not run in production" in result.stderr


def test_production_refuses_a_staff_issuer_without_https():
    result = run_check(STAFF_OIDC_ISSUER="http://idp.example.se")

    assert result.returncode != 0
    assert "STAFF_OIDC_ISSUER" in result.stderr


def test_the_demo_login_page_groups_staff_by_unit_and_role(base_url):
    """A tester looking for "a receiver" or "a doctor" at a unit finds them under that heading."""
    north = make_unit("Vårdcentralen Norr", "SE2321000016-U001")
    receiver = make_staff("SE2321000016-15CQ", given_name="Rut", surname="Mottagare")
    doctor = make_staff("SE2321000016-15CR", given_name="Dag", surname="Doktorsson")
    grant(receiver, north, Role.RECEIVER)
    grant(doctor, north, Role.HANDLER)
    make_staff("SE2321000016-15CS", given_name="Ada", surname="Admin")

    page = requests.get(
        f"{base_url}/demo-idp/authorize", params=authorize_params(base_url, secrets.token_urlsafe(48)), timeout=10
    ).text

    unit_section = page[page.index("Vårdcentralen Norr") :]
    receivers = unit_section.index("Ärendemottagare")
    handlers = unit_section.index("Ärendehanterare")
    assert receivers < unit_section.index("Rut Mottagare") < handlers < unit_section.index("Dag Doktorsson")
    without = page.index("Utan roll på någon enhet")
    assert page.index("Ada Admin") > without
