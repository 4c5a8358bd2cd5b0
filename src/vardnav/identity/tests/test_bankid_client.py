"""The BankID client against the real simulator over mutual TLS: order life cycle and errors."""

from __future__ import annotations

import base64
import json
import time

import pytest
from django.conf import settings

from vardnav.demo import identities as demo_identities
from vardnav.identity.bankid.client import BankIdClient, BankIdError, get_bankid_client

# A Skatteverket test number (data/skatteverket-testpersonnummer.csv) that the demo register lacks.
UNREGISTERED = "189001019802"


def register_name(personal_number: str) -> tuple[str, str]:
    data = json.loads(settings.POPULATION_REGISTER_FILE.read_text(encoding="utf-8"))
    person = next(p for p in data["persons"] if p["personal_number"] == personal_number)
    return person["given_name"], person["surname"]


@pytest.mark.rule("ID-1")
def test_a_resident_logs_in_pending_until_approved_then_complete_with_the_register_name(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    assert start.order_ref and start.auto_start_token and start.qr_start_token and start.qr_start_secret
    assert start.started_at.tzinfo is not None

    pending = client.collect(start.order_ref)
    assert (pending.status, pending.hint_code, pending.user) == ("pending", "outstandingTransaction", None)

    bankid_simulator.scan(start.order_ref, demo_identities.RESIDENT_A)
    assert client.collect(start.order_ref).hint_code == "userSign"

    bankid_simulator.approve(start.order_ref, demo_identities.RESIDENT_A)
    done = client.collect(start.order_ref)
    given_name, surname = register_name(demo_identities.RESIDENT_A)
    assert done.status == "complete" and done.hint_code is None
    assert done.user.personal_number == demo_identities.RESIDENT_A
    assert (done.user.given_name, done.user.surname, done.user.name) == (given_name, surname, f"{given_name} {surname}")
    assert done.completion_data["device"]["ipAddress"] == "127.0.0.1"


def test_the_result_never_shows_the_personal_number_in_its_repr(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    bankid_simulator.approve(start.order_ref, demo_identities.RESIDENT_A)
    result = client.collect(start.order_ref)
    assert demo_identities.RESIDENT_A not in repr(result)
    assert start.qr_start_secret not in repr(start)


def test_a_number_missing_from_the_register_gets_a_generic_test_name(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    bankid_simulator.approve(start.order_ref, UNREGISTERED)
    assert client.collect(start.order_ref).user.name == "Test Testsson"


def test_a_completed_order_is_gone_after_it_has_been_collected(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    bankid_simulator.approve(start.order_ref, demo_identities.RESIDENT_B)
    assert client.collect(start.order_ref).status == "complete"
    with pytest.raises(BankIdError) as error:
        client.collect(start.order_ref)
    assert error.value.error_code == "invalidParameters"


def test_a_signing_order_returns_the_signature_over_the_visible_text(bankid_simulator):
    client = get_bankid_client()
    start = client.sign("127.0.0.1", "Jag intygar att uppgifterna är riktiga.", user_non_visible_data="case:42")
    bankid_simulator.approve(start.order_ref, demo_identities.GUARDIAN)
    done = client.collect(start.order_ref)
    assert done.status == "complete"
    for key in ("signature", "ocspResponse", "bankIdIssueDate", "device"):
        assert done.completion_data[key]
    assert "Jag intygar att uppgifterna är riktiga." in base64.b64decode(done.completion_data["signature"]).decode()


def test_the_user_cancelling_in_the_app_fails_the_order_with_user_cancel(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    bankid_simulator.user_cancel(start.order_ref)
    result = client.collect(start.order_ref)
    assert (result.status, result.hint_code) == ("failed", "userCancel")


def test_an_order_nobody_answers_expires(bankid_simulator):
    bankid_simulator.configure(order_timeout=0.4)
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    time.sleep(0.5)
    result = client.collect(start.order_ref)
    assert (result.status, result.hint_code) == ("failed", "expiredTransaction")


def test_an_order_nobody_scans_fails_with_start_failed_when_that_timeout_is_on(bankid_simulator):
    bankid_simulator.configure(start_timeout=0.3)
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    time.sleep(0.4)
    assert client.collect(start.order_ref).hint_code == "startFailed"


def test_autostart_on_the_same_device_reports_started(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    bankid_simulator.open_app(start.auto_start_token)
    assert client.collect(start.order_ref).hint_code == "started"


def test_a_second_order_for_the_same_person_cancels_the_first(bankid_simulator):
    client = get_bankid_client()
    first = client.auth("127.0.0.1")
    bankid_simulator.scan(first.order_ref, demo_identities.RESIDENT_A)
    second = client.auth("127.0.0.1")
    bankid_simulator.scan(second.order_ref, demo_identities.RESIDENT_A)

    old = client.collect(first.order_ref)
    assert (old.status, old.hint_code) == ("failed", "cancelled")
    bankid_simulator.approve(second.order_ref, demo_identities.RESIDENT_A)
    assert client.collect(second.order_ref).status == "complete"


def test_another_persons_order_is_left_alone(bankid_simulator):
    client = get_bankid_client()
    first = client.auth("127.0.0.1")
    bankid_simulator.scan(first.order_ref, demo_identities.RESIDENT_A)
    second = client.auth("127.0.0.1")
    bankid_simulator.scan(second.order_ref, demo_identities.RESIDENT_B)
    assert client.collect(first.order_ref).hint_code == "userSign"


def test_an_order_required_for_a_person_already_in_progress_is_refused_and_the_old_one_cancelled(bankid_simulator):
    client = get_bankid_client()
    requirement = {"personalNumber": demo_identities.GUARDIAN}
    first = client.sign("127.0.0.1", "Underskrift 1", requirement=requirement)
    with pytest.raises(BankIdError) as error:
        client.sign("127.0.0.1", "Underskrift 2", requirement=requirement)
    assert error.value.error_code == "alreadyInProgress"
    result = client.collect(first.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")


def test_an_order_required_for_one_person_cannot_be_approved_by_another(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1", requirement={"personalNumber": demo_identities.GUARDIAN})
    with pytest.raises(AssertionError, match="annat personnummer"):
        bankid_simulator.approve(start.order_ref, demo_identities.GUARDIAN_2)
    assert client.collect(start.order_ref).status == "pending"


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("collect", ("00000000-0000-4000-8000-000000000000",)),
        ("cancel", ("00000000-0000-4000-8000-000000000000",)),
        ("auth", ("not-an-ip-address",)),
    ],
)
def test_bad_parameters_are_refused_as_invalid_parameters(bankid_simulator, call, args):
    with pytest.raises(BankIdError) as error:
        getattr(get_bankid_client(), call)(*args)
    assert error.value.error_code == "invalidParameters"
    assert error.value.details


def test_a_cancelled_order_is_gone(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    client.cancel(start.order_ref)
    with pytest.raises(BankIdError) as error:
        client.collect(start.order_ref)
    assert error.value.error_code == "invalidParameters"


@pytest.mark.parametrize("code", ["maintenance", "internalError", "requestTimeout", "unauthorized", "notFound"])
def test_bankid_error_codes_reach_the_caller_unchanged(bankid_simulator, code):
    bankid_simulator.fail_next(code, "auth")
    with pytest.raises(BankIdError) as error:
        get_bankid_client().auth("127.0.0.1")
    assert error.value.error_code == code


def test_an_unreachable_server_is_a_transport_error(bankid_simulator, settings):
    client = BankIdClient(
        "https://127.0.0.1:1/rp/v6.0/",
        cert_file=settings.BANKID_CERT_FILE,
        key_file=settings.BANKID_KEY_FILE,
        ca_file=settings.BANKID_CA_FILE,
        timeout=2,
    )
    with pytest.raises(BankIdError) as error:
        client.auth("127.0.0.1")
    assert error.value.error_code == "transport"


def test_a_missing_client_certificate_file_is_a_transport_error_not_a_crash(bankid_simulator, settings, tmp_path):
    settings.BANKID_CERT_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(BankIdError) as error:
        get_bankid_client().auth("127.0.0.1")
    assert error.value.error_code == "transport"
