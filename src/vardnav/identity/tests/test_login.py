"""Resident login with BankID through the pages, against the BankID simulator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.personas import make_person
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.identity.session import SESSION_KEY
from vardnav.identity.tests.resident_helpers import log_in_with_bankid, poll_json, start_login
from vardnav.people.access import get_person_by_personal_number

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_rate_limits"),
    pytest.mark.usefixtures("ticking_today"),
]


def test_the_login_page_has_a_start_button_and_no_password_field(client):
    response = client.get("/logga-in/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Logga in med BankID" in page
    assert 'type="password"' not in page


@pytest.mark.rule("ID-1")
def test_an_adult_logs_in_and_gets_a_session(client, bankid_simulator):
    response = log_in_with_bankid(client, bankid_simulator, ids.RESIDENT_A)

    assert response.status_code == 200
    assert response.json()["status"] == "complete"
    identity = client.session[SESSION_KEY]
    person = get_person_by_personal_number(ids.RESIDENT_A)
    assert identity["kind"] == "resident"
    assert identity["auth_method"] == "bankid"
    assert identity["person_id"] == person.pk
    assert "bankid_order" not in client.session
    assert AuditEntry.objects.filter(action="login", actor_person_id=person.pk).count() == 1


def test_the_session_key_changes_at_login(client, bankid_simulator):
    order_ref = start_login(client)
    key_before = client.session.session_key
    bankid_simulator.approve(order_ref, ids.RESIDENT_A)

    poll_json(client)

    assert client.session.session_key != key_before


def test_the_qr_secret_never_reaches_the_browser(client, bankid_simulator):
    start_login(client)
    secret = client.session["bankid_order"]["qr_start_secret"]

    page = client.get("/logga-in/").content.decode()
    qr = client.get("/logga-in/qr/")

    assert "Mobilt BankID på annan enhet" in page
    assert "Öppna BankID på den här enheten" in page
    assert "bankid:///?autostarttoken=" in page
    assert secret not in page
    assert qr.status_code == 200
    assert qr["Content-Type"].startswith("image/svg+xml")
    assert secret not in qr.content.decode()


def test_the_qr_code_changes_every_second(client, bankid_simulator, ticking_today):
    start_login(client)
    first = client.get("/logga-in/qr/").content
    ticking_today.shift(1)
    second = client.get("/logga-in/qr/").content
    assert first != second


def test_a_pending_order_answers_with_a_swedish_message(client, bankid_simulator):
    start_login(client)

    body = poll_json(client).json()

    assert body["status"] == "pending"
    assert "BankID" in body["message"]
    assert SESSION_KEY not in client.session


def test_without_javascript_the_button_completes_the_login(client, bankid_simulator):
    order_ref = start_login(client)
    bankid_simulator.approve(order_ref, ids.RESIDENT_A)

    response = client.post("/logga-in/status/", {"flow": "qr"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY]["kind"] == "resident"


@pytest.mark.rule("ID-2")
def test_a_14_year_old_is_refused_with_how_a_guardian_logs_in(client, bankid_simulator):
    response = log_in_with_bankid(client, bankid_simulator, ids.CHILD_14)

    body = response.json()
    assert response.status_code == 403
    assert body["code"] == "under-16"
    assert "Du som är under 16 år kan inte logga in själv" in body["message"]
    assert "vårdnadshavare loggar in med sitt eget BankID" in body["message"]
    assert SESSION_KEY not in client.session
    assert "bankid_order" not in client.session
    assert get_person_by_personal_number(ids.CHILD_14) is None
    assert not AuditEntry.objects.filter(action="login").exists()


@pytest.mark.rule("ID-2")
def test_the_refusal_of_a_child_is_shown_on_the_page_without_javascript(client, bankid_simulator):
    order_ref = start_login(client)
    bankid_simulator.approve(order_ref, ids.CHILD_8)

    response = client.post("/logga-in/status/", {"flow": "qr"})

    assert response.status_code == 403
    assert "Du som är under 16 år kan inte logga in själv" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.rule("ID-3")
def test_a_17_year_old_logs_in_with_their_own_bankid(client, bankid_simulator):
    response = log_in_with_bankid(client, bankid_simulator, ids.CHILD_17)
    assert response.json()["status"] == "complete"
    assert client.session[SESSION_KEY]["person_id"] == get_person_by_personal_number(ids.CHILD_17).pk


def test_a_cancelled_order_stores_nothing(client, bankid_simulator):
    order_ref = start_login(client)
    bankid_simulator.user_cancel(order_ref)

    body = poll_json(client).json()

    assert body["status"] == "failed"
    assert body["message"] == "Du avbröt i BankID-appen."
    assert "bankid_order" not in client.session
    assert SESSION_KEY not in client.session


def test_the_cancel_button_cancels_the_order_at_bankid(client, bankid_simulator):
    order_ref = start_login(client)

    response = client.post("/logga-in/avbryt/")

    assert response.status_code == 200
    assert "Inloggningen avbröts." in response.content.decode()
    assert "bankid_order" not in client.session
    assert all(order["orderRef"] != order_ref for order in bankid_simulator.pending_orders())


def test_polling_without_an_order_gives_a_clear_message(client):
    response = poll_json(client)
    assert response.status_code == 404
    assert "Inloggningen hittades inte" in response.json()["message"]
    assert SESSION_KEY not in client.session


def test_another_sessions_order_cannot_be_completed_here(client, bankid_simulator):
    order_ref = start_login(client)
    bankid_simulator.approve(order_ref, ids.RESIDENT_A)
    intruder = Client()

    response = poll_json(intruder)

    assert response.status_code == 404
    assert SESSION_KEY not in intruder.session
    assert intruder.get("/logga-in/qr/").status_code == 404


def test_an_error_from_the_id_service_shows_the_recommended_message(client, bankid_simulator):
    bankid_simulator.fail_next("alreadyInProgress", "auth")

    response = client.post("/logga-in/")

    assert response.status_code == 409
    assert "redan en legitimering" in response.content.decode()
    assert "bankid_order" not in client.session


def test_an_order_older_than_bankids_lifetime_is_forgotten(client, bankid_simulator, ticking_today):
    start_login(client)
    ticking_today.shift(5 * 60)

    response = poll_json(client)

    assert response.status_code == 404
    assert "bankid_order" not in client.session


def test_a_logged_in_resident_is_not_shown_the_login_page_again(client, bankid_simulator):
    log_in_with_bankid(client, bankid_simulator, ids.RESIDENT_A)
    assert client.get("/logga-in/").status_code == 302


@pytest.mark.rule("ID-1")
def test_a_resident_has_no_password_login_anywhere(client, bankid_simulator):
    """Residents are not Django users: BankID creates none, and no form takes a password for them."""
    log_in_with_bankid(client, bankid_simulator, ids.RESIDENT_A)
    assert not get_user_model().objects.exists()

    anonymous = Client()
    posted = anonymous.post("/logga-in/", {"username": ids.RESIDENT_A, "password": "hemligt-lösenord-123"})
    assert SESSION_KEY not in anonymous.session
    assert posted.status_code == 302  # it only starts a BankID order; the password is ignored

    admin = Client()
    response = admin.post(
        "/admin/login/?next=/admin/", {"username": ids.RESIDENT_A, "password": "hemligt-lösenord-123"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in admin.session
    assert SESSION_KEY not in admin.session


@pytest.mark.rule("ID-1")
def test_a_django_user_named_like_a_resident_gets_no_resident_session():
    """Even a Django user named like a resident only reaches the admin, never a resident identity."""
    user = get_user_model().objects.create_user(username=ids.RESIDENT_A, password="ett-långt-lösenord-42")
    client = Client()
    assert client.login(username=user.username, password="ett-långt-lösenord-42")
    assert SESSION_KEY not in client.session
    assert client.get("/mina-sidor/profil/").status_code == 302


def test_a_guardian_of_young_children_is_sent_to_choose_whom_to_act_for(client, bankid_simulator):
    body = log_in_with_bankid(client, bankid_simulator, ids.GUARDIAN).json()
    assert body["redirect"] == "/valj-person/"


def test_a_resident_without_children_goes_to_where_they_were_going(client, bankid_simulator):
    client.get("/logga-in/?next=/mina-sidor/profil/")
    response = client.post("/logga-in/", {"next": "/mina-sidor/profil/"})
    assert response.status_code == 302
    bankid_simulator.approve(client.session["bankid_order"]["order_ref"], ids.RESIDENT_A)

    assert poll_json(client).json()["redirect"] == "/mina-sidor/profil/"


def test_an_outside_next_address_is_ignored(client, bankid_simulator):
    client.post("/logga-in/", {"next": "https://evil.example/"})
    bankid_simulator.approve(client.session["bankid_order"]["order_ref"], ids.RESIDENT_A)

    assert poll_json(client).json()["redirect"] == "/arenden/"


def test_every_login_form_needs_a_csrf_token(bankid_simulator):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/logga-in/").status_code == 403
    assert strict.post("/logga-in/status/").status_code == 403
    assert strict.post("/logga-ut/").status_code == 403


def test_known_people_are_refreshed_from_the_register_at_login(client, bankid_simulator):
    person = make_person(ids.RESIDENT_A)
    log_in_with_bankid(client, bankid_simulator, ids.RESIDENT_A)
    assert client.session[SESSION_KEY]["person_id"] == person.pk
