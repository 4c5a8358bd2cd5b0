"""Reading another provider's shared data (REC-4): consent or the emergency exception first, per care relation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.personas import SYSTEM, grant, make_service, make_staff
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.catalog.actions import do_offer_service
from vardnav.catalog.models import ServiceKind
from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.records.access import read_shared_records
from vardnav.records.actions import (
    do_block,
    do_export_national_summary,
    do_record_consent,
    do_seal,
    do_set_sharing_period,
)
from vardnav.records.models import SharedRecordConsent
from vardnav.records.tests.builders import handled, submit, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(world):
    """resident_a's summary at unit_x is shared; a doctor at the other provider has a case of resident_a."""
    do_set_sharing_period(
        world.staff(world.provider_admin),
        provider=world.provider,
        starts_on=dt.date(2020, 1, 1),
        ends_on=None,
        mode="shared",
    )
    summary(world, handled(world, submit(world)), body="Delad sammanfattning", codes="J06.9")
    do_export_national_summary()
    doctor = make_staff(world.other_provider, "SE2321000017-DR1", "Olle", "doctor")
    grant(doctor, world.other_unit, "handler")
    service = make_service(world.other_provider, ServiceKind.CERTIFICATE_NEW)
    do_offer_service(SYSTEM, world.other_unit, service)
    case = submit(world, service=service, unit=world.other_unit)
    return doctor, case


def doctor_actor(world, doctor):
    return world.staff(doctor, world.other_unit, "handler")


@pytest.mark.rule("REC-4")
def test_without_consent_staff_cannot_read_and_the_refusal_is_logged(world, elsewhere):
    doctor, case = elsewhere
    with pytest.raises(DomainError) as refused:
        read_shared_records(doctor_actor(world, doctor), case)
    assert refused.value.code == "consent-required"
    assert AuditEntry.objects.filter(
        action=AuditEvent.RECORD_ACCESS_REFUSED, subject_person_id=world.resident_a.pk
    ).exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.SHARED_RECORD_READ).exists()


@pytest.mark.rule("REC-4")
def test_with_consent_the_read_shows_the_other_providers_summary_and_is_logged_with_the_reason(world, elsewhere):
    doctor, case = elsewhere
    actor = doctor_actor(world, doctor)
    do_record_consent(actor, case, basis="consent")

    shared = read_shared_records(actor, case)

    assert [s.document.summary_note for s in shared.documents] == ["Delad sammanfattning"]
    entry = AuditEntry.objects.get(action=AuditEvent.SHARED_RECORD_READ)
    assert entry.subject_person_id == world.resident_a.pk and entry.purpose == "sammanhållen journalföring: samtycke"
    assert entry.actor_staff_id == doctor.pk


@pytest.mark.rule("REC-4")
def test_consent_is_per_care_relation_another_case_needs_its_own(world, elsewhere):
    doctor, case = elsewhere
    actor = doctor_actor(world, doctor)
    do_record_consent(actor, case, basis="consent")
    other_case = submit(world, service=case.service, unit=world.other_unit)
    with pytest.raises(DomainError):
        read_shared_records(actor, other_case)


@pytest.mark.rule("REC-4")
def test_the_emergency_exception_needs_a_reason_and_lapses(world, elsewhere):
    doctor, case = elsewhere
    actor = doctor_actor(world, doctor)
    with pytest.raises(DomainError) as refused:
        do_record_consent(actor, case, basis="emergency", reason="  ")
    assert "reason" in refused.value.field_errors()
    do_record_consent(actor, case, basis="emergency", reason="Medvetslös, inkommen med ambulans")
    assert read_shared_records(actor, case).documents
    assert AuditEntry.objects.get(action=AuditEvent.SHARED_RECORD_READ).purpose.endswith("nödsituation")
    with time_machine.travel(clock.now() + dt.timedelta(hours=25)), pytest.raises(DomainError):
        read_shared_records(actor, case)


@pytest.mark.rule("REC-5")
@pytest.mark.rule("REC-6")
def test_blocked_and_sealed_items_stay_hidden_even_in_an_emergency(world, elsewhere):
    doctor, case = elsewhere
    actor = doctor_actor(world, doctor)
    do_record_consent(actor, case, basis="emergency", reason="Akut")
    block = do_block(world.resident(world.resident_a), scope="unit", unit_id=world.unit_x.pk)
    assert read_shared_records(actor, case).documents == []
    from vardnav.records.actions import do_lift_block

    do_lift_block(world.resident(world.resident_a), block.pk)
    assert read_shared_records(actor, case).documents
    do_seal(world.resident(world.resident_a), scope="all")
    assert read_shared_records(actor, case).documents == []


def test_staff_without_a_care_relation_get_404_and_the_own_providers_data_is_not_shown_here(world, elsewhere):
    doctor, case = elsewhere
    with pytest.raises(NotFound):
        do_record_consent(world.staff(world.handler_x, world.unit_x, "handler"), case, basis="consent")
    own_case = handled(world, submit(world))
    handler = world.staff(world.handler_x, world.unit_x, "handler")
    do_record_consent(handler, own_case, basis="consent")
    assert read_shared_records(handler, own_case).documents == []  # unit_x's own summary is read in its own system
    with pytest.raises(DomainError) as refused:
        do_record_consent(handler, own_case, basis="maybe")
    assert refused.value.code == "invalid-consent-basis"


def test_the_page_asks_for_the_basis_first_then_shows_the_data(world, elsewhere, client):
    doctor, case = elsewhere
    log_in_client(client, staff_identity(doctor, unit=world.other_unit, role="handler"))
    url = f"/personal/arenden/{case.pk}/sammanhallen-journal/"
    first = client.get(url).content.decode()
    assert "Anteckna samtycke eller nödsituation" in first and "Delad sammanfattning" not in first
    bad = client.post(url + "samtycke/", {"basis": "emergency", "reason": ""})
    assert bad.status_code == 422 and "Beskriv nödsituationen" in bad.content.decode()
    assert not SharedRecordConsent.objects.exists()
    assert client.post(url + "samtycke/", {"basis": "consent"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Delad sammanfattning" in page and "J06.9" in page


def test_the_api_records_consent_and_reads(world, elsewhere, client):
    doctor, case = elsewhere
    log_in_client(client, staff_identity(doctor, unit=world.other_unit, role="handler"))
    shared = f"/api/v1/records/cases/{case.pk}/shared"
    refused = client.get(shared)
    assert refused.status_code == 403 and refused.json()["code"] == "consent-required"
    made = client.post(
        f"/api/v1/records/cases/{case.pk}/shared-consent", {"basis": "consent"}, content_type="application/json"
    )
    assert made.status_code == 201
    assert [d["summary_note"] for d in client.get(shared).json()["documents"]] == ["Delad sammanfattning"]
