"""Record notes (REC-1, VISIT-10): signed by their author, never changed, read only with a care relation, audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_close_case
from vardnav.cases.retention import do_purge_closed_cases
from vardnav.core.errors import DomainError, NotFound
from vardnav.records.access import access_case_for_records, read_case_notes
from vardnav.records.actions import do_sign_note
from vardnav.records.models import RecordIsImmutable, RecordNote
from vardnav.records.tests.builders import handled, handler, submit, summary

pytestmark = pytest.mark.django_db


@pytest.mark.rule("REC-1")
def test_a_note_is_signed_by_its_author_with_the_profession_at_signing(world):
    case = handled(world, submit(world))
    note = do_sign_note(handler(world), case, body="Status: lätt rodnad i svalget.\r\nIngen feber.")
    assert (note.author, note.author_profession, note.case_number) == (world.handler_x, "doctor", case.number)
    assert note.body == "Status: lätt rodnad i svalget.\nIngen feber."
    assert note.signed_at is not None and note.subject == world.resident_a and note.unit == world.unit_x
    entry = AuditEntry.objects.filter(action="record_note.sign").get()
    assert (entry.actor_staff_id, entry.subject_person_id, entry.object_id) == (
        world.handler_x.pk,
        world.resident_a.pk,
        str(note.pk),
    )
    assert "rodnad" not in str(entry.extra)  # no health data in the log


@pytest.mark.rule("REC-1")
def test_staff_of_the_cases_unit_have_a_care_relation_and_others_get_the_same_404(world):
    case = submit(world)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    assert access_case_for_records(receiver, case.pk) == case
    do_sign_note(receiver, case, body="Ringt upp, bokar tid.")
    other_unit = world.staff(world.handler_y, world.unit_y, "handler")
    not_working_here = world.staff(world.handler_x, world.unit_y, "handler")
    for outsider in (other_unit, not_working_here, world.staff(world.provider_admin_other)):
        with pytest.raises(NotFound):
            access_case_for_records(outsider, case.pk)
        with pytest.raises(NotFound):
            do_sign_note(outsider, case, body="Försöker skriva")
    assert RecordNote.objects.count() == 1


@pytest.mark.rule("REC-1")
def test_administrative_staff_do_not_sign_record_notes(world):
    from vardnav.organizations.models import Staff

    case = submit(world)
    Staff.objects.filter(pk=world.receiver_x.pk).update(profession="administrative")
    with pytest.raises(DomainError) as caught:
        do_sign_note(world.staff(world.receiver_x, world.unit_x, "receiver"), case, body="Anteckning")
    assert caught.value.code == "profession-may-not-sign"
    assert not RecordNote.objects.exists()


@pytest.mark.rule("REC-1")
def test_a_signed_note_cannot_be_changed_or_deleted_by_the_application(world):
    note = do_sign_note(handler(world), handled(world, submit(world)), body="Första versionen")
    note.body = "Ändrad i efterhand"
    with pytest.raises(RecordIsImmutable):
        note.save()
    with pytest.raises(RecordIsImmutable):
        note.delete()
    with pytest.raises(RecordIsImmutable):
        RecordNote.objects.filter(pk=note.pk).update(body="Ändrad")
    with pytest.raises(RecordIsImmutable):
        RecordNote.objects.filter(pk=note.pk).delete()
    assert RecordNote.objects.get(pk=note.pk).body == "Första versionen"


@pytest.mark.rule("REC-1")
def test_the_database_refuses_to_change_or_delete_a_signed_note(world):
    note = do_sign_note(handler(world), handled(world, submit(world)), body="Första versionen")
    table = RecordNote._meta.db_table
    for statement in (
        f"UPDATE {table} SET kind = 'summary' WHERE id = %s",
        f"UPDATE {table} SET signed_at = signed_at WHERE id = %s",
        f"UPDATE {table} SET case_id = case_id WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [note.pk])
    assert RecordNote.objects.filter(pk=note.pk, kind="note").exists()


@pytest.mark.rule("REC-1")
def test_an_amendment_is_a_new_note_pointing_at_the_old_one(world):
    case = handled(world, submit(world))
    first = do_sign_note(handler(world), case, body="Blodtryck 150/95")
    amendment = do_sign_note(handler(world), case, body="Rättelse: blodtryck 140/90", amends_id=first.pk)
    assert amendment.amends == first
    assert RecordNote.objects.get(pk=first.pk).body == "Blodtryck 150/95"
    other = do_sign_note(
        world.staff(world.receiver_x, world.unit_x, "receiver"), submit(world, world.resident_a), body="Annat ärende"
    )
    with pytest.raises(DomainError) as caught:
        do_sign_note(handler(world), case, body="Tillägg", amends_id=other.pk)
    assert "amends" in caught.value.field_errors()
    assert RecordNote.objects.count() == 3


@pytest.mark.rule("REC-1")
def test_diagnosis_codes_are_checked_against_the_icd10se_list_and_normalised(world):
    case = handled(world, submit(world))
    note = do_sign_note(handler(world), case, body="Förkylning", diagnosis_codes="j069, R50.9 J06.9")
    assert note.diagnosis_codes == ["J06.9", "R50.9"]
    with pytest.raises(DomainError) as caught:
        do_sign_note(handler(world), case, body="", diagnosis_codes="X99.9")
    errors = caught.value.field_errors()
    assert "X99.9 finns inte i kodlistan" in errors["diagnosis_codes"][0]
    assert errors["body"] == ["Skriv anteckningen."]
    assert RecordNote.objects.count() == 1


@pytest.mark.rule("VISIT-10")
def test_only_a_summary_is_shared_with_the_resident(world):
    case = handled(world, submit(world))
    with pytest.raises(DomainError) as caught:
        do_sign_note(handler(world), case, body="Intern bedömning", kind="note", shared_with_resident=True)
    assert "shared_with_resident" in caught.value.field_errors()
    shared = summary(world, case)
    assert shared.kind == "summary" and shared.shared_with_resident
    assert RecordNote.objects.count() == 1


@pytest.mark.rule("REC-1")
def test_every_viewing_of_a_cases_notes_writes_one_audit_entry(world):
    case = handled(world, submit(world))
    do_sign_note(handler(world), case, body="En")
    do_sign_note(handler(world), case, body="Två")
    reader = world.staff(world.receiver_x, world.unit_x, "receiver")
    read_case_notes(reader, case)
    read_case_notes(reader, case)
    entries = AuditEntry.objects.filter(action="record.read")
    assert entries.count() == 2
    assert {(e.actor_staff_id, e.subject_person_id, e.object_id) for e in entries} == {
        (world.receiver_x.pk, world.resident_a.pk, str(case.pk))
    }


@pytest.mark.rule("CASE-8")
def test_purging_an_expired_case_keeps_its_record_notes(world):
    case = handled(world, submit(world))
    note = summary(world, case)
    do_close_case(handler(world), case, outcome="answered")
    with time_machine.travel(case.submitted_at + dt.timedelta(days=800), tick=False):
        do_purge_closed_cases()
    kept = RecordNote.objects.get(pk=note.pk)
    assert kept.case_id is None and kept.case_number == case.number and kept.body == note.body


def test_the_staff_notes_page_shows_the_notes_and_a_bad_code_next_to_its_field(world, client):
    from tests.sessions import log_in_client, staff_identity

    case = handled(world, submit(world))
    do_sign_note(handler(world), case, body="Tidigare anteckning")
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    page = client.get(f"/personal/arenden/{case.pk}/journal/")
    assert page.status_code == 200 and "Tidigare anteckning" in page.content.decode()
    assert "Hugo Testsson, läkare" in page.content.decode()  # the profession at signing
    answer = client.post(
        f"/personal/arenden/{case.pk}/journal/signera/",
        {"kind": "summary", "body": "Sammanfattning", "diagnosis_codes": "Q99.1", "shared_with_resident": "on"},
    )
    assert answer.status_code == 422
    assert "Q99.1 finns inte i kodlistan" in answer.content.decode()
    assert RecordNote.objects.count() == 1
    answer = client.post(
        f"/personal/arenden/{case.pk}/journal/signera/",
        {"kind": "summary", "body": "Sammanfattning", "diagnosis_codes": "J06.9", "shared_with_resident": "on"},
    )
    assert answer.status_code == 302
    assert RecordNote.objects.filter(shared_with_resident=True).get().diagnosis_codes == ["J06.9"]


@pytest.mark.rule("REC-1")
def test_the_notes_page_costs_the_same_queries_with_one_note_as_with_many(world, client):
    from tests.queries import assert_same_query_count
    from tests.sessions import log_in_client, staff_identity

    case = handled(world, submit(world))
    first = do_sign_note(handler(world), case, body="Första", diagnosis_codes="J06.9")
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))

    def more():
        for n in range(6):
            do_sign_note(handler(world), case, body=f"Tillägg {n}", amends_id=first.pk, diagnosis_codes="R50.9")
        summary(world, case)

    assert_same_query_count(lambda: client.get(f"/personal/arenden/{case.pk}/journal/"), more)


@pytest.mark.rule("VISIT-10")
def test_the_handler_ends_the_contact_with_a_shared_summary_that_closes_the_case(world):
    from vardnav.cases.models import Case

    case = handled(world, submit(world))
    note = do_sign_note(
        handler(world), case, body="Sammanfattning", kind="summary", shared_with_resident=True, close_case=True
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.outcome) == ("closed", "answered")
    assert note.shared_with_resident
    assert AuditEntry.objects.filter(action="case.close", object_id=str(case.pk)).count() == 1


@pytest.mark.rule("VISIT-10")
def test_closing_needs_a_summary_and_the_handler_and_otherwise_nothing_is_saved(world):
    from vardnav.cases.models import Case

    case = handled(world, submit(world))
    with pytest.raises(DomainError) as caught:
        do_sign_note(handler(world), case, body="Bara en anteckning", close_case=True)
    assert "close_case" in caught.value.field_errors()
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    with pytest.raises(DomainError) as caught:
        do_sign_note(receiver, case, body="Sammanfattning", kind="summary", close_case=True)
    assert caught.value.code == "assigned-to-other"
    assert not RecordNote.objects.exists()
    assert Case.objects.get(pk=case.pk).status != "closed"
