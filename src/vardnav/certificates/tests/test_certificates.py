"""Certificates and sick notes (CERT-1..CERT-4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.certificates.actions import care_sought_on, do_issue_care_certificate, do_issue_sick_note
from vardnav.certificates.errors import CertificateError
from vardnav.certificates.models import Certificate, CertificatePolicy
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.notifications.models import OutgoingMessage
from vardnav.organizations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_case(world):
    """CERT-4: resident_a asks for a certificate through the certificate e-service; handler_x (a doctor) has it."""
    case = do_submit_case(
        actor_for(world.resident_a),
        service=world.open_service,
        unit=world.unit_x,
        answers={"subject": "Sjukintyg", "details": "Jag har influensa och kan inte arbeta."},
    )
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role=Role.RECEIVER)
    return do_distribute_case(receiver, case, handler=world.handler_x)


@pytest.fixture
def doctor(world):
    return actor_for(world.handler_x, unit=world.unit_x, role=Role.HANDLER)


def sick_note(actor, case, **changes):
    start = care_sought_on(case)
    arguments = {
        "sick_from": start,
        "sick_to": start + dt.timedelta(days=6),
        "reduction": "full",
        "statement": "Influensa med feber. Kan inte arbeta.",
        "no_physical_examination_needed": True,
        "ongoing_sick_leave": False,
    } | changes
    return do_issue_sick_note(actor, case, **arguments)


@pytest.mark.rule("CERT-4")
@pytest.mark.rule("CERT-1")
def test_the_doctor_issues_a_sick_note_from_a_certificate_e_service_case_with_the_attestation(request_case, doctor):
    certificate = sick_note(doctor, request_case)
    assert certificate.no_physical_examination_needed is True
    assert certificate.subject_id == request_case.subject_id and certificate.case_number == request_case.number


@pytest.mark.rule("CERT-1")
def test_no_sick_note_without_the_attestation_that_no_physical_examination_was_needed(request_case, doctor):
    with pytest.raises(DomainError) as raised:
        sick_note(doctor, request_case, no_physical_examination_needed=False)
    assert raised.value.code is CertificateError.ATTESTATION_REQUIRED
    assert not Certificate.objects.exists()


@pytest.mark.rule("CERT-1")
def test_only_the_doctor_who_handles_the_case_issues_certificates(world, request_case):
    nurse = actor_for(world.handler_x2, unit=world.unit_x, role=Role.HANDLER)
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role=Role.RECEIVER)
    for actor in (nurse, receiver):
        with pytest.raises(DomainError) as raised:
            sick_note(actor, request_case)
        assert raised.value.code is CertificateError.NOT_A_DOCTOR
    assert not Certificate.objects.exists()


@pytest.mark.rule("CERT-2")
def test_a_sick_note_covers_at_most_14_days_by_default_and_the_providers_policy(world, request_case, doctor):
    start = care_sought_on(request_case)
    assert sick_note(doctor, request_case, sick_to=start + dt.timedelta(days=13)).sick_to == start + dt.timedelta(
        days=13
    )
    Certificate.objects.all().delete()
    with pytest.raises(DomainError) as raised:
        sick_note(doctor, request_case, sick_to=start + dt.timedelta(days=14))
    assert raised.value.code is CertificateError.TOO_LONG and "högst 14 dagar" in str(raised.value.message)
    CertificatePolicy.objects.create(provider=world.provider, sick_note_max_days=7)
    with pytest.raises(DomainError):
        sick_note(doctor, request_case, sick_to=start + dt.timedelta(days=7))
    assert not Certificate.objects.exists()


@pytest.mark.rule("CERT-2")
def test_a_sick_note_never_starts_before_the_day_care_was_sought(request_case, doctor):
    start = care_sought_on(request_case)
    with pytest.raises(DomainError) as raised:
        sick_note(doctor, request_case, sick_from=start - dt.timedelta(days=1))
    assert raised.value.code is CertificateError.BACKDATED and start.isoformat() in str(raised.value.message)
    assert not Certificate.objects.exists()


@pytest.mark.rule("CERT-2")
def test_an_ongoing_sick_leave_is_not_extended(request_case, doctor):
    with pytest.raises(DomainError) as stated:
        sick_note(doctor, request_case, ongoing_sick_leave=True)
    assert stated.value.code is CertificateError.EXTENSION
    first = sick_note(doctor, request_case)
    with pytest.raises(DomainError) as continued:
        sick_note(
            doctor,
            request_case,
            sick_from=first.sick_to + dt.timedelta(days=1),
            sick_to=first.sick_to + dt.timedelta(days=5),
        )
    assert continued.value.code is CertificateError.EXTENSION
    assert Certificate.objects.count() == 1


@pytest.mark.rule("CERT-3")
def test_certificates_are_downloaded_by_the_resident_and_never_forwarded(world, request_case, doctor):
    outbox_before = OutgoingMessage.objects.count()
    sick = sick_note(doctor, request_case)
    care = do_issue_care_certificate(doctor, request_case, statement="Sökte vård för influensa.")
    assert OutgoingMessage.objects.count() == outbox_before and not mail.outbox
    client = log_in_client(Client(), resident_identity(world.resident_a))
    page = client.get("/mina-sidor/intyg/").content.decode()
    assert "skickas inte automatiskt till Försäkringskassan" in page
    for certificate in (sick, care):
        response = client.get(f"/mina-sidor/intyg/{certificate.pk}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    listed = client.get("/api/v1/certificates").json()
    assert {item["number"] for item in listed} == {sick.number, care.number}
    assert client.get(f"/api/v1/certificates/{sick.pk}/pdf").content.startswith(b"%PDF")
    other = log_in_client(Client(), resident_identity(world.resident_b))
    assert other.get(f"/mina-sidor/intyg/{sick.pk}/pdf/").status_code == 404


def test_the_doctor_issues_on_the_page_and_bad_input_gets_a_swedish_message(world, request_case):
    client = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    case_page = client.get(f"/personal/arenden/{request_case.pk}/").content.decode()
    assert f"/personal/arenden/{request_case.pk}/intyg/" in case_page
    assert client.get(f"/personal/arenden/{request_case.pk}/intyg/").status_code == 200
    start = care_sought_on(request_case)
    refused = client.post(
        f"/personal/arenden/{request_case.pk}/intyg/sjukintyg/",
        {
            "sick_from": start.isoformat(),
            "sick_to": (start + dt.timedelta(days=3)).isoformat(),
            "reduction": "half",
            "statement": "Feber.",
        },
    )
    assert refused.status_code == 422 and "ingen fysisk undersökning behövs" in refused.content.decode()
    done = client.post(
        f"/personal/arenden/{request_case.pk}/intyg/sjukintyg/",
        {
            "no_physical_examination_needed": "on",
            "sick_from": start.isoformat(),
            "sick_to": (start + dt.timedelta(days=3)).isoformat(),
            "reduction": "half",
            "statement": "Feber.",
        },
    )
    assert done.status_code == 302 and Certificate.objects.count() == 1
    care = client.post(f"/personal/arenden/{request_case.pk}/intyg/vardintyg/", {"statement": ""})
    assert care.status_code == 422 and "Skriv läkarens bedömning" in care.content.decode()


def test_the_api_issues_a_sick_note_and_refuses_one_starting_too_early(world, request_case):
    client = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    start = care_sought_on(request_case)
    body = {
        "sick_from": (start - dt.timedelta(days=2)).isoformat(),
        "sick_to": start.isoformat(),
        "reduction": "full",
        "statement": "Feber.",
        "no_physical_examination_needed": True,
        "ongoing_sick_leave": False,
    }
    url = f"/api/v1/staff/cases/{request_case.pk}/certificates/sick-note"
    early = client.post(url, json.dumps(body), content_type="application/json")
    assert early.status_code == 400 and early.json()["type"].endswith("sick-note-backdated")
    body["sick_from"] = start.isoformat()
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 201


def test_a_sick_note_issued_days_after_care_was_sought_may_start_on_that_day(request_case, doctor):
    with time_machine.travel(clock.now() + dt.timedelta(days=3), tick=False):
        certificate = sick_note(doctor, request_case)
    assert certificate.sick_from == care_sought_on(request_case)
