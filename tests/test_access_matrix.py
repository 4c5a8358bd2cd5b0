"""The access matrix: every endpoint × every persona → the answer it must get.

Every Django URL pattern (pages) and every /api/v1 operation (from the OpenAPI
document) must have a row in ACCESS_TABLE; a new endpoint without one fails
`test_every_endpoint_has_a_row_in_the_access_table`, so nothing escapes review
of who may reach it (the pattern of an explicit allow-list per endpoint and role).

Adding a row:
    Row("GET /api/v1/cases/{case_id}",              # API: "METHOD /path/template" as in openapi.json
        expect(UNAUTHENTICATED, resident_a=OK, resident_b=NOT_FOUND, …),
        url=lambda world, persona: f"/api/v1/cases/{world.obj('case_of_resident_a').pk}")
    Row("organizations:unit_detail",                  # page: the URL name with namespace
        expect(OK), url=lambda world, persona: f"/mottagningar/{world.obj('unit_x').slug}/")
`expect(default, **per_persona)` names the outcome for everyone, then the
exceptions. `url` builds the path for a persona from fixtures (`world.obj(name)`
is any fixture: a persona of tests/personas.py by its name, or a fixture of
this module); build it from *another* person's object to
check "not yours" (the same 404 as "does not exist"). `method`/`data` send a
write. Pages are keyed by URL name; an unnamed pattern by "route <pattern>".

Personas log in by writing the session directly (tests/sessions.py): the logins
themselves are tested in identity/tests and the browser journeys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.sessions import identity_for, log_in_client

pytestmark = pytest.mark.django_db

# --- outcomes -----------------------------------------------------------------
OK = 200
CREATED = 201
LOGIN = "302→login"  # a page that sends the logged-out visitor to a login page
REDIRECT = "302"  # any other redirect
UNAUTHENTICATED = 401
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
INVALID = 422  # got past authentication and authorization, then the (empty) input was refused

LOGIN_PATHS = ("/logga-in/", "/personal/logga-in/", "/admin/login/")

# --- personas -----------------------------------------------------------------
# Persona → the fixture it is (None: not logged in): the shared personas of tests/personas.py.
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "resident_a": "resident_a",
    "resident_b": "resident_b",
    "guardian": "guardian",
    # A 14-year-old cannot log in with their own BankID (ID-2): every answer they
    # can get is the anonymous visitor's, so the column copies "anonymous" unless
    # a row says otherwise. The login refusal itself is tested in identity/tests.
    "child_14": None,
    "receiver_x": "receiver_x",
    "handler_x": "handler_x",
    "handler_y": "handler_y",
    "provider_admin_other": "provider_admin_other",
}


def expect(default: Any, **per_persona: Any) -> dict[str, Any]:
    unknown = set(per_persona) - set(PERSONAS)
    assert not unknown, f"unknown personas {sorted(unknown)}"
    table = dict.fromkeys(PERSONAS, default)
    table.update(per_persona)
    if "child_14" not in per_persona:
        table["child_14"] = table["anonymous"]
    return table


@pytest.fixture(autouse=True)
def _prescription_renewal(world: Any) -> None:
    """The provider offers prescription renewal, so a listed resident's "Förnya recept" page opens."""
    from tests.personas import make_service
    from vardnav.catalog.models import ServiceKind
    from vardnav.demo.services import DEMO_SERVICES

    content = DEMO_SERVICES[ServiceKind.PRESCRIPTION_RENEWAL]
    make_service(world.provider, ServiceKind.PRESCRIPTION_RENEWAL, items=content["items"], **content["settings"])


class World:
    """Fixture objects for URL factories, created on first use.

    `obj(name)` is any fixture: the personas of tests/personas.py by their
    names (tests/fixtures.py makes each one a fixture of `world`), or a
    fixture of this module.
    """

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def obj(self, fixture_name: str) -> Any:
        return self._request.getfixturevalue(fixture_name)

    def identity(self, persona: str) -> dict[str, Any] | None:
        fixture_name = PERSONAS[persona]
        return identity_for(self.obj(fixture_name)) if fixture_name else None


@dataclass(frozen=True)
class Row:
    endpoint: str  # "METHOD /api/v1/…" for API operations; the URL name for pages
    expected: dict[str, Any]
    url: Callable[[World, str], str] | None = None  # default: the endpoint's own path
    method: str | None = None  # default: from the endpoint key, else GET
    data: dict[str, Any] | None = None
    note: str = ""

    def is_api(self) -> bool:
        return self.endpoint.split(" ", 1)[0] in HTTP_METHODS

    def request_method(self) -> str:
        return self.method or (self.endpoint.split(" ", 1)[0] if self.is_api() else "GET")

    def path(self, world: World, persona: str) -> str:
        if self.url is not None:
            return self.url(world, persona)
        if self.is_api():
            return self.endpoint.split(" ", 1)[1]
        raise AssertionError(f"row {self.endpoint!r} needs url= (a URL name is not a path)")


HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

# --- the table ----------------------------------------------------------------
RESIDENTS = ("resident_a", "resident_b", "guardian")
STAFF = ("receiver_x", "handler_x", "handler_y", "provider_admin_other")
UNIT_STAFF = ("receiver_x", "handler_x", "handler_y")  # staff with a role at a unit
NO_SUCH_ID = 999_999_999  # an object that does not exist: the same 404 as "not yours"
NO_SUCH_ORDER = "00000000-0000-0000-0000-000000000000"


def for_(personas: tuple[str, ...], outcome: Any) -> dict[str, Any]:
    return dict.fromkeys(personas, outcome)


def resident_api(ok: Any = OK) -> dict[str, Any]:
    """A /api/v1/me… operation: residents (and guardians) only; staff and anonymous get 401."""
    return expect(UNAUTHENTICATED, **for_(RESIDENTS, ok))


def resident_page() -> dict[str, Any]:
    """A resident's page: residents see it, everyone else is sent to a login page."""
    return expect(LOGIN, **for_(RESIDENTS, OK))


def staff_page(provider_admin: Any = OK) -> dict[str, Any]:
    return expect(LOGIN, **for_(UNIT_STAFF, OK), provider_admin_other=provider_admin)


def settings_page(provider_admin: Any) -> dict[str, Any]:
    """A page of the staff settings area: other staff get the 403 page, the logged-out the login."""
    return expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=provider_admin)


def _own_unit_settings(suffix: str) -> Callable[[World, str], str]:
    """A unit's settings page: provider_admin_other's own provider's unit, unit_x for everyone else."""

    def build(world: World, persona: str) -> str:
        unit = world.obj("other_unit" if persona == "provider_admin_other" else "unit_x")
        return f"/personal/installningar/mottagningar/{unit.pk}/{suffix}"

    return build


def _own_unit_booking_settings(suffix: str) -> Callable[[World, str], str]:
    """A unit's booking settings page (branch bookset): provider_admin_other's own unit, unit_x for everyone else."""

    def build(world: World, persona: str) -> str:
        unit = world.obj("other_unit" if persona == "provider_admin_other" else "unit_x")
        return f"/personal/tidbok/installningar/mottagningar/{unit.pk}/{suffix}"

    return build


def _own_unit_booking_settings_api(suffix: str) -> Callable[[World, str], str]:
    """A unit's booking settings in the API, the same units as _own_unit_booking_settings."""

    def build(world: World, persona: str) -> str:
        unit = world.obj("other_unit" if persona == "provider_admin_other" else "unit_x")
        return f"/api/v1/staff/bookings/settings/units/{unit.pk}{suffix}"

    return build


def booking_settings_api(provider_admin: Any) -> dict[str, Any]:
    """The booking settings API: staff who keep no booking settings get 403, everyone else 401."""
    return expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=provider_admin)


def _service_settings(suffix: str) -> Callable[[World, str], str]:
    """A questionnaire page of the provider's certificate service (not provider_admin_other's)."""
    return lambda world, persona: f"/personal/installningar/formular/{world.obj('open_service').pk}/{suffix}"


def path(template: str) -> Callable[[World, str], str]:
    """A URL factory filling {unit_slug}, {unit_id} (unit_x), {id} and {order} (ids that do not exist)."""

    def build(world: World, persona: str) -> str:
        unit = world.obj("unit_x") if "{unit" in template else None
        return template.format(
            unit_slug=unit.slug if unit else "",
            unit_id=unit.pk if unit else "",
            id=NO_SUCH_ID,
            order=NO_SUCH_ORDER,
        )

    return build


ACCESS_TABLE: list[Row] = [
    # --- public pages -----------------------------------------------------------
    Row("start", expect(OK), url=path("/")),
    Row("favicon", expect(REDIRECT), url=path("/favicon.ico"), note="301 to the static icon"),
    Row("organizations:unit_list", expect(OK), url=path("/mottagningar/")),
    Row("organizations:unit_detail", expect(OK), url=path("/mottagningar/{unit_slug}/")),
    Row("prescriptions:search", expect(OK), url=path("/recept/sok/"), note="drug register search, public data"),
    Row("notifications:support", expect(OK), url=path("/support/")),
    Row("notifications:support_sent", expect(OK), url=path("/support/skickat/")),
    # --- the demo app's pages (installed only in demo mode and tests) -------------------
    Row("demo:outbox", expect(OK), url=path("/demo/utskick/"), note="demo only (VARDNAV_DEMO)"),
    Row("demo:mailbox", expect(OK), url=path("/demo/e-post/"), note="demo only: the SMTP sink's mail"),
    Row(
        "admin:index",
        expect(LOGIN),
        url=path("/admin/"),
        note="Django admin: the platform superuser's only; provider_admin_other's Django user gets its login too",
    ),
    # --- resident login (BankID) ---------------------------------------------------
    Row("identity:login", expect(OK, **for_(RESIDENTS, REDIRECT)), url=path("/logga-in/"), note="logged in: to start"),
    Row("identity:login_qr", expect(NOT_FOUND), url=path("/logga-in/qr/"), note="no order running"),
    Row("identity:login_status", expect(NOT_ALLOWED), url=path("/logga-in/status/"), note="POST only"),
    Row("identity:login_cancel", expect(NOT_ALLOWED), url=path("/logga-in/avbryt/"), note="POST only"),
    Row("identity:logout", expect(NOT_ALLOWED), url=path("/logga-ut/"), note="POST only"),
    Row("identity:choose_person", resident_page(), url=path("/valj-person/")),
    Row("identity:profile", resident_page(), url=path("/mina-sidor/profil/")),
    Row("identity:settings", resident_page(), url=path("/mina-sidor/installningar/")),
    Row(
        "identity:confirm_email",
        expect(OK),
        url=path("/mina-sidor/profil/bekrafta-epost/not-a-token/"),
        note="the signed token is the credential; a forged one gets the page saying so",
    ),
    # --- resident pages ------------------------------------------------------------
    Row("audit:log-extract", resident_page(), url=path("/mina-sidor/loggutdrag/")),
    Row("notifications:notices", resident_page(), url=path("/mina-sidor/notiser/")),
    Row("prescriptions:list", resident_page(), url=path("/recept/")),
    Row("prescriptions:renew_new", resident_page(), url=path("/recept/fornya/")),
    Row("prescriptions:renew", resident_page() | for_(RESIDENTS, NOT_FOUND), url=path("/recept/{id}/fornya/")),
    Row("cases:services", resident_page(), url=path("/e-tjanster/")),
    Row("cases:unit_services", resident_page(), url=path("/e-tjanster/{unit_slug}/")),
    Row("cases:new", resident_page() | for_(RESIDENTS, NOT_FOUND), url=path("/e-tjanster/{unit_slug}/{id}/")),
    Row("cases:mine", resident_page(), url=path("/arenden/")),
    Row("cases:detail", resident_page() | for_(RESIDENTS, NOT_FOUND), url=path("/arenden/{id}/")),
    Row("cases:receipt", resident_page() | for_(RESIDENTS, NOT_FOUND), url=path("/arenden/{id}/kvitto/")),
    *(
        Row(f"cases:{name}", resident_page() | for_(RESIDENTS, NOT_FOUND), url=path(url))
        for name, url in [
            ("attachment_preview", "/arenden/{id}/bilagor/{id}/"),
            ("attachment_inline", "/arenden/{id}/bilagor/{id}/visa/"),
            ("attachment_download", "/arenden/{id}/bilagor/{id}/ladda-ner/"),
        ]
    ),
    # --- staff login and pages -----------------------------------------------------------
    Row("staff:login", expect(OK), url=path("/personal/logga-in/")),
    Row(
        "staff:login_start",
        expect(503),
        url=path("/personal/logga-in/starta/"),
        note="the IdP is not reachable from the test client (the browser journey logs in for real)",
    ),
    Row("staff:callback", expect(503), url=path("/personal/logga-in/retur/"), note="as staff:login_start"),
    Row("staff:logout", expect(NOT_ALLOWED), url=path("/personal/logga-ut/"), note="POST only"),
    Row("staff:home", staff_page(provider_admin=REDIRECT), url=path("/personal/")),
    Row(
        "staff:choose_unit",
        staff_page(provider_admin=REDIRECT),
        url=path("/personal/valj-enhet/"),
        note="a provider administrator without a role goes to the settings area",
    ),
    Row("notifications:staff_notices", staff_page(), url=path("/personal/notiser/")),
    Row("cases:inbox", staff_page(provider_admin=REDIRECT), url=path("/personal/inkorg/")),
    *(
        Row(
            f"cases:{name}",
            staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
            url=path(url),
            method=method,
            data={} if method == "POST" else None,
        )
        for name, method, url in [
            ("staff_detail", "GET", "/personal/arenden/{id}/"),
            ("take", "POST", "/personal/arenden/{id}/ta/"),
            ("distribute", "POST", "/personal/arenden/{id}/fordela/"),
            ("ask", "POST", "/personal/arenden/{id}/motfraga/"),
            ("reply", "POST", "/personal/arenden/{id}/svara/"),
            ("note", "POST", "/personal/arenden/{id}/anteckning/"),
            ("close", "POST", "/personal/arenden/{id}/avsluta/"),
        ]
    ),
    *(
        Row(
            f"cases:{name}",
            staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
            url=path(url),
            method=method,
            data={} if method == "POST" else None,
        )
        for name, method, url in [
            ("staff_attachment_upload", "POST", "/personal/arenden/{id}/bilagor/"),
            ("staff_attachment_preview", "GET", "/personal/arenden/{id}/bilagor/{id}/"),
            ("staff_attachment_inline", "GET", "/personal/arenden/{id}/bilagor/{id}/visa/"),
            ("staff_attachment_download", "GET", "/personal/arenden/{id}/bilagor/{id}/ladda-ner/"),
            ("staff_attachment_discard", "POST", "/personal/arenden/{id}/bilagor/{id}/ta-bort/"),
        ]
    ),
    # --- the demo IdP (staff OIDC) ----------------------------------------------------
    Row("demo_idp:discovery", expect(OK), url=path("/demo-idp/.well-known/openid-configuration")),
    Row("demo_idp:jwks", expect(OK), url=path("/demo-idp/jwks")),
    Row("demo_idp:authorize", expect(400), url=path("/demo-idp/authorize"), note="no OIDC parameters"),
    Row("demo_idp:token", expect(NOT_ALLOWED), url=path("/demo-idp/token"), note="POST only"),
    # --- the API document ----------------------------------------------------------------
    Row("api-v1:openapi-json", expect(OK), url=path("/api/v1/openapi.json")),
    Row("api-v1:openapi-view", expect(OK), url=path("/api/v1/docs")),
    Row("api-v1:api-root", expect(NOT_FOUND), url=path("/api/v1/")),
    # --- API: public ------------------------------------------------------------------
    Row("GET /api/v1/health", expect(OK)),
    Row("GET /api/v1/auth/csrf", expect(OK)),
    Row("GET /api/v1/drugs", expect(OK)),
    Row("GET /api/v1/units/{unit_id}/services", expect(OK), url=path("/api/v1/units/{unit_id}/services")),
    Row(
        "GET /api/v1/units/{unit_id}/services/{service_id}/questionnaire",
        expect(NOT_FOUND),
        url=path("/api/v1/units/{unit_id}/services/{id}/questionnaire"),
    ),
    # --- API: BankID login ----------------------------------------------------------------
    Row("POST /api/v1/auth/bankid", expect(CREATED), data={}),
    *(
        Row(f"{method} /api/v1/auth/bankid/{{order_ref}}/{action}", expect(NOT_FOUND), url=path(url), data={})
        for method, action, url in [
            ("GET", "qr", "/api/v1/auth/bankid/{order}/qr"),
            ("POST", "collect", "/api/v1/auth/bankid/{order}/collect"),
            ("POST", "cancel", "/api/v1/auth/bankid/{order}/cancel"),
        ]
    ),
    Row("POST /api/v1/auth/logout", expect(UNAUTHENTICATED, **for_(RESIDENTS + STAFF, 204)), data={}),
    # --- API: the resident's own data ------------------------------------------------------
    Row("GET /api/v1/me", resident_api()),
    Row("POST /api/v1/me/acting-for", resident_api(), data={"person_id": None}, note="act for oneself"),
    Row("GET /api/v1/me/profile", resident_api()),
    Row("PATCH /api/v1/me/profile", resident_api(), data={}),
    Row("GET /api/v1/me/contact-sharing", resident_api()),
    Row("PUT /api/v1/me/contact-sharing", resident_api(400), data={}, note="400: choose at least one"),
    Row("DELETE /api/v1/me/contact-sharing", resident_api()),
    Row("GET /api/v1/me/access-log", resident_api() | for_(STAFF, FORBIDDEN)),
    Row("GET /api/v1/prescriptions/mine", resident_api()),
    Row("GET /api/v1/cases", resident_api()),
    Row("POST /api/v1/cases", resident_api(INVALID), data={}),
    Row("GET /api/v1/cases/{case_id}", resident_api(NOT_FOUND), url=path("/api/v1/cases/{id}")),
    Row(
        "POST /api/v1/cases/{case_id}/messages",
        resident_api(INVALID),
        url=path("/api/v1/cases/{id}/messages"),
        data={},
    ),
    # --- API: files of a case (a missing case: the same 404 as another person's) ------------------
    Row(
        "POST /api/v1/cases/{case_id}/attachments",
        resident_api(NOT_FOUND),
        url=path("/api/v1/cases/{id}/attachments"),
        data={},
    ),
    Row(
        "GET /api/v1/cases/{case_id}/attachments/{attachment_id}",
        resident_api(NOT_FOUND),
        url=path("/api/v1/cases/{id}/attachments/{id}"),
    ),
    Row(
        "GET /api/v1/cases/{case_id}/attachments/{attachment_id}/preview",
        resident_api(NOT_FOUND),
        url=path("/api/v1/cases/{id}/attachments/{id}/preview"),
    ),
    Row(
        "POST /api/v1/staff/cases/{case_id}/attachments",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/attachments"),
        data={},
    ),
    Row(
        "GET /api/v1/staff/cases/{case_id}/attachments",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/attachments"),
    ),
    *(
        Row(
            f"{method} /api/v1/staff/cases/{{case_id}}/attachments/{{attachment_id}}{suffix}",
            expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
            url=path(f"/api/v1/staff/cases/{{id}}/attachments/{{id}}{suffix}"),
        )
        for method, suffix in [("GET", ""), ("GET", "/preview"), ("DELETE", "")]
    ),
    # --- API: staff ---------------------------------------------------------------------------
    Row("GET /api/v1/staff/inbox", expect(UNAUTHENTICATED, **for_(UNIT_STAFF, OK), provider_admin_other=NOT_FOUND)),
    Row(
        "GET /api/v1/staff/cases/{case_id}",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}"),
    ),
    *(
        Row(
            f"POST /api/v1/staff/cases/{{case_id}}/{action}",
            expect(UNAUTHENTICATED, **for_(STAFF, outcome)),
            url=path(f"/api/v1/staff/cases/{{id}}/{action}"),
            data={},
        )
        for action, outcome in [
            ("take", NOT_FOUND),
            ("distribute", INVALID),
            ("questions", INVALID),
            ("replies", NOT_FOUND),
            ("notes", INVALID),
            ("close", INVALID),
        ]
    ),
    # --- API: integrations (CASE-7) -------------------------------------------------------------
    Row(
        "POST /api/v1/integrations/cases",
        expect(UNAUTHENTICATED),
        data={},
        note="Authorization: Bearer <integration token> only, never a session; see integrations/tests",
    ),
    # --- shape: a resident's unsent files (ATT-7; a missing case: the same 404 as another person's) ---
    Row(
        "GET /api/v1/cases/{case_id}/attachments",
        resident_api(NOT_FOUND),
        url=path("/api/v1/cases/{id}/attachments"),
    ),
    Row(
        "DELETE /api/v1/cases/{case_id}/attachments/{attachment_id}",
        resident_api(NOT_FOUND),
        url=path("/api/v1/cases/{id}/attachments/{id}"),
    ),
    # --- records (the journal) ------------------------------------------------------------------
    Row("records:my_journal", resident_page(), url=path("/mina-sidor/journal/")),
    Row("records:journal_copy", resident_page(), url=path("/mina-sidor/journal/kopia.pdf"), note="a PDF download"),
    Row(
        "records:case_notes",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/arenden/{id}/journal/"),
        note="a missing case: the same 404 as one without a care relation (records/tests)",
    ),
    Row(
        "records:sign_note",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/arenden/{id}/journal/signera/"),
        method="POST",
        data={},
    ),
    Row("GET /api/v1/records/journal", resident_api()),
    Row(
        "GET /api/v1/records/cases/{case_id}/notes",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/notes"),
    ),
    Row(
        "POST /api/v1/records/cases/{case_id}/notes",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/notes"),
        data={"body": "Anteckning"},
    ),
    # --- bookings ---------------------------------------------------------------------------------
    Row("bookings:unit_booking", expect(OK), url=path("/mottagningar/{unit_slug}/boka/")),
    Row("bookings:book", resident_page(), url=lambda world, persona: f"/boka/tid/{_free_time(world).pk}/"),
    Row("bookings:cancel_by_code", expect(OK), url=path("/avboka-tid/")),
    Row("bookings:my_bookings", resident_page(), url=path("/mina-sidor/bokningar/")),
    *(
        Row(
            f"bookings:{name}",
            expect(LOGIN, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
            url=lambda world, persona, suffix=suffix: f"/mina-sidor/bokningar/{_booking_of_a(world).pk}/{suffix}",
            note="resident_a's own booking; anyone else gets the same 404 as for a missing one",
        )
        for name, suffix in [("detail", ""), ("rebook", "boka-om/")]
    ),
    Row(
        "bookings:cancel",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/bokningar/{id}/avboka/"),
        method="POST",
    ),
    Row("bookings:staff_day", staff_page(provider_admin=REDIRECT), url=path("/personal/tidbok/")),
    Row(
        "bookings:staff_publish",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/publicera/"),
        note="publishing needs the booking_admin or unit_admin role at the unit",
    ),
    Row(
        "bookings:staff_block",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/blockera/"),
        note="blocking time needs the booking_admin or unit_admin role at the unit",
    ),
    Row(
        "bookings:staff_booking",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/tidbok/bokningar/{id}/"),
    ),
    *(
        Row(
            f"bookings:{name}",
            staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
            url=path(f"/personal/tidbok/bokningar/{{id}}/{suffix}/"),
            method="POST",
        )
        for name, suffix in [("staff_cancel", "avboka"), ("staff_no_show", "uteblev")]
    ),
    Row("GET /api/v1/bookings/units/{unit_id}", expect(OK), url=path("/api/v1/bookings/units/{unit_id}")),
    Row(
        "GET /api/v1/bookings/units/{unit_id}/visit-types/{visit_type_id}/free-times",
        expect(OK),
        url=lambda world, persona: (
            f"/api/v1/bookings/units/{world.obj('unit_x').pk}/visit-types/{_free_time(world).visit_type_id}/free-times"
        ),
    ),
    Row("POST /api/v1/bookings", resident_api(INVALID), data={}),
    Row("GET /api/v1/bookings/mine", resident_api()),
    Row(
        "GET /api/v1/bookings/{booking_id}",
        expect(UNAUTHENTICATED, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
        url=lambda world, persona: f"/api/v1/bookings/{_booking_of_a(world).pk}",
    ),
    Row(
        "POST /api/v1/bookings/{booking_id}/cancel",
        resident_api(NOT_FOUND),
        url=path("/api/v1/bookings/{id}/cancel"),
    ),
    Row(
        "POST /api/v1/bookings/{booking_id}/rebook",
        resident_api(NOT_FOUND),
        url=path("/api/v1/bookings/{id}/rebook"),
        data={"slot_id": 1},
    ),
    Row(
        "GET /api/v1/staff/bookings/day",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, OK), provider_admin_other=NOT_FOUND),
    ),
    Row("POST /api/v1/staff/bookings/series", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row(
        "POST /api/v1/bookings/cancel-by-code",
        expect(INVALID),
        data={},
        note="public: the code is the credential; rate-limited per client address",
    ),
    # --- ux: navigation and the idle timeout -------------------------------------------------
    Row(
        "identity:keep_alive",
        expect(UNAUTHENTICATED, **for_(RESIDENTS + STAFF, 204)),
        url=path("/sessionen/fortsatt/"),
        method="POST",
        data={},
        note="'Fortsätt vara inloggad': restarts the idle clock of a live session",
    ),
    Row(
        "my_pages", resident_page(), url=path("/mina-sidor/"), note="the resident's hub: profile, notices, log extract"
    ),
    # --- help centre ------------------------------------------------------------------------------
    Row("help:index", expect(OK), url=path("/hjalp/")),
    Row("help:search", expect(OK), url=path("/hjalp/sok/?q=recept")),
    Row("help:article", expect(OK), url=path("/hjalp/fornya-recept/")),
    Row("GET /api/v1/help/articles", expect(OK), url=path("/api/v1/help/articles?q=recept")),
    Row("GET /api/v1/help/articles/{slug}", expect(OK), url=path("/api/v1/help/articles/fornya-recept")),
    # --- billing: fees (FEE-1, FEE-2) ----------------------------------------------------------------
    Row("billing:my_fees", resident_page(), url=path("/mina-sidor/avgifter/")),
    Row(
        "billing:staff_fees",
        staff_page(),
        url=path("/personal/avgifter/"),
        note="every staff member reads the schedule",
    ),
    Row(
        "billing:staff_new_fee",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/avgifter/ny/"),
        note="provider admins only, for their own provider",
    ),
    Row(
        "billing:staff_policy",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/avgifter/regler/"),
    ),
    Row(
        "billing:staff_service_charge",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/avgifter/e-tjanster/{id}/"),
    ),
    Row(
        "billing:staff_case_fee",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/arenden/{id}/avgift/"),
        note="the case's own access: receivers of its unit, its handler",
    ),
    Row(
        "GET /api/v1/me/fees/quote",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/fees/quote?service_id={id}"),
        note="a service that does not exist",
    ),
    Row("GET /api/v1/me/fees", resident_api()),
    Row("GET /api/v1/me/cases/{case_id}/fee", resident_api(NOT_FOUND), url=path("/api/v1/me/cases/{id}/fee")),
    Row("GET /api/v1/staff/fees", expect(UNAUTHENTICATED, **for_(STAFF, OK))),
    Row("POST /api/v1/staff/fees", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("GET /api/v1/staff/fees/services", expect(UNAUTHENTICATED, **for_(STAFF, OK))),
    Row(
        "PUT /api/v1/staff/fees/services/{service_id}",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/fees/services/{id}"),
        data={},
    ),
    Row("GET /api/v1/staff/fees/policy", expect(UNAUTHENTICATED, **for_(STAFF, OK))),
    Row("PUT /api/v1/staff/fees/policy", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row(
        "GET /api/v1/staff/cases/{case_id}/fee",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/fee"),
    ),
    Row(
        "POST /api/v1/staff/cases/{case_id}/fee/profession",
        expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
        url=path("/api/v1/staff/cases/{id}/fee/profession"),
        data={},
    ),
    # --- billing: the cost ceiling and frikort (FEE-3) ---------------------------------------------
    Row("billing:my_ceiling", resident_page(), url=path("/mina-sidor/hogkostnadsskydd/")),
    Row(
        "billing:staff_free_cards",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/avgifter/frikort/"),
        note="provider admins check hand-entered frikort",
    ),
    Row(
        "billing:staff_free_card_decide",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/avgifter/frikort/{id}/"),
        method="POST",
    ),
    Row("GET /api/v1/me/cost-ceiling", resident_api()),
    Row("POST /api/v1/me/free-cards", resident_api(INVALID), data={}),
    Row(
        "GET /api/v1/staff/free-cards",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "POST /api/v1/staff/free-cards/{card_id}/decision",
        expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
        url=path("/api/v1/staff/free-cards/{id}/decision"),
        data={},
    ),
    # --- staff settings area (issue 11, item 13) ------------------------------------------------
    # Provider administrators and heads of unit only; other staff get the 403 page. Unit pages
    # open for provider_admin_other at their own provider's unit; unit_x (another provider's)
    # and another provider's service are the same 404 as missing ones.
    Row("staffsettings:home", settings_page(OK), url=path("/personal/installningar/")),
    *(
        Row(f"staffsettings:{name}", settings_page(OK), url=_own_unit_settings(suffix))
        for name, suffix in [
            ("unit", ""),
            ("roles", "roller/"),
            ("other_information", "ovrig-information/"),
            ("opening_hours", "oppettider/"),
            ("unit_services", "e-tjanster/"),
        ]
    ),
    Row(
        "staffsettings:revoke_role",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/mottagningar/{unit_id}/roller/{id}/ta-bort/"),
        method="POST",
    ),
    Row("staffsettings:policies", settings_page(OK), url=path("/personal/installningar/vardgivare/")),
    Row("staffsettings:questionnaires", settings_page(OK), url=path("/personal/installningar/formular/")),
    *(
        Row(f"staffsettings:{name}", settings_page(NOT_FOUND), url=_service_settings(suffix), method=method)
        for name, suffix, method in [
            ("questionnaire", "", "GET"),
            ("questionnaire_title", "rubrik/", "POST"),
            ("questionnaire_add", "ny-fraga/", "GET"),
            ("questionnaire_item", "fragor/subject/", "GET"),
            ("questionnaire_move", "fragor/subject/flytta/", "POST"),
            ("questionnaire_remove", "fragor/subject/ta-bort/", "POST"),
            ("questionnaire_preview", "forhandsvisning/", "GET"),
            ("questionnaire_publish", "publicera/", "POST"),
        ]
    ),
    # --- digital visits (visits) -------------------------------------------------------------------
    Row("visits:areas", resident_page(), url=path("/digitalt-vardbesok/")),
    Row(
        "visits:start",
        resident_page(),
        url=lambda world, persona: f"/digitalt-vardbesok/{_digital_area(world).pk}/",
        note="an area's triage form: any resident may start a visit",
    ),
    Row("visits:health_profile", resident_page(), url=path("/digitalt-vardbesok/halsoprofil/")),
    *(
        Row(
            f"visits:{name}",
            expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
            url=path(f"/digitalt-vardbesok/besok/{{id}}/{suffix}/"),
        )
        for name, suffix in [("revisit", "aterbesok"), ("write_again", "skriv-igen")]
    ),
    Row("visits:queue", staff_page(provider_admin=REDIRECT), url=path("/personal/digitala-besok/")),
    Row(
        "visits:duty",
        expect(LOGIN, **for_(STAFF, REDIRECT)),
        url=path("/personal/digitala-besok/tjanstgoring/"),
        method="POST",
        note="back to the queue, with a message when the staff member may not take digital visits (ORG-8)",
    ),
    Row("visits:staff_visit", expect(LOGIN, **for_(STAFF, NOT_FOUND)), url=path("/personal/digitala-besok/{id}/")),
    Row(
        "visits:offer_revisit",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/digitala-besok/{id}/erbjud-aterbesok/"),
        method="POST",
    ),
    Row(
        "visits:refer",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/digitala-besok/{id}/remittera/"),
        method="POST",
    ),
    Row("GET /api/v1/visits/areas", resident_api()),
    Row("GET /api/v1/visits/areas/{area_id}", resident_api(NOT_FOUND), url=path("/api/v1/visits/areas/{id}")),
    Row("POST /api/v1/visits", resident_api(INVALID), data={}),
    Row("GET /api/v1/visits/health-profile", resident_api()),
    Row(
        "POST /api/v1/visits/{case_id}/revisit",
        resident_api(NOT_FOUND),
        url=path("/api/v1/visits/{id}/revisit"),
        data={"answers": {}, "abroad": False, "health_profile_confirmed": True},
    ),
    Row(
        "POST /api/v1/visits/{case_id}/write-again",
        resident_api(NOT_FOUND),
        url=path("/api/v1/visits/{id}/write-again"),
        data={"body": "Hej"},
    ),
    Row(
        "POST /api/v1/staff/visits/{case_id}/revisit-offers",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/visits/{id}/revisit-offers"),
        data={"kind": "planned", "days": 10},
    ),
    Row("PUT /api/v1/visits/health-profile", resident_api(INVALID), data={}),
    Row("GET /api/v1/staff/visits/queue", expect(UNAUTHENTICATED, **for_(STAFF, OK))),
    Row("POST /api/v1/staff/visits/duty", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    # --- certificates -----------------------------------------------------------------------------
    Row("certificates:mine", resident_page(), url=path("/mina-sidor/intyg/")),
    Row(
        "certificates:download",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/intyg/{id}/pdf/"),
    ),
    Row("certificates:issue", expect(LOGIN, **for_(STAFF, NOT_FOUND)), url=path("/personal/arenden/{id}/intyg/")),
    *(
        Row(
            f"certificates:{name}",
            expect(LOGIN, **for_(STAFF, NOT_FOUND)),
            url=path(f"/personal/arenden/{{id}}/intyg/{suffix}/"),
            method="POST",
        )
        for name, suffix in [("issue_sick_note", "sjukintyg"), ("issue_care_certificate", "vardintyg")]
    ),
    Row("GET /api/v1/certificates", resident_api()),
    Row(
        "GET /api/v1/certificates/{certificate_id}/pdf",
        resident_api(NOT_FOUND),
        url=path("/api/v1/certificates/{id}/pdf"),
    ),
    *(
        Row(
            f"POST /api/v1/staff/cases/{{case_id}}/certificates/{kind}",
            expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
            url=path(f"/api/v1/staff/cases/{{id}}/certificates/{kind}"),
            data={},
        )
        for kind in ("sick-note", "care-sought")
    ),
    Row(
        "POST /api/v1/staff/visits/{case_id}/refer",
        expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
        url=path("/api/v1/staff/visits/{id}/refer"),
        data={},
    ),
    # --- issue 11 item 16: the accessibility statement (DOS-lagen), linked from every footer ------------
    Row("accessibility", expect(OK), url=path("/tillganglighet/")),
    # --- records 2: national sharing, block and seal, consent, log review ------------------------
    Row(
        "records:classify_contact",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/arenden/{id}/journal/kontakt/"),
        method="POST",
        data={},
        note="a missing case: the same 404 as one without a care relation",
    ),
    Row(
        "POST /api/v1/records/cases/{case_id}/contact-category",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/contact-category"),
        data={"category": "care"},
    ),
    Row("records:national_view", resident_page(), url=path("/mina-sidor/journal/nationell/")),
    Row("records:restrictions", resident_page(), url=path("/mina-sidor/journal/sparr-och-forsegling/")),
    *(
        Row(
            f"records:{name}",
            expect(LOGIN, **for_(RESIDENTS, outcome)),
            url=path(url),
            method="POST",
            data={},
            note="no scope chosen: refused at the field" if outcome == INVALID else "another's: the same 404",
        )
        for name, url, outcome in [
            ("block", "/mina-sidor/journal/sparr/", INVALID),
            ("seal", "/mina-sidor/journal/forsegling/", INVALID),
            ("lift_block", "/mina-sidor/journal/sparr/{id}/hav/", NOT_FOUND),
            ("lift_seal", "/mina-sidor/journal/forsegling/{id}/hav/", NOT_FOUND),
        ]
    ),
    Row("GET /api/v1/records/restrictions", resident_api()),
    Row("GET /api/v1/records/national", resident_api()),
    Row("POST /api/v1/records/blocks", resident_api(INVALID), data={}),
    Row("POST /api/v1/records/seals", resident_api(INVALID), data={}),
    Row(
        "POST /api/v1/records/blocks/{block_id}/lift",
        resident_api(NOT_FOUND),
        url=path("/api/v1/records/blocks/{id}/lift"),
    ),
    Row(
        "POST /api/v1/records/seals/{seal_id}/lift",
        resident_api(NOT_FOUND),
        url=path("/api/v1/records/seals/{id}/lift"),
    ),
    *(
        Row(
            f"records:{name}",
            staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
            url=path(url),
            method=method,
            data={} if method == "POST" else None,
            note="a missing case: the same 404 as one without a care relation",
        )
        for name, method, url in [
            ("shared_records", "GET", "/personal/arenden/{id}/sammanhallen-journal/"),
            ("record_consent", "POST", "/personal/arenden/{id}/sammanhallen-journal/samtycke/"),
        ]
    ),
    Row(
        "GET /api/v1/records/cases/{case_id}/shared",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/shared"),
    ),
    Row(
        "POST /api/v1/records/cases/{case_id}/shared-consent",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/shared-consent"),
        data={"basis": "consent"},
    ),
    # The log review: reviewers only (a role none of these personas holds); existence is secret (records/tests).
    Row(
        "records:log_reviews",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/loggkontroll/"),
    ),
    Row(
        "records:log_review",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/loggkontroll/{id}/"),
    ),
    Row(
        "records:decide_log_item",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/loggkontroll/{id}/poster/{id}/"),
        method="POST",
        data={},
    ),
    Row("GET /api/v1/records/log-reviews", expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND))),
    Row(
        "GET /api/v1/records/log-reviews/{review_id}/items",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/log-reviews/{id}/items"),
    ),
    Row(
        "POST /api/v1/records/log-reviews/{review_id}/items/{item_id}/decision",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/log-reviews/{id}/items/{id}/decision"),
        data={"outcome": "justified"},
    ),
    Row(
        "audit:log-extract-pdf",
        resident_page(),
        url=path("/mina-sidor/loggutdrag/loggutdrag.pdf"),
        note="a PDF download of the extract (PDL 8 kap. 5 §)",
    ),
    # --- vaccinations (VAC-1..4) ------------------------------------------------------------------
    Row("vaccinations:card", resident_page(), url=path("/mina-sidor/vaccinationer/")),
    Row(
        "vaccinations:child_card",
        expect(LOGIN, resident_a=NOT_FOUND, resident_b=NOT_FOUND, guardian=OK),
        url=lambda world, persona: f"/mina-sidor/vaccinationer/barn/{world.obj('child_8').pk}/",
        note="a guardian's child under 16 only",
    ),
    Row("vaccinations:add", resident_page(), url=path("/mina-sidor/vaccinationer/lagg-till/")),
    Row("vaccinations:travel", resident_page(), url=path("/mina-sidor/vaccinationer/reserad/")),
    Row("vaccinations:staff_find", staff_page(provider_admin=REDIRECT), url=path("/personal/vaccinationer/")),
    Row(
        "vaccinations:staff_card",
        staff_page(provider_admin=REDIRECT),
        url=lambda world, persona: f"/personal/vaccinationer/invanare/{world.obj('resident_a').pk}/",
        note="health-care staff with a role where they work; each opening is audited",
    ),
    *[
        Row(
            f"vaccinations:{name}",
            expect(LOGIN, **for_(UNIT_STAFF, INVALID), provider_admin_other=FORBIDDEN),
            url=lambda world, persona, segment=segment: (
                f"/personal/vaccinationer/invanare/{world.obj('resident_a').pk}/{segment}/"
            ),
            method="POST",
            data={},
        )
        for name, segment in (("staff_register", "registrera"), ("staff_travel", "reserad"))
    ],
    Row("GET /api/v1/vaccinations/card", resident_api()),
    Row("POST /api/v1/vaccinations/self-reported", resident_api(INVALID), data={}),
    Row("GET /api/v1/vaccinations/schedules", expect(OK)),
    Row(
        "GET /api/v1/vaccinations/travel-advice",
        expect(OK),
        url=path("/api/v1/vaccinations/travel-advice?destination=TH&trip_days=10"),
    ),
    # --- complaints (CMP-1..5); the complaint itself is sent through the case pages and API ----------
    Row("complaints:start", resident_page(), url=path("/mina-sidor/synpunkter/")),
    Row(
        "complaints:board",
        expect(LOGIN, **for_(STAFF, FORBIDDEN)),
        url=path("/personal/synpunkter/"),
        note="the patient board's staff only (no persona here works there; tested in complaints/tests)",
    ),
    Row(
        "complaints:set_unit",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/synpunkter/arenden/{id}/mottagning/"),
        method="POST",
        data={},
    ),
    Row(
        "complaints:follow_up",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/synpunkter/uppfoljning/"),
        note="a provider's administrators and the patient board's staff",
    ),
    Row(
        "complaints:policy",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/synpunkter/installningar/"),
    ),
    Row(
        "GET /api/v1/complaints/follow-up",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "POST /api/v1/complaints/{case_id}/unit",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/complaints/{id}/unit"),
        data={"hsa_id": "SE2321000016-TC1"},
    ),
    # --- help centre: provider entries, history, the settings pages (HELP-1) ------------------------
    Row(
        "help:provider",
        expect(OK),
        url=lambda world, persona: f"/hjalp/vardgivare/{world.obj('unit_x').provider.slug}/",
    ),
    Row(
        "help:history",
        expect(LOGIN, **for_(STAFF, OK)),
        url=path("/hjalp/fornya-recept/versioner/"),
        note="staff read an entry's earlier versions",
    ),
    Row("helpsettings:entries", settings_page(OK), url=path("/personal/installningar/hjalp/")),
    Row("helpsettings:new", settings_page(OK), url=path("/personal/installningar/hjalp/ny/")),
    Row(
        "helpsettings:edit",
        settings_page(NOT_FOUND),
        url=lambda world, persona: f"/personal/installningar/hjalp/{_help_entry(world)}/",
        note="an entry of unit_x's provider: its administrator only",
    ),
    Row(
        "helpsettings:english",
        settings_page(NOT_FOUND),
        url=lambda world, persona: f"/personal/installningar/hjalp/{_help_entry(world)}/engelska/",
    ),
    # --- video meetings of digital visits (visits, VISIT-8); the signalling WebSocket is tested in visits ---
    Row(
        "visits:meeting",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/digitalt-vardbesok/besok/{id}/videomote/"),
    ),
    Row(
        "visits:staff_meeting",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/digitala-besok/{id}/videomote/"),
    ),
    Row(
        "visits:propose_meeting",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/digitala-besok/{id}/videomote/foresla/"),
        method="POST",
    ),
    # --- billing: invoices, reminders, collection, credit notes (FEE-4, FEE-7, FEE-8) ----------------
    # resident_a's invoice: only its payer reaches it; staff through its case or as its provider's admin.
    Row("billing:my_invoices", resident_page(), url=path("/mina-sidor/fakturor/")),
    Row(
        "billing:invoice",
        expect(LOGIN, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
        url=lambda world, persona: f"/mina-sidor/fakturor/{_invoice_of_a(world).pk}/",
    ),
    Row(
        "billing:invoice_pdf",
        expect(LOGIN, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
        url=lambda world, persona: f"/mina-sidor/fakturor/{_invoice_of_a(world).pk}/pdf/",
    ),
    Row(
        "billing:staff_invoice",
        expect(LOGIN, receiver_x=OK, handler_x=NOT_FOUND, handler_y=NOT_FOUND, provider_admin_other=NOT_FOUND),
        url=lambda world, persona: f"/personal/fakturor/{_invoice_of_a(world).pk}/",
        note="through the case (receivers of its unit, its handler) or the provider's admins",
    ),
    Row(
        "billing:staff_invoice_pdf",
        expect(LOGIN, receiver_x=OK, handler_x=NOT_FOUND, handler_y=NOT_FOUND, provider_admin_other=NOT_FOUND),
        url=lambda world, persona: f"/personal/fakturor/{_invoice_of_a(world).pk}/pdf/",
    ),
    Row(
        "billing:staff_credit_invoice",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=lambda world, persona: f"/personal/fakturor/{_invoice_of_a(world).pk}/kreditera/",
        method="POST",
        data={},
        note="provider admins of the invoice's own provider",
    ),
    Row(
        "billing:staff_collection_export",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/avgifter/inkasso.csv"),
        note="provider admins: their own provider's invoices in collection",
    ),
    Row("GET /api/v1/me/invoices", resident_api()),
    Row(
        "GET /api/v1/me/invoices/{invoice_id}",
        expect(UNAUTHENTICATED, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
        url=lambda world, persona: f"/api/v1/me/invoices/{_invoice_of_a(world).pk}",
    ),
    Row(
        "GET /api/v1/me/invoices/{invoice_id}/pdf",
        expect(UNAUTHENTICATED, resident_a=OK, resident_b=NOT_FOUND, guardian=NOT_FOUND),
        url=lambda world, persona: f"/api/v1/me/invoices/{_invoice_of_a(world).pk}/pdf",
    ),
    Row(
        "GET /api/v1/staff/cases/{case_id}/invoice",
        expect(
            UNAUTHENTICATED, receiver_x=OK, handler_x=NOT_FOUND, handler_y=NOT_FOUND, provider_admin_other=NOT_FOUND
        ),
        url=lambda world, persona: f"/api/v1/staff/cases/{_invoice_of_a(world).case_id}/invoice",
    ),
    Row(
        "POST /api/v1/staff/invoices/{invoice_id}/credit",
        expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
        url=path("/api/v1/staff/invoices/{id}/credit"),
        data={},
    ),
    # --- records: early access (REC-8) and insurance powers of attorney (REC-9) -----------------
    *(
        Row(
            f"records:{name}",
            staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
            url=path(url),
            method="POST",
            data={},
            note="a missing case: the same 404 as one without a care relation",
        )
        for name, url in [
            ("register_early_access", "/personal/arenden/{id}/journal/tidig-atkomst/"),
            ("register_insurer_request", "/personal/arenden/{id}/journal/forsakringsbolag/"),
        ]
    ),
    Row(
        "records:early_access_applications",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/tidig-atkomst/"),
        note="the head of unit (verksamhetschef) only; records/tests/test_early_access.py",
    ),
    Row(
        "records:decide_early_access",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/tidig-atkomst/{id}/beslut/"),
        method="POST",
        data={},
    ),
    Row("records:my_insurance", resident_page(), url=path("/mina-sidor/forsakring/")),
    Row(
        "records:revoke_power_of_attorney",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/forsakring/fullmakt/{id}/aterkalla/"),
        method="POST",
        data={},
        note="another's or a missing power of attorney: 404",
    ),
    # --- billing: payments (FEE-6, BOOK-5) and the finance views (issue 15, parts 5 and 8) ----------
    # Finance is the provider administrator's; the desk is staff at a physical unit (UNIT_STAFF work
    # at primary-care units); Swish's callback answers anyone, refusing what Swish did not send.
    Row(
        "billing:pay_with_swish",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/fakturor/{id}/swish/"),
    ),
    Row(
        "billing:swish_callback",
        expect(400),
        url=path("/betalning/swish/callback/not-a-token/"),
        method="POST",
        data={},
        note="not a payment object: refused, nothing changes",
    ),
    Row(
        "billing:finance",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/"),
    ),
    Row(
        "billing:finance_export",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/fakturor.csv"),
    ),
    Row(
        "billing:finance_invoice",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/ekonomi/fakturor/{id}/"),
    ),
    Row(
        "billing:finance_refund",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/ekonomi/fakturor/{id}/swish/{id}/aterbetala/"),
        method="POST",
    ),
    Row(
        "billing:incoming_payments",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/inbetalningar/"),
    ),
    Row(
        "billing:incoming_export",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/inbetalningar.csv"),
    ),
    Row(
        "billing:incoming_payment_handled",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/ekonomi/inbetalningar/{id}/hanterad/"),
        method="POST",
    ),
    Row(
        "billing:bgmax_import",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/bgmax/"),
    ),
    Row(
        "billing:ceiling_lookup",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/hogkostnadsskydd/"),
    ),
    Row(
        "billing:desk",
        expect(LOGIN, **for_(UNIT_STAFF, OK), provider_admin_other=FORBIDDEN),
        url=path("/personal/kassa/"),
        note="staff working at a physical unit (BOOK-5)",
    ),
    Row(
        "billing:desk_receipt",
        expect(LOGIN, **for_(UNIT_STAFF, NOT_FOUND), provider_admin_other=FORBIDDEN),
        url=path("/personal/kassa/kvitto/{id}/"),
    ),
    Row(
        "POST /api/v1/me/invoices/{invoice_id}/swish",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/invoices/{id}/swish"),
    ),
    Row(
        "GET /api/v1/me/invoices/{invoice_id}/swish/{payment_id}",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/invoices/{id}/swish/{id}"),
    ),
    Row(
        "GET /api/v1/staff/invoices",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "GET /api/v1/staff/incoming-payments",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "POST /api/v1/staff/incoming-payments/{incoming_id}/handled",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/api/v1/staff/incoming-payments/{id}/handled"),
        data={"note": "Återbetald"},
    ),
    Row("POST /api/v1/staff/bgmax", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("POST /api/v1/staff/ceiling-status", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("POST /api/v1/staff/desk-payments", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row(
        "POST /api/v1/staff/swish-payments/{swish_payment_id}/refunds",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/api/v1/staff/swish-payments/{id}/refunds"),
        data={"amount_ore": 100},
    ),
    # --- labs: referrals, lab results, where to turn, blood pressure (VISIT-6, VISIT-7, VISIT-9, VISIT-11) ---
    Row("labs:mine", resident_page(), url=path("/mina-sidor/remisser/")),
    Row("labs:pressure", resident_page(), url=path("/mina-sidor/remisser/blodtryck/")),
    *(
        Row(f"labs:{name}", expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)), url=path(f"/mina-sidor/remisser/{suffix}"))
        for name, suffix in [
            ("choose_lab", "{id}/provtagningsstalle/"),
            ("referral_pdf", "{id}/pdf/"),
            ("care_referral_pdf", "annan-vard/{id}/pdf/"),
        ]
    ),
    Row(
        "labs:staff_case", expect(LOGIN, **for_(STAFF, NOT_FOUND)), url=path("/personal/digitala-besok/{id}/remisser/")
    ),
    *(
        Row(
            f"labs:{name}",
            expect(LOGIN, **for_(STAFF, NOT_FOUND)),
            url=path(f"/personal/digitala-besok/{{id}}/remisser/{suffix}"),
            method="POST",
        )
        for name, suffix in [
            ("write_lab_referral", "prov/"),
            ("review_result", "svar/{id}/"),
            ("write_care_referral", "annan-vard/"),
            ("where_to_turn", "hanvisning/"),
            ("send_voucher", "blodtryck/"),
        ]
    ),
    Row("GET /api/v1/labs", resident_api()),
    Row("GET /api/v1/me/referrals", resident_api()),
    Row(
        "POST /api/v1/me/lab-referrals/{referral_id}/lab",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/lab-referrals/{id}/lab"),
        data={"lab_id": 1},
    ),
    Row(
        "GET /api/v1/me/lab-referrals/{referral_id}/pdf",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/lab-referrals/{id}/pdf"),
    ),
    Row(
        "GET /api/v1/me/care-referrals/{referral_id}/pdf",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/care-referrals/{id}/pdf"),
    ),
    Row("POST /api/v1/me/blood-pressure", resident_api(INVALID), data={}),
    Row(
        "GET /api/v1/staff/cases/{case_id}/referrals",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/referrals"),
    ),
    *(
        Row(
            f"POST /api/v1/staff/cases/{{case_id}}/{suffix}",
            expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
            url=path(f"/api/v1/staff/cases/{{id}}/{suffix}".replace("{result_id}", "{id}")),
            data={},
        )
        for suffix in ("lab-referrals", "lab-results/{result_id}/review", "care-referrals", "where-to-turn")
    ),
    Row(
        "POST /api/v1/staff/cases/{case_id}/pressure-vouchers",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/pressure-vouchers"),
    ),
    *(
        Row(
            f"POST /api/v1/integrations/{suffix}",
            expect(UNAUTHENTICATED),
            data={},
            note="Authorization: Bearer <integration token> of a lab or pharmacy only, never a session; see labs/tests",
        )
        for suffix in ("lab-results", "pressure-vouchers/redeem")
    ),
    # --- ux (issue 11, items 4 and 13): the provider's e-services, staff and units in the settings area ---
    Row(
        "staffsettings:services",
        settings_page(OK),
        url=path("/personal/installningar/vardgivare/e-tjanster/"),
    ),
    Row(
        "staffsettings:service",
        settings_page(NOT_FOUND),
        url=lambda world, persona: f"/personal/installningar/vardgivare/e-tjanster/{world.obj('open_service').pk}/",
        note="another provider's service is the same 404 as a missing one",
    ),
    Row("staffsettings:staff", settings_page(OK), url=path("/personal/installningar/vardgivare/medarbetare/")),
    Row("staffsettings:unit_details", settings_page(OK), url=_own_unit_settings("uppgifter/")),
    Row("staffsettings:unit_add", settings_page(OK), url=path("/personal/installningar/vardgivare/ny-mottagning/")),
    Row(
        "staffsettings:unit_activation",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/mottagningar/{unit_id}/e-tjanster-pa/"),
        method="POST",
        note="unit_x: another provider's unit for provider_admin_other",
    ),
    # The settings API (issue 11, item 13): staff who keep no settings get 403; provider_admin_other
    # keeps its own provider's, so unit_x and the open service are the same 404 as missing ones.
    Row(
        "GET /api/v1/staff/settings/units",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    *(
        Row(
            f"{method} /api/v1/staff/settings/units/{{unit_id}}/{suffix}",
            expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
            url=path(f"/api/v1/staff/settings/units/{{unit_id}}/{suffix}"),
            data=data,
        )
        for method, suffix, data in [
            ("GET", "roles", None),
            ("POST", "roles", {"staff_id": 1, "role": "receiver"}),
            ("PUT", "other-information", {"html": "<p>Hej</p>"}),
            ("PUT", "opening-hours", {"rows": []}),
        ]
    ),
    Row(
        "DELETE /api/v1/staff/settings/units/{unit_id}/roles/{grant_id}",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/api/v1/staff/settings/units/{unit_id}/roles/{id}"),
    ),
    *(
        Row(
            f"{method} /api/v1/staff/settings/{suffix}",
            expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=ok),
            data=data,
        )
        for method, suffix, data, ok in [
            ("GET", "staff", None, OK),
            ("POST", "staff", {"given_name": "", "surname": "", "hsa_id": "", "profession": ""}, 400),
            ("GET", "policies", None, OK),
            ("PATCH", "policies", {}, OK),
            ("GET", "services", None, OK),
        ]
    ),
    *(
        Row(
            f"{method} /api/v1/staff/settings/services/{{service_id}}{suffix}",
            expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
            url=lambda world, persona, suffix=suffix: (
                f"/api/v1/staff/settings/services/{world.obj('open_service').pk}{suffix}"
            ),
            data=data,
        )
        for method, suffix, data in [
            ("PATCH", "", {}),
            ("GET", "/questionnaire", None),
            ("PUT", "/questionnaire", {"title": "x", "items": []}),
            ("POST", "/questionnaire/publish", None),
        ]
    ),
    # --- bookings: week view, extra times, kallelse, waiting list ----------------------------------
    Row("bookings:staff_week", staff_page(provider_admin=REDIRECT), url=path("/personal/tidbok/vecka/")),
    Row(
        "bookings:staff_extra_time",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/extra-tid/"),
        note="extra times need the booking_admin or unit_admin role at the unit",
    ),
    Row(
        "bookings:staff_summon",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/tider/{id}/kalla/"),
        note="kallelse needs the booking_admin or unit_admin role at the unit",
    ),
    Row(
        "bookings:join_waiting_list",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/bokningar/vantelista/"),
        method="POST",
        note="no visit type posted: the same 404 as for one that is not bookable",
    ),
    Row(
        "bookings:leave_waiting_list",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/bokningar/vantelista/{id}/lamna/"),
        method="POST",
    ),
    Row(
        "GET /api/v1/staff/bookings/week",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, OK), provider_admin_other=NOT_FOUND),
    ),
    Row("POST /api/v1/staff/bookings/times", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("POST /api/v1/staff/bookings/summons", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("GET /api/v1/bookings/waiting-list", resident_api()),
    Row("POST /api/v1/bookings/waiting-list", resident_api(INVALID), data={}),
    Row(
        "DELETE /api/v1/bookings/waiting-list/{entry_id}",
        resident_api(NOT_FOUND),
        url=path("/api/v1/bookings/waiting-list/{id}"),
    ),
    # --- bookset (issue 11 item 13, issue 14): the booking settings pages and API ---------------------------
    # A unit's visit types and booking settings: the provider's administrator, the unit's head and booking admin;
    # the cut-off rules: the provider's administrator. Other staff get the 403 page (403 in the API); another
    # provider's unit and a missing visit type are the same 404.
    *(
        Row(f"bookings:{name}", settings_page(OK), url=_own_unit_booking_settings(suffix))
        for name, suffix in [
            ("settings_unit", ""),
            ("settings_visit_types", "besokstyper/"),
            ("settings_visit_type_add", "besokstyper/ny/"),
        ]
    ),
    Row(
        "bookings:settings_visit_type",
        settings_page(NOT_FOUND),
        url=_own_unit_booking_settings(f"besokstyper/{NO_SUCH_ID}/"),
    ),
    Row("bookings:settings_policies", settings_page(OK), url=path("/personal/tidbok/installningar/avbokning/")),
    Row("GET /api/v1/staff/bookings/settings/units", booking_settings_api(OK)),
    *(
        Row(
            f"GET /api/v1/staff/bookings/settings/units/{{unit_id}}{suffix}",
            booking_settings_api(OK),
            url=_own_unit_booking_settings_api(suffix),
        )
        for suffix in ["", "/visit-types"]
    ),
    *(
        Row(
            f"{method} /api/v1/staff/bookings/settings/units/{{unit_id}}{suffix}",
            expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
            url=_own_unit_booking_settings_api(suffix),
            data={},
        )
        for method, suffix in [("PUT", ""), ("POST", "/visit-types")]
    ),
    Row(
        "PATCH /api/v1/staff/bookings/settings/units/{unit_id}/visit-types/{visit_type_id}",
        booking_settings_api(NOT_FOUND),
        url=_own_unit_booking_settings_api(f"/visit-types/{NO_SUCH_ID}"),
        data={},
    ),
    Row("GET /api/v1/staff/bookings/settings/cancellation-policies", booking_settings_api(OK)),
    Row(
        "PUT /api/v1/staff/bookings/settings/cancellation-policies/{unit_kind}",
        expect(UNAUTHENTICATED, **for_(STAFF, INVALID)),
        url=path("/api/v1/staff/bookings/settings/cancellation-policies/primary_care"),
        data={},
    ),
    # --- branch visits2: answering and cancelling video meetings, the meetings API (VISIT-8) ---------------
    Row(
        "visits:answer_meeting",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/digitalt-vardbesok/besok/{id}/videomote/svara/"),
        method="POST",
    ),
    Row(
        "visits:cancel_meeting",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/digitala-besok/{id}/videomote/stall-in/"),
        method="POST",
    ),
    Row("GET /api/v1/visits/{case_id}/meetings", resident_api(NOT_FOUND), url=path("/api/v1/visits/{id}/meetings")),
    Row(
        "POST /api/v1/visits/{case_id}/meetings/{meeting_id}/answer",
        resident_api(NOT_FOUND),
        url=path("/api/v1/visits/{id}/meetings/{id}/answer"),
        data={"answer": "accept"},
    ),
    Row(
        "POST /api/v1/staff/visits/{case_id}/meetings",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/visits/{id}/meetings"),
        data={"day": "2026-12-08", "time": "10:00"},
    ),
    Row(
        "POST /api/v1/staff/visits/{case_id}/meetings/{meeting_id}/cancel",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/visits/{id}/meetings/{id}/cancel"),
        method="POST",
    ),
    # --- branch payments: the payment gaps (issue 15): assignment, surpluses, letters, Swish at the desk ---
    Row(
        "billing:incoming_payment_assign",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/ekonomi/inbetalningar/{id}/koppla/"),
    ),
    Row(
        "billing:surplus_refunds",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/aterbetalningar/"),
    ),
    Row(
        "billing:surplus_refunded",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/ekonomi/aterbetalningar/{id}/klar/"),
        method="POST",
    ),
    Row(
        "billing:letter_queue",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/ekonomi/brev/"),
    ),
    Row(
        "billing:letter_batch_pdf",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=REDIRECT),
        url=path("/personal/ekonomi/brev/utskrift.pdf"),
        note="no letters queued: back to the queue with a message",
    ),
    Row(
        "billing:desk_swish_start",
        expect(LOGIN, **for_(UNIT_STAFF, NOT_FOUND), provider_admin_other=FORBIDDEN),
        url=path("/personal/kassa/fakturor/{id}/swish/"),
        method="POST",
        note="staff working at a physical unit (BOOK-5)",
    ),
    Row(
        "billing:desk_swish",
        expect(LOGIN, **for_(UNIT_STAFF, NOT_FOUND), provider_admin_other=FORBIDDEN),
        url=path("/personal/kassa/swish/{id}/"),
    ),
    Row(
        "POST /api/v1/staff/incoming-payments/{incoming_id}/assign",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/api/v1/staff/incoming-payments/{id}/assign"),
        data={"invoice": "F0000001"},
    ),
    Row(
        "GET /api/v1/staff/surplus-refunds",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "POST /api/v1/staff/incoming-payments/{incoming_id}/surplus-refunded",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/api/v1/staff/incoming-payments/{id}/surplus-refunded"),
        data={},
    ),
    Row("GET /api/v1/staff/letters", expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK)),
    Row(
        "GET /api/v1/staff/letters/batch",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=409),
        note="no letters queued: 409",
    ),
    Row("POST /api/v1/staff/letters/posted", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row("POST /api/v1/staff/desk-swish-payments", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    Row(
        "GET /api/v1/staff/desk-swish-payments/{swish_payment_id}",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, NOT_FOUND), provider_admin_other=FORBIDDEN),
        url=path("/api/v1/staff/desk-swish-payments/{id}"),
    ),
    # --- branch admin: the settings pages that replace the Django admin for provider administrators ---
    Row("staffsettings:listings", settings_page(OK), url=_own_unit_settings("listningar/")),
    Row(
        "staffsettings:end_listing",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/mottagningar/{unit_id}/listningar/{id}/avsluta/"),
        method="POST",
    ),
    Row(
        "staffsettings:staff_member",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/vardgivare/medarbetare/{id}/"),
    ),
    Row("tokensettings:tokens", settings_page(OK), url=path("/personal/installningar/api-nycklar/")),
    Row(
        "tokensettings:revoke",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/api-nycklar/{id}/aterkalla/"),
        method="POST",
    ),
    Row("supportsettings:queue", settings_page(OK), url=path("/personal/installningar/support/")),
    Row("supportsettings:request", settings_page(NOT_FOUND), url=path("/personal/installningar/support/{id}/")),
    Row(
        "supportsettings:handled",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/support/{id}/hanterad/"),
        method="POST",
    ),
    *(
        Row(
            f"{method} /api/v1/staff/settings/{template}",
            expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=outcome),
            url=path(f"/api/v1/staff/settings/{concrete}"),
            data=data,
        )
        for method, template, concrete, data, outcome in [
            ("PATCH", "units/{unit_id}", "units/{unit_id}", {}, NOT_FOUND),
            ("GET", "units/{unit_id}/listings", "units/{unit_id}/listings", None, NOT_FOUND),
            ("POST", "units/{unit_id}/listings", "units/{unit_id}/listings", {"personal_number": ""}, NOT_FOUND),
            ("DELETE", "units/{unit_id}/listings/{listing_id}", "units/{unit_id}/listings/{id}", None, NOT_FOUND),
            ("PATCH", "staff/{staff_id}", "staff/{id}", {}, NOT_FOUND),
            ("GET", "integration-tokens", "integration-tokens", None, OK),
            ("POST", "integration-tokens", "integration-tokens", {"name": "", "scopes": []}, 400),
            ("DELETE", "integration-tokens/{token_id}", "integration-tokens/{id}", None, NOT_FOUND),
        ]
    ),
    # --- records3: early access withdrawn and in the API (REC-8), insurers in the settings area and the API (REC-9) ---
    Row(
        "records:withdraw_early_access",
        staff_page(provider_admin=NOT_FOUND) | for_(UNIT_STAFF, NOT_FOUND),
        url=path("/personal/tidig-atkomst/{id}/aterkalla/"),
        method="POST",
        data={},
        note="the head of unit (verksamhetschef) only; records/tests/test_early_access_withdrawal.py",
    ),
    Row("recordsettings:insurance", settings_page(OK), url=path("/personal/installningar/forsakring/")),
    Row(
        "recordsettings:add_insurer",
        settings_page(INVALID),
        url=path("/personal/installningar/forsakring/forsakringsbolag/ny/"),
        method="POST",
        data={},
        note="no name: refused at its field",
    ),
    *(
        Row(
            f"recordsettings:{name}",
            settings_page(NOT_FOUND),
            url=path(f"/personal/installningar/forsakring/{suffix}"),
            method="POST",
            data={},
            note="a missing (or another provider's) insurer or e-service: 404",
        )
        for name, suffix in [
            ("change_insurer", "forsakringsbolag/{id}/"),
            ("link_insurer_token", "forsakringsbolag/{id}/api-nyckel/"),
            ("mark_service", "e-tjanster/{id}/"),
        ]
    ),
    Row("GET /api/v1/records/early-access", resident_api()),
    Row(
        "POST /api/v1/records/cases/{case_id}/early-access",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/cases/{id}/early-access"),
    ),
    Row("GET /api/v1/records/early-access-applications", expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND))),
    Row(
        "POST /api/v1/records/early-access-applications/{application_id}/decision",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/early-access-applications/{id}/decision"),
        data={"decision": "granted", "reason": "Moget barn."},
        note="the head of unit only",
    ),
    Row(
        "POST /api/v1/records/early-access-applications/{application_id}/withdraw",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/records/early-access-applications/{id}/withdraw"),
        data={"reason": "Ny bedömning."},
        note="the head of unit only",
    ),
    Row("GET /api/v1/records/powers-of-attorney", resident_api()),
    Row(
        "POST /api/v1/records/powers-of-attorney/{poa_id}/revoke",
        resident_api(NOT_FOUND),
        url=path("/api/v1/records/powers-of-attorney/{id}/revoke"),
    ),
    Row(
        "POST /api/v1/integrations/insurer-requests",
        expect(UNAUTHENTICATED),
        data={},
        note="Authorization: Bearer <an insurer's integration token> only; records/tests/test_insurer_api.py",
    ),
    # --- svcnew (issue 11, item 13): a new e-service, national sharing periods, staff personal numbers ---
    Row("staffsettings:service_add", settings_page(OK), url=path("/personal/installningar/vardgivare/e-tjanster/ny/")),
    Row(
        "recordsettings:sharing_periods",
        settings_page(OK),
        url=path("/personal/installningar/journal/sammanhallen-journalforing/"),
    ),
    Row(
        "recordsettings:end_sharing_period",
        settings_page(NOT_FOUND),
        url=path("/personal/installningar/journal/sammanhallen-journalforing/{id}/avsluta/"),
    ),
    Row("recordsettings:staff_numbers", settings_page(OK), url=path("/personal/installningar/journal/personnummer/")),
    Row(
        "recordsettings:staff_number",
        settings_page(NOT_FOUND),
        url=lambda world, persona: f"/personal/installningar/journal/personnummer/{world.obj('handler_x').pk}/",
        note="another provider's staff member is the same 404 as a missing one",
    ),
    *(
        Row(
            f"{method} /api/v1/staff/settings/{template}",
            expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=outcome),
            url=path(f"/api/v1/staff/settings/{concrete}"),
            data=data,
            note="provider administrators only",
        )
        for method, template, concrete, data, outcome in [
            ("POST", "services", "services", {"kind": ""}, 400),
            ("GET", "sharing-periods", "sharing-periods", None, OK),
            (
                "POST",
                "sharing-periods",
                "sharing-periods",
                {"starts_on": "2024-01-02", "ends_on": "2024-01-01", "mode": "shared"},
                400,  # schema-valid, so permissions come first; then the end before the start is refused
            ),
            (
                "POST",
                "sharing-periods/{period_id}/end",
                "sharing-periods/{id}/end",
                {"ends_on": "2024-01-01"},
                NOT_FOUND,
            ),
            ("GET", "staff-personal-numbers", "staff-personal-numbers", None, OK),
            (
                "PUT",
                "staff/{staff_id}/personal-number",
                "staff/{id}/personal-number",
                {"personal_number": ""},
                NOT_FOUND,
            ),
        ]
    ),
    # --- branch summons: summons letters to post (PRIV-4), for whoever may summon at the unit ----------------------
    Row(
        "bookings:staff_summons_letters",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/kallelsebrev/"),
        note="the booking_admin or unit_admin role at the unit (or its provider's administrator)",
    ),
    Row(
        "bookings:staff_summons_letters_pdf",
        staff_page(provider_admin=REDIRECT) | for_(UNIT_STAFF, FORBIDDEN),
        url=path("/personal/tidbok/kallelsebrev/utskrift.pdf"),
    ),
    Row("GET /api/v1/staff/bookings/summons-letters", expect(UNAUTHENTICATED, **for_(STAFF, FORBIDDEN))),
    Row("GET /api/v1/staff/bookings/summons-letters/batch", expect(UNAUTHENTICATED, **for_(STAFF, FORBIDDEN))),
    Row("POST /api/v1/staff/bookings/summons-letters/posted", expect(UNAUTHENTICATED, **for_(STAFF, INVALID)), data={}),
    # --- branch qreview: peer review of cases (QA-1): the appointed reviewers' queue, the provider's follow-up ---
    Row(
        "quality:review_queue",
        expect(LOGIN, **for_(STAFF, FORBIDDEN)),
        url=path("/personal/kvalitet/granskning/"),
        note="the provider's appointed peer reviewers (kvalitetsgranskare); no persona is one",
    ),
    Row(
        "quality:review_detail",
        expect(LOGIN, **for_(STAFF, NOT_FOUND)),
        url=path("/personal/kvalitet/granskning/{id}/"),
        note="a picked case reachable by the reviewer; the same 404 for 'not yours'",
    ),
    Row(
        "quality:review_follow_up",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/kvalitet/granskning/uppfoljning/"),
        note="the provider's administrators and heads of unit",
    ),
    Row(
        "quality:review_appoint",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=REDIRECT),
        url=path("/personal/kvalitet/granskning/granskare/"),
        method="POST",
        data={},
        note="the provider's administrator appoints; an empty choice is refused with a message",
    ),
    Row(
        "quality:review_end_appointment",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=NOT_FOUND),
        url=path("/personal/kvalitet/granskning/granskare/{id}/avsluta/"),
        method="POST",
        data={},
    ),
    Row("GET /api/v1/staff/quality/reviews", expect(UNAUTHENTICATED, **for_(STAFF, FORBIDDEN))),
    Row(
        "GET /api/v1/staff/quality/reviews/{pick_id}",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/quality/reviews/{id}"),
    ),
    Row(
        "POST /api/v1/staff/quality/reviews/{pick_id}",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/quality/reviews/{id}"),
        data={"outcome": "no_remark"},
    ),
    # --- branch qsurvey: the resident's survey after a visit and its results for staff (QA-2) ----------------------
    Row("quality:surveys", resident_page(), url=path("/mina-sidor/enkater/")),
    Row(
        "quality:survey",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/enkater/{id}/"),
        note="only the invited resident's own survey; any other id is the same 404",
    ),
    Row(
        "quality:survey_skip",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/enkater/{id}/hoppa-over/"),
        method="POST",
        data={},
    ),
    Row(
        "quality:survey_thanks", expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)), url=path("/mina-sidor/enkater/{id}/tack/")
    ),
    Row(
        "quality:survey_results",
        expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
        url=path("/personal/kvalitet/enkater/"),
        note="the provider's administrators and heads of unit",
    ),
    Row("GET /api/v1/me/surveys", resident_api()),
    Row(
        "POST /api/v1/me/surveys/{survey_id}/answer",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/surveys/{id}/answer"),
        data={"overall": 5},
    ),
    Row("POST /api/v1/me/surveys/{survey_id}/skip", resident_api(NOT_FOUND), url=path("/api/v1/me/surveys/{id}/skip")),
    Row(
        "GET /api/v1/staff/quality/surveys",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    # --- branch spiro: home measurement periods that form the basis of a diagnosis (QA-5) ------------------------
    Row(
        "labs:period",
        expect(LOGIN, **for_(RESIDENTS, NOT_FOUND)),
        url=path("/mina-sidor/remisser/hemmatning/{id}/"),
        note="another resident's period is the same 404 as a missing one",
    ),
    *(
        Row(
            f"labs:{name}",
            expect(LOGIN, **for_(STAFF, NOT_FOUND)),
            url=path(f"/personal/digitala-besok/{{id}}/remisser/{suffix}"),
            method="POST",
        )
        for name, suffix in [("order_period", "hemmatning/"), ("conclude_period", "hemmatning/{id}/sammanfattning/")]
    ),
    Row("GET /api/v1/me/home-measurements", resident_api()),
    Row(
        "GET /api/v1/me/home-measurements/{period_id}",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/home-measurements/{id}"),
    ),
    Row(
        "POST /api/v1/me/home-measurements/{period_id}/readings",
        resident_api(NOT_FOUND),
        url=path("/api/v1/me/home-measurements/{id}/readings"),
        data={"measured_on": "2026-01-01", "slot": "morning", "pef": 400},
    ),
    Row(
        "GET /api/v1/staff/cases/{case_id}/measurement-periods",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/measurement-periods"),
    ),
    Row(
        "POST /api/v1/staff/cases/{case_id}/measurement-periods",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/measurement-periods"),
        data={"kind": "pef"},
    ),
    Row(
        "POST /api/v1/staff/cases/{case_id}/measurement-periods/{period_id}/summary",
        expect(UNAUTHENTICATED, **for_(STAFF, NOT_FOUND)),
        url=path("/api/v1/staff/cases/{id}/measurement-periods/{id}/summary"),
        data={"body": "Astma.", "diagnosis_codes": ["J45.9"]},
    ),
    # --- branch qstats: quality statistics, continuity (QA-3) and prescribing (QA-4) ---------------------------
    *(
        Row(
            f"quality:{name}",
            expect(LOGIN, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
            url=path(url),
            note="provider admins (their own provider's figures) and heads of unit; other staff get 403",
        )
        for name, url in [
            ("stats_home", "/personal/kvalitet/"),
            ("stats_continuity", "/personal/kvalitet/kontinuitet/"),
            ("stats_continuity_csv", "/personal/kvalitet/kontinuitet/csv/"),
            ("stats_prescribing", "/personal/kvalitet/forskrivning/"),
            ("stats_prescribing_csv", "/personal/kvalitet/forskrivning/csv/"),
        ]
    ),
    Row(
        "GET /api/v1/staff/quality/continuity",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
    Row(
        "GET /api/v1/staff/quality/prescribing",
        expect(UNAUTHENTICATED, **for_(UNIT_STAFF, FORBIDDEN), provider_admin_other=OK),
    ),
]


def _help_entry(world: World) -> int:
    """An entry of unit_x's provider, written by its administrator (the same one for every persona)."""
    from tests.personas import actor_for
    from vardnav.help.actions import do_save_help_article
    from vardnav.help.models import HelpArticle

    provider_admin = world.obj("provider_admin")
    found = HelpArticle.objects.filter(provider_id=provider_admin.provider_id).first()
    if found is None:
        found = do_save_help_article(
            actor_for(provider_admin),
            title="Var parkerar jag?",
            body_html="<p>Bakom huset.</p>",
            category="bookings",
            audience="resident",
        )
    return found.pk


def _invoice_of_a(world: World) -> Any:
    """An invoice of resident_a's case at unit_x (made directly: the invoicing itself is tested in billing)."""
    import datetime as dt

    from tests.personas import actor_for
    from vardnav.billing.models import DeliveryChannel, Invoice
    from vardnav.billing.ocr import invoice_ocr
    from vardnav.cases.actions import do_submit_case
    from vardnav.core import clock

    resident_a = world.obj("resident_a")
    invoice = Invoice.objects.filter(payer=resident_a).first()
    if invoice is None:
        case = do_submit_case(
            actor_for(resident_a),
            service=world.obj("open_service"),
            unit=world.obj("unit_x"),
            answers={"subject": "Intyg", "details": "Ett intyg, tack."},
        )
        invoice = Invoice.objects.create(
            case=case,
            provider_id=case.provider_id,
            payer=resident_a,
            patient=resident_a,
            number=f"F{case.pk:08d}",
            ocr=invoice_ocr(case.pk),
            amount_ore=20000,
            delivery=DeliveryChannel.APP,
            issued_on=clock.today(),
            due_on=clock.today() + dt.timedelta(days=30),
            created_at=clock.now(),
        )
    return invoice


def _digital_area(world: World) -> Any:
    """A complaint area handled digitally: the standard areas installed at unit_y once per test."""
    from tests.personas import SYSTEM
    from vardnav.visits.actions import do_install_standard_areas
    from vardnav.visits.models import ComplaintArea

    unit = world.obj("unit_y")
    if not ComplaintArea.objects.filter(unit=unit).exists():
        do_install_standard_areas(SYSTEM, unit)
    return ComplaintArea.objects.filter(unit=unit, handled_digitally=True).first()


def _free_time(world: World) -> Any:
    """A free time at unit_x: a nurse visit and a week of times, published by the unit's head once per test."""
    import datetime as dt

    from tests.personas import actor_for
    from vardnav.bookings.access import bookable_visit_types, free_times
    from vardnav.bookings.actions import Series, do_create_visit_type, do_publish_series, do_set_booking_settings
    from vardnav.bookings.models import VisitKind
    from vardnav.core import clock
    from vardnav.organizations.models import Profession, Role

    unit = world.obj("unit_x")
    visit_type = bookable_visit_types(unit).first()
    if visit_type is None:
        publisher = actor_for(world.obj("unit_admin_x"), unit=unit, role=Role.UNIT_ADMIN)
        do_set_booking_settings(publisher, unit=unit, online_booking=True, drop_in=False, drop_in_hours=[])
        visit_type = do_create_visit_type(
            publisher,
            unit=unit,
            kind=VisitKind.NURSE_VISIT,
            name="Sjuksköterskebesök",
            duration_minutes=20,
            profession=Profession.NURSE,
        )
        first = clock.today() + dt.timedelta(days=7)
        series = Series(
            visit_type=visit_type,
            staff=world.obj("handler_x"),
            first_day=first,
            last_day=first + dt.timedelta(days=6),
            weekdays=frozenset(range(7)),
            start=dt.time(9, 0),
            end=dt.time(10, 0),
        )
        do_publish_series(publisher, series)
    return free_times(visit_type).items[0]


def _booking_of_a(world: World) -> Any:
    """resident_a's booking of a demo time, made once per test."""
    from vardnav.bookings.actions import do_book
    from vardnav.bookings.models import Booking
    from vardnav.core.actor import Actor, ActorKind

    resident_a = world.obj("resident_a")
    booking = Booking.objects.filter(person=resident_a).first()
    if booking is None:
        actor = Actor(kind=ActorKind.RESIDENT, person_id=resident_a.pk)
        booking = do_book(actor, time_id=_free_time(world).pk).booking
    return booking


# --- enumerating what exists ---------------------------------------------------
# Django admin's own pages sit behind its login; only its entry point gets a row.
SKIPPED_NAMESPACES = {"admin"}
KEPT_IN_SKIPPED = {"admin:index"}
# API operations are enumerated from the OpenAPI document instead of their URL patterns.
API_NAMESPACE = "api-v1"
API_DOCUMENT_PATTERNS = {"api-v1:openapi-json", "api-v1:openapi-view", "api-v1:api-root"}
SKIPPED_PREFIXES = ("static/", "media/", "i18n/", "__debug__/")


def _walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> list[tuple[str, str, str]]:
    """(key, route, namespace) of every URL pattern, depth first."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            found += _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((name or f"route {route}", route, namespace or ""))
    return found


def _openapi_operations(client: Client) -> tuple[set[str], set[str]]:
    """("METHOD /path" keys, path templates) from the served OpenAPI document."""
    document = client.get("/api/v1/openapi.json").json()
    keys, paths = set(), set()
    for path, operations in document["paths"].items():
        paths.add(path)
        for method in operations:
            if method.upper() in HTTP_METHODS:
                keys.add(f"{method.upper()} {path}")
    return keys, paths


def _ninja_route_as_openapi(route: str) -> str:
    """'api/v1/cases/<int:case_id>' → '/api/v1/cases/{case_id}'."""
    parts = []
    for segment in route.split("/"):
        if segment.startswith("<") and segment.endswith(">"):
            segment = "{" + segment[1:-1].split(":")[-1] + "}"
        parts.append(segment)
    return "/" + "/".join(parts)


def every_endpoint(client: Client) -> set[str]:
    api_keys, api_paths = _openapi_operations(client)
    keys = set(api_keys)
    for key, route, namespace in _walk(get_resolver().url_patterns):
        top = namespace.split(":", 1)[0]
        if route.startswith(SKIPPED_PREFIXES) or "set_language" in key:
            continue
        if top in SKIPPED_NAMESPACES and key not in KEPT_IN_SKIPPED:
            continue
        if top == API_NAMESPACE and key not in API_DOCUMENT_PATTERNS:
            # An API route must be documented; one missing from the OpenAPI document gets its own row.
            if _ninja_route_as_openapi(route) in api_paths:
                continue
            key = f"route {route}"
        keys.add(key)
    return keys


# --- the tests ----------------------------------------------------------------
def test_every_endpoint_has_a_row_in_the_access_table(client):
    rows = {row.endpoint for row in ACCESS_TABLE}
    missing = sorted(every_endpoint(client) - rows)
    assert not missing, "add a row to ACCESS_TABLE in tests/test_access_matrix.py for:\n" + "\n".join(
        f"  {key}" for key in missing
    )


def test_the_access_table_has_no_rows_for_endpoints_that_are_gone(client):
    stale = sorted({row.endpoint for row in ACCESS_TABLE} - every_endpoint(client))
    assert not stale, f"ACCESS_TABLE rows for endpoints that no longer exist: {stale}"


def outcome_of(response: Any) -> Any:
    if response.status_code in (301, 302, 303, 307, 308):
        return LOGIN if urlparse(response["Location"]).path in LOGIN_PATHS else REDIRECT
    return response.status_code


@pytest.mark.parametrize("row", ACCESS_TABLE, ids=lambda row: row.endpoint)
def test_each_persona_gets_the_expected_answer_from_each_endpoint(row, request, bankid_simulator):
    world = World(request)
    mismatches = []
    for persona, expected in row.expected.items():
        client = log_in_client(Client(enforce_csrf_checks=True), world.identity(persona))
        path = row.path(world, persona)
        method = row.request_method()
        if row.is_api():
            body, content_type = json.dumps(row.data) if row.data is not None else "", "application/json"
        else:  # pages take HTML forms
            body, content_type = urlencode(row.data or {}), "application/x-www-form-urlencoded"
        response = client.generic(method, path, body, content_type=content_type, REMOTE_ADDR="127.0.0.1")
        cache.clear()  # rate-limit counters: each persona starts afresh
        got = outcome_of(response)
        if got != expected:
            mismatches.append(f"  {persona:<22} {method} {path}: expected {expected}, got {got}")
    assert not mismatches, f"{row.endpoint} ({row.note or 'no note'}):\n" + "\n".join(mismatches)
