"""Staff log in through OpenID Connect against the demo IdP over real HTTP, then choose a unit.

The IdP runs in pytest-django's live server (a real threaded HTTP server); the
browser is a `requests` session with its own cookie jar, and the OIDC client code
in the server fetches discovery, JWKS and the token over HTTP exactly as it does
against Inera's IdP.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

import pytest
import requests
from django.conf import settings

from tests import personas
from vardnav.audit.models import AuditEntry
from vardnav.identity.session import SESSION_KEY
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import CareProvider, Profession, Role, RoleGrant, Staff, Unit

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- test data (the shared builders of tests/personas.py, all staff at one provider) ---------


def make_provider(slug: str = "region-test") -> CareProvider:
    return CareProvider.objects.filter(slug=slug).first() or personas.make_provider("Region Test", slug)


def make_unit(name: str, hsa_id: str, provider: CareProvider | None = None) -> Unit:
    return personas.make_unit(provider or make_provider(), name, hsa_id)


def make_staff(hsa_id: str, *, given_name: str = "Sara", surname: str = "Nilsson") -> Staff:
    return personas.make_staff(make_provider(), hsa_id, given_name, Profession.NURSE, surname=surname)


def grant(staff: Staff, unit: Unit, role: str) -> RoleGrant:
    return personas.grant(staff, unit, role)


# --- the browser ------------------------------------------------------------------


@pytest.fixture
def base_url(live_server: Any, settings: Any) -> str:
    settings.STAFF_OIDC_ISSUER = f"{live_server.url}/demo-idp"
    return live_server.url


@pytest.fixture
def browser() -> requests.Session:
    with requests.Session() as session:
        yield session


def csrf_from(page: requests.Response) -> str:
    match = CSRF_RE.search(page.text)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(browser: requests.Session, page: requests.Response, url: str, data: dict[str, str]) -> requests.Response:
    return browser.post(url, data={"csrfmiddlewaretoken": csrf_from(page), **data}, headers={"Referer": page.url})


def log_in(browser: requests.Session, base_url: str, hsa_id: str) -> requests.Response:
    """Start at Vårdnav, pick the staff member at the demo IdP, follow the redirects home."""
    idp_page = browser.get(f"{base_url}/personal/logga-in/starta/")
    assert idp_page.status_code == 200
    assert idp_page.url.startswith(f"{base_url}/demo-idp/authorize?")
    assert "Demo-inloggning för personal (ersätter SITHS-kort)" in idp_page.text
    return post_form(browser, idp_page, idp_page.url, {"hsa_id": hsa_id})


def session_identity(browser: requests.Session) -> dict[str, Any] | None:
    key = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return store.load().get(SESSION_KEY)


# --- logging in -------------------------------------------------------------------


@pytest.mark.rule("ID-5")
def test_a_staff_member_logs_in_through_the_idp_and_gets_a_staff_session(base_url, browser):
    staff = make_staff("SE2321000016-15CQ", given_name="Sara", surname="Nilsson")
    unit = make_unit("Vårdcentralen Norr", "SE2321000016-U001")
    grant(staff, unit, Role.HANDLER)
    idp_page = browser.get(f"{base_url}/personal/logga-in/starta/")
    pre_login_key = browser.cookies.get(settings.SESSION_COOKIE_NAME)  # holds state, nonce, PKCE verifier
    assert pre_login_key

    home = post_form(browser, idp_page, idp_page.url, {"hsa_id": staff.hsa_id})

    assert home.status_code == 200
    assert home.url == f"{base_url}/personal/"
    identity = session_identity(browser)
    assert identity["kind"] == "staff"
    assert identity["staff_id"] == staff.pk
    assert identity["provider_id"] == staff.provider_id
    assert identity["auth_method"] == "oidc"
    # Exactly one unit and role: chosen without asking.
    assert identity["unit_id"] == unit.pk
    assert identity["role"] == Role.HANDLER
    assert browser.cookies.get(settings.SESSION_COOKIE_NAME) != pre_login_key  # no session fixation
    assert "Sara Nilsson" in home.text
    assert "Vårdcentralen Norr" in home.text
    assert "Ärendehanterare" in home.text
    assert AuditEntry.objects.filter(action="staff_login", actor_staff_id=staff.pk).count() == 1


def test_a_staff_member_with_a_django_user_is_logged_in_to_django_too(base_url, browser, django_user_model):
    staff = make_staff("SE2321000016-ADM1")
    staff.user = django_user_model.objects.create_user(username="admin-sara", is_staff=True)
    staff.save(update_fields=["user"])
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.UNIT_ADMIN)

    log_in(browser, base_url, staff.hsa_id)

    # Logged in to Django too, but the admin is the platform superuser's only (issue 11, item 13).
    admin = browser.get(f"{base_url}/admin/", allow_redirects=False)
    assert admin.status_code == 302 and admin.headers["Location"].startswith("/admin/login/")
    assert browser.get(f"{base_url}/admin/login/").status_code == 200
    assert "admin-sara" in browser.get(f"{base_url}/admin/login/").text


def test_a_staff_member_with_roles_at_two_units_must_choose(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")
    north = make_unit("Vårdcentralen Norr", "SE2321000016-U001")
    south = make_unit("Vårdcentralen Söder", "SE2321000016-U002")
    grant(staff, north, Role.RECEIVER)
    grant(staff, south, Role.HANDLER)
    grant(staff, south, Role.RECEIVER)

    choice = log_in(browser, base_url, staff.hsa_id)

    assert choice.url == f"{base_url}/personal/valj-enhet/"
    assert "Vårdcentralen Norr" in choice.text and "Vårdcentralen Söder" in choice.text
    assert session_identity(browser)["unit_id"] is None
    assert browser.get(f"{base_url}/personal/").url == f"{base_url}/personal/valj-enhet/"

    home = post_form(browser, choice, choice.url, {"unit": str(south.pk), "role": Role.RECEIVER})

    assert home.url == f"{base_url}/personal/"
    identity = session_identity(browser)
    assert (identity["unit_id"], identity["role"]) == (south.pk, Role.RECEIVER)
    assert "Vårdcentralen Söder" in home.text and "Ärendemottagare" in home.text

    # Changing unit later, from the staff layout's "Byt enhet".
    again = browser.get(f"{base_url}/personal/valj-enhet/")
    post_form(browser, again, again.url, {"unit": str(north.pk), "role": Role.RECEIVER})
    assert session_identity(browser)["unit_id"] == north.pk


@pytest.mark.rule("ORG-4")
def test_choosing_a_unit_or_role_the_staff_member_does_not_hold_is_not_found(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")
    north = make_unit("Vårdcentralen Norr", "SE2321000016-U001")
    south = make_unit("Vårdcentralen Söder", "SE2321000016-U002")
    elsewhere = make_unit("Vårdcentralen Väster", "SE2321000016-U003")
    grant(staff, north, Role.HANDLER)
    grant(staff, south, Role.HANDLER)
    grant(make_staff("SE2321000016-OTHER", given_name="Per"), elsewhere, Role.RECEIVER)
    choice = log_in(browser, base_url, staff.hsa_id)

    not_held_unit = post_form(browser, choice, choice.url, {"unit": str(elsewhere.pk), "role": Role.RECEIVER})
    not_held_role = post_form(browser, choice, choice.url, {"unit": str(north.pk), "role": Role.RECEIVER})
    no_such_unit = post_form(browser, choice, choice.url, {"unit": "999999", "role": Role.HANDLER})

    assert not_held_unit.status_code == 404
    assert not_held_role.status_code == 404
    assert no_such_unit.status_code == 404
    assert session_identity(browser)["unit_id"] is None


def test_a_staff_member_without_roles_is_told_to_ask_the_head_of_unit(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")

    page = log_in(browser, base_url, staff.hsa_id)

    assert page.url == f"{base_url}/personal/valj-enhet/"
    assert "ingen behörighet" in page.text
    assert "verksamhetschefen" in page.text
    assert session_identity(browser)["unit_id"] is None


def test_logging_out_ends_the_session(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.HANDLER)
    home = log_in(browser, base_url, staff.hsa_id)

    page = post_form(browser, home, f"{base_url}/personal/logga-ut/", {})

    assert page.url == f"{base_url}/personal/logga-in/"
    assert "Du är utloggad" in page.text
    assert session_identity(browser) is None
    assert browser.get(f"{base_url}/personal/").url == f"{base_url}/personal/logga-in/"


# --- failed logins (ID-5) ---------------------------------------------------------

TROUBLESHOOTING = [
    "Ta ut e-tjänstekortet ur kortläsaren.",
    "Stäng ner webbläsaren.",
    "Sätt i e-tjänstekortet i kortläsaren på nytt.",
    "Läs in kortet på nytt",
    "Vänta cirka 1 minut",
    "starta om datorn",
    "på en annan dator",
    "test.siths.se",
    "lokala IT-supporten",
    "felanmälan till supporten",
]


def assert_failure_page(page: requests.Response | Any) -> None:
    text = page.text if isinstance(page, requests.Response) else page.content.decode()
    assert "Inloggningen misslyckades" in text
    steps = text[text.index("<ol") : text.index("</ol>")]
    position = 0
    for step in TROUBLESHOOTING:
        found = steps.find(step, position)
        assert found >= 0, f"missing or out of order: {step}"
        position = found + len(step)


@pytest.mark.rule("ID-5")
def test_an_unknown_hsa_id_shows_the_troubleshooting_steps_and_creates_no_session(base_url, browser):
    make_staff("SE2321000016-15CQ")

    page = log_in(browser, base_url, "SE2321000016-NOSUCH1")

    assert page.status_code == 403
    assert page.url.startswith(f"{base_url}/personal/logga-in/retur/")
    assert_failure_page(page)
    assert session_identity(browser) is None
    assert browser.get(f"{base_url}/personal/").url == f"{base_url}/personal/logga-in/"
    assert not AuditEntry.objects.filter(action="staff_login").exists()


@pytest.mark.rule("ID-5")
def test_an_inactive_staff_member_cannot_log_in(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.HANDLER)
    do_update_staff(personas.SYSTEM, staff, is_active=False)  # deactivated after getting a role

    page = log_in(browser, base_url, staff.hsa_id)

    assert page.status_code == 403
    assert_failure_page(page)
    assert session_identity(browser) is None


def test_cancelling_at_the_idp_returns_to_the_login_page_without_card_troubleshooting(base_url, browser):
    idp_page = browser.get(f"{base_url}/personal/logga-in/starta/")

    page = post_form(browser, idp_page, idp_page.url, {"cancel": "1"})

    assert page.status_code == 200
    assert "Inloggningen avbröts" in page.text and "Logga in med e-tjänstekort" in page.text
    assert "Inloggningen misslyckades" not in page.text
    assert not any(step in page.text for step in TROUBLESHOOTING)
    assert session_identity(browser) is None


def test_the_unit_choice_says_what_the_staff_member_actually_holds(base_url, browser):
    staff = make_staff("SE2321000016-15CQ")
    north = make_unit("Vårdcentralen Norr", "SE2321000016-U001")
    grant(staff, north, Role.RECEIVER)
    grant(staff, north, Role.HANDLER)

    choice = log_in(browser, base_url, staff.hsa_id)

    assert "flera roller på Vårdcentralen Norr" in choice.text
    assert "flera enheter" not in choice.text

    RoleGrant.objects.filter(staff=staff, role=Role.HANDLER).delete()
    single = browser.get(f"{base_url}/personal/valj-enhet/")
    assert "Du har en roll: Ärendemottagare på Vårdcentralen Norr" in single.text
    assert "flera" not in single.text


@pytest.mark.rule("ID-5")
def test_a_callback_with_a_state_this_browser_never_sent_is_refused(base_url, browser):
    """Login CSRF: another browser's code and state must not log this one in."""
    staff = make_staff("SE2321000016-15CQ")
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.HANDLER)
    attacker = requests.Session()
    idp_page = attacker.get(f"{base_url}/personal/logga-in/starta/")
    redirect = attacker.post(
        idp_page.url,
        data={"csrfmiddlewaretoken": csrf_from(idp_page), "hsa_id": staff.hsa_id},
        headers={"Referer": idp_page.url},
        allow_redirects=False,
    )
    callback_url = redirect.headers["Location"]

    page = browser.get(callback_url)

    assert page.status_code == 400
    assert_failure_page(page)
    assert session_identity(browser) is None


@pytest.mark.rule("ID-5")
def test_an_unreachable_idp_shows_the_failure_page(client, settings, db):
    settings.STAFF_OIDC_ISSUER = "http://127.0.0.1:9/unreachable-idp"  # discard port: nothing listens
    settings.STAFF_OIDC_TIMEOUT_SECONDS = 2

    page = client.get("/personal/logga-in/starta/")

    assert page.status_code == 503
    assert_failure_page(page)
    assert SESSION_KEY not in client.session


def test_staff_pages_send_anonymous_visitors_to_the_login_page(client, db):
    assert client.get("/personal/")["Location"] == "/personal/logga-in/"
    assert client.get("/personal/valj-enhet/")["Location"] == "/personal/logga-in/"
    assert client.post("/personal/valj-enhet/", {"unit": "1", "role": "handler"})["Location"] == "/personal/logga-in/"
