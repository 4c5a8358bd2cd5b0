"""Early access for a child of 13–15 (REC-8, with ID-2 and ID-3): applied for at the unit, decided by its head.

child_14 is born 2012-01-01 (16 on 2028-01-01); child_8 on 2018-01-01 (13 on 2031-01-01).
A granted child logs in with their own BankID for the journal only; from 16 the ordinary rules hold.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.errors import DomainError, NotFound
from vardnav.identity.actions import do_login_resident
from vardnav.identity.checks import check_may_log_in_with_own_bankid
from vardnav.records.access import access_early_access_applications, journal
from vardnav.records.actions import do_decide_early_access, do_register_early_access
from vardnav.records.models import EarlyAccessApplication, EarlyAccessStatus
from vardnav.records.tests.builders import handled, handler, submit, summary

pytestmark = pytest.mark.django_db

DAY_BEFORE_16 = "2027-12-31 12:00 +0100"
ON_16TH_BIRTHDAY = "2028-01-01 00:00:01 +0100"
DAY_BEFORE_13 = "2030-12-31 23:59:59 +0100"
ON_13TH_BIRTHDAY = "2031-01-01 00:00:01 +0100"


def unit_head(world):
    return world.staff(world.unit_admin_x, world.unit_x, "unit_admin")


def child_case(world, child):
    case = handled(world, submit(world, world.guardian, acting_for=child))
    summary(world, case)
    return case


def granted(world, case):
    application = do_register_early_access(handler(world), case)
    return do_decide_early_access(
        unit_head(world), application, decision="granted", reason="Mogen nog att förstå sin journal."
    )


@pytest.mark.rule("REC-8")
def test_a_child_of_14_reads_their_own_journal_only_after_the_head_of_unit_grants_early_access(world):
    case = child_case(world, world.child_14)
    child = world.resident(world.child_14)
    with pytest.raises(DomainError) as refused:
        journal(child)
    assert refused.value.code == "journal-not-yet-own"

    application = do_register_early_access(handler(world), case)
    assert application.status == EarlyAccessStatus.PENDING
    with pytest.raises(DomainError):
        journal(child)  # applied is not granted

    decided = do_decide_early_access(unit_head(world), application, decision="granted", reason="Barnet är moget.")
    assert decided.status == EarlyAccessStatus.GRANTED and decided.decided_by == world.unit_admin_x
    page = journal(child)
    assert {item.kind for item in page.items} >= {"answers", "summary"}
    assert AuditEntry.objects.filter(
        action=AuditEvent.EARLY_ACCESS_DECIDE, subject_person_id=world.child_14.pk
    ).exists()


@pytest.mark.rule("REC-8")
def test_a_refused_application_leaves_the_journal_closed_and_the_reason_recorded(world):
    case = child_case(world, world.child_14)
    application = do_register_early_access(handler(world), case)
    do_decide_early_access(unit_head(world), application, decision="refused", reason="Vi tar det vid nästa besök.")
    application.refresh_from_db()
    assert application.reason == "Vi tar det vid nästa besök."
    with pytest.raises(DomainError):
        journal(world.resident(world.child_14))


@pytest.mark.rule("REC-8")
def test_only_the_head_of_the_unit_decides_with_a_reason_and_only_once(world):
    application = do_register_early_access(handler(world), child_case(world, world.child_14))
    with pytest.raises(NotFound):
        do_decide_early_access(handler(world), application, decision="granted", reason="Ja.")
    with pytest.raises(NotFound):  # a head of another unit
        do_decide_early_access(
            world.staff(world.unit_admin_x, world.unit_y, "unit_admin"), application, decision="granted", reason="Ja."
        )
    with pytest.raises(DomainError) as no_reason:
        do_decide_early_access(unit_head(world), application, decision="granted", reason="  ")
    assert no_reason.value.code == "decision-reason-required" and no_reason.value.field == "reason"
    with pytest.raises(DomainError) as no_decision:
        do_decide_early_access(unit_head(world), application, decision="maybe", reason="Ja.")
    assert no_decision.value.code == "invalid-early-access-decision"
    do_decide_early_access(unit_head(world), application, decision="granted", reason="Ja.")
    with pytest.raises(DomainError) as twice:
        do_decide_early_access(unit_head(world), application, decision="refused", reason="Nej.")
    assert twice.value.status == 409


@pytest.mark.rule("REC-8")
def test_only_a_child_of_13_to_15_may_apply_and_only_once_at_a_time(world):
    with pytest.raises(DomainError) as adult:
        do_register_early_access(handler(world), handled(world, submit(world)))
    assert adult.value.code == "early-access-age"
    case = child_case(world, world.child_14)
    do_register_early_access(handler(world), case)
    with pytest.raises(DomainError) as again:
        do_register_early_access(handler(world), case)
    assert again.value.status == 409
    with pytest.raises(NotFound):  # staff without a care relation
        do_register_early_access(world.staff(world.handler_y, world.unit_y, "handler"), case)


@pytest.mark.rule("REC-8")
def test_the_application_opens_on_the_13th_birthday_not_the_day_before(world):
    case = handled(world, submit(world, world.guardian, acting_for=world.child_8))
    with time_machine.travel(DAY_BEFORE_13, tick=False):
        with pytest.raises(DomainError) as too_young:
            do_register_early_access(handler(world), case)
        assert too_young.value.code == "early-access-age"
    with time_machine.travel(ON_13TH_BIRTHDAY, tick=False):
        application = do_register_early_access(handler(world), case)
        do_decide_early_access(unit_head(world), application, decision="granted", reason="Moget barn.")
        assert journal(world.resident(world.child_8)).subject == world.child_8


@pytest.mark.rule("REC-8")
@pytest.mark.rule("ID-2")
def test_a_granted_child_logs_in_with_own_bankid_for_the_journal_only_until_16(world):
    child_case(world, world.child_14)
    number = world.child_14.personal_number
    with pytest.raises(DomainError) as refused:
        check_may_log_in_with_own_bankid(number)
    assert refused.value.code == "under-16"
    granted(world, child_case(world, world.child_14))
    with time_machine.travel(DAY_BEFORE_16, tick=False):
        assert do_login_resident(number) == world.child_14
        entry = AuditEntry.objects.filter(action=AuditEvent.LOGIN, subject_person_id=world.child_14.pk).latest("id")
        assert "endast journalen" in entry.purpose
        assert journal(world.resident(world.child_14)).subject == world.child_14
    with time_machine.travel(ON_16TH_BIRTHDAY, tick=False):
        assert do_login_resident(number) == world.child_14
        entry = AuditEntry.objects.filter(action=AuditEvent.LOGIN, subject_person_id=world.child_14.pk).latest("id")
        assert entry.purpose == "BankID"


@pytest.mark.rule("REC-8")
@pytest.mark.rule("ID-3")
def test_without_early_access_the_child_reads_their_own_journal_from_the_16th_birthday(world):
    child_case(world, world.child_14)
    with time_machine.travel(DAY_BEFORE_16, tick=False), pytest.raises(DomainError):
        journal(world.resident(world.child_14))
    with time_machine.travel(ON_16TH_BIRTHDAY, tick=False):
        assert journal(world.resident(world.child_14)).subject == world.child_14


@pytest.mark.rule("REC-8")
def test_a_journal_only_session_reaches_the_journal_and_nothing_else(world):
    granted(world, child_case(world, world.child_14))
    identity = resident_identity(world.child_14) | {"journal_only": True}
    client = log_in_client(Client(), identity)
    assert client.get("/mina-sidor/journal/").status_code == 200
    elsewhere = client.get("/mina-sidor/")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/mina-sidor/journal/"
    assert client.get("/mina-sidor/arenden/").status_code == 302
    api = client.get("/api/v1/records/journal")
    assert api.status_code == 403 and api.json()["code"] == "journal-only-session"


@pytest.mark.rule("REC-8")
def test_the_head_of_unit_decides_on_the_page_with_the_reason_at_its_field(world):
    from tests.sessions import staff_identity

    case = child_case(world, world.child_14)
    nurse = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    page = nurse.get(f"/personal/arenden/{case.pk}/journal/")
    assert "Registrera ansökan om tidig åtkomst" in page.content.decode()
    assert nurse.post(f"/personal/arenden/{case.pk}/journal/tidig-atkomst/").status_code == 302
    application = EarlyAccessApplication.objects.get(person=world.child_14)

    head = log_in_client(Client(), staff_identity(world.unit_admin_x, unit=world.unit_x, role="unit_admin"))
    listing = head.get("/personal/tidig-atkomst/")
    assert listing.status_code == 200 and world.child_14.given_name in listing.content.decode()
    prefix = f"ansokan-{application.pk}"
    missing = head.post(f"/personal/tidig-atkomst/{application.pk}/beslut/", {f"{prefix}-decision": "granted"})
    assert missing.status_code == 400 or missing.status_code == 422
    assert "Skriv skälet till beslutet." in missing.content.decode()
    done = head.post(
        f"/personal/tidig-atkomst/{application.pk}/beslut/",
        {f"{prefix}-decision": "granted", f"{prefix}-reason": "Barnet förstår vad journalen innehåller."},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == EarlyAccessStatus.GRANTED
    assert nurse.get("/personal/tidig-atkomst/").status_code == 404
    assert len(access_early_access_applications(unit_head(world))) == 1
