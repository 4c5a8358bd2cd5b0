"""The identity API: the same rules as the pages, answered in JSON and problem+json."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.personas import make_person
from tests.tasks import run_tasks
from vardnav.demo import identities as ids
from vardnav.identity.bankid.client import get_bankid_client
from vardnav.identity.session import SESSION_KEY
from vardnav.identity.tests.resident_helpers import logged_in
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import ContactSharingConsent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rate_limits")]
PROBLEM = "application/problem+json"


def api_login(client, simulator, personal_number):
    started = client.post("/api/v1/auth/bankid")
    assert started.status_code == 201
    order_ref = started.json()["order_ref"]
    simulator.approve(order_ref, personal_number)
    return client.post(f"/api/v1/auth/bankid/{order_ref}/collect")


@pytest.fixture
def guardian(frozen_today):
    return make_person(ids.GUARDIAN)


@pytest.mark.rule("ID-1")
def test_a_resident_logs_in_through_the_api(client, bankid_simulator, ticking_today):
    response = api_login(client, bankid_simulator, ids.RESIDENT_A)

    assert response.status_code == 200
    assert response.json()["status"] == "complete"
    me = client.get("/api/v1/me").json()
    assert me["kind"] == "resident"
    assert me["person"]["personal_number"] == "19760101-2391"
    assert me["acting_for"] is None


def test_starting_a_login_returns_no_qr_secret(client, bankid_simulator, ticking_today):
    body = client.post("/api/v1/auth/bankid").json()
    secret = client.session["bankid_order"]["qr_start_secret"]

    qr = client.get(f"/api/v1/auth/bankid/{body['order_ref']}/qr").json()["qr_content"]

    assert set(body) == {"order_ref", "auto_start_token"}
    assert secret not in str(body) and secret not in qr
    assert qr.startswith(f"bankid.{client.session['bankid_order']['qr_start_token']}.")


def test_another_sessions_order_is_404_problem_json(client, bankid_simulator, ticking_today):
    order_ref = client.post("/api/v1/auth/bankid").json()["order_ref"]
    bankid_simulator.approve(order_ref, ids.RESIDENT_A)
    intruder = Client()

    qr = intruder.get(f"/api/v1/auth/bankid/{order_ref}/qr")
    collected = intruder.post(f"/api/v1/auth/bankid/{order_ref}/collect")

    assert qr.status_code == 404 and collected.status_code == 404
    assert collected["Content-Type"] == PROBLEM
    assert collected.json()["code"] == "login-order-not-found"
    assert SESSION_KEY not in intruder.session


def test_an_unknown_order_ref_is_404_even_with_a_live_order(client, bankid_simulator, ticking_today):
    client.post("/api/v1/auth/bankid")
    response = client.post("/api/v1/auth/bankid/not-my-order/collect")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.rule("ID-2")
def test_a_child_is_refused_through_the_api_too(client, bankid_simulator, ticking_today):
    response = api_login(client, bankid_simulator, ids.CHILD_14)

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "under-16"
    assert "vårdnadshavare" in response.json()["title"]
    assert SESSION_KEY not in client.session


def test_me_needs_a_login(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


@pytest.mark.rule("ID-3")
def test_me_lists_children_with_who_can_be_chosen(client, guardian):
    logged_in(client, guardian)

    children = {c["given_name"]: c for c in client.get("/api/v1/me").json()["children"]}

    assert children["Elsa"]["selectable"] and children["Oskar"]["selectable"]
    assert not children["Maja"]["selectable"]
    assert "16 år" in children["Maja"]["reason"]


@pytest.mark.rule("ID-2")
def test_a_guardian_chooses_a_child_through_the_api(client, guardian):
    logged_in(client, guardian)
    child = get_person_by_personal_number(ids.CHILD_8)

    response = client.post("/api/v1/me/acting-for", {"person_id": child.pk}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["acting_for"]["id"] == child.pk
    assert client.session[SESSION_KEY]["acting_for_id"] == child.pk
    back = client.post("/api/v1/me/acting-for", {"person_id": None}, content_type="application/json")
    assert back.json()["acting_for"] is None


@pytest.mark.rule("ID-3")
def test_choosing_a_child_of_17_or_a_stranger_is_404(client, guardian):
    stranger = make_person(ids.RESIDENT_B)
    logged_in(client, guardian)

    for person_id in (get_person_by_personal_number(ids.CHILD_17).pk, stranger.pk, 10**9):
        response = client.post("/api/v1/me/acting-for", {"person_id": person_id}, content_type="application/json")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
    assert client.session[SESSION_KEY]["acting_for_id"] is None


def test_bad_input_is_422_problem_json_not_a_server_error(client, guardian):
    logged_in(client, guardian)
    # An id beyond 64 bits or below 1 names no row: refused before the database sees it.
    for body in (
        '{"person_id": "elsa"}',
        "not json",
        '{"person_id": [1]}',
        '{"person_id": 99999999999999999999}',
        '{"person_id": 0}',
    ):
        response = client.post("/api/v1/me/acting-for", body, content_type="application/json")
        assert response.status_code in (400, 422)
        assert response["Content-Type"] == PROBLEM


@pytest.mark.rule("ID-6")
def test_the_profile_is_read_and_patched_through_the_api(client, guardian, django_capture_on_commit_callbacks):
    logged_in(client, guardian)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            "/api/v1/me/profile", {"email": "anna@exempel.se", "phone": "0701234567"}, content_type="application/json"
        )

    body = response.json()
    assert response.status_code == 200
    assert body["email"] == "anna@exempel.se" and body["phone"] == "+46701234567"
    assert body["email_confirmed"] is False
    run_tasks()
    assert len(mail.outbox) == 1
    only_phone = client.patch("/api/v1/me/profile", {"phone": ""}, content_type="application/json").json()
    assert only_phone["email"] == "anna@exempel.se" and only_phone["phone"] == ""


@pytest.mark.rule("ID-6")
def test_invalid_contact_details_are_422_with_swedish_field_errors(client, guardian):
    logged_in(client, guardian)

    response = client.patch("/api/v1/me/profile", {"email": "nej", "phone": "abc"}, content_type="application/json")

    problem = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "Skriv en giltig e-postadress" in problem["errors"]["email"][0]
    assert "Skriv ett giltigt telefonnummer" in problem["errors"]["phone"][0]


@pytest.mark.rule("PRIV-1")
def test_a_protected_resident_cannot_store_contact_details_through_the_api(client, frozen_today):
    protected = make_person(ids.PROTECTED)
    logged_in(client, protected)

    profile = client.get("/api/v1/me/profile").json()
    response = client.patch("/api/v1/me/profile", {"email": "x@exempel.se"}, content_type="application/json")

    assert profile["contact_details_allowed"] is False
    assert response.status_code == 409
    assert response.json()["code"] == "protected-identity"
    protected.refresh_from_db()
    assert protected.email == ""


@pytest.mark.rule("PRIV-6")
def test_consent_is_given_and_withdrawn_through_the_api(client, guardian, django_capture_on_commit_callbacks):
    logged_in(client, guardian)
    client.patch("/api/v1/me/profile", {"phone": "0701234567"}, content_type="application/json")

    given = client.put("/api/v1/me/contact-sharing", {"share_phone": True}, content_type="application/json")
    withdrawn = client.delete("/api/v1/me/contact-sharing")

    assert given.json()["active"] and given.json()["share_phone"]
    assert withdrawn.json()["active"] is False
    assert ContactSharingConsent.objects.get(person=guardian).withdrawn_at is not None


def test_logout_through_the_api(client, guardian):
    logged_in(client, guardian)
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_cookie_session_writes_need_the_csrf_header(guardian):
    strict = Client(enforce_csrf_checks=True)
    logged_in(strict, guardian)
    # A browser that never loaded our pages: no CSRF cookie or header.
    strict.defaults.pop("HTTP_X_CSRFTOKEN", None)
    strict.cookies.pop("csrftoken", None)

    refused = strict.patch("/api/v1/me/profile", {"phone": ""}, content_type="application/json")
    token = strict.get("/api/v1/auth/csrf").json()["csrf_token"]
    allowed = strict.patch("/api/v1/me/profile", {"phone": ""}, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["code"] == "csrf"
    assert allowed.status_code == 200


def test_an_employee_session_is_not_a_resident_for_me(client, db):
    from tests.sessions import log_in_client

    log_in_client(
        client,
        {
            "kind": "staff",
            "person_id": None,
            "acting_for_id": None,
            "staff_id": 1,
            "unit_id": None,
            "role": None,
            "provider_id": None,
            "auth_method": "oidc",
            "authenticated_at": 1.0e12,
            "last_seen_at": 1.0e12,
        },
    )
    assert client.get("/api/v1/me").status_code == 401


def test_a_collect_that_loses_the_race_with_a_cancel_is_told_the_login_is_over_not_that_bankid_is_down(
    client, bankid_simulator, ticking_today
):
    """Cancel and collect of one order in flight together: the cancel reaches BankID first,
    while the collect still holds the order it read from the session."""
    order_ref = client.post("/api/v1/auth/bankid").json()["order_ref"]
    get_bankid_client().cancel(order_ref)  # what the racing cancel request did at BankID

    response = client.post(f"/api/v1/auth/bankid/{order_ref}/collect")

    assert response.status_code == 410
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "login-order-gone"
    assert "avbruten eller redan avslutad" in problem["title"]
    assert "fungerar inte" not in problem["title"]
    assert "bankid_order" not in client.session
    # The page's script gets the same answer, with a way to start again.
    page = client.post("/logga-in/status/", {"flow": "qr"}, HTTP_ACCEPT="application/json")
    assert page.status_code == 404 and "Börja om" in page.json()["message"]
