"""Min journal (REC-2): conversations, answers and shared summaries, newest first, for the resident and a guardian."""

from __future__ import annotations

import pytest

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_send_resident_message
from vardnav.core.errors import NotFound
from vardnav.people.models import Person
from vardnav.records.access import journal
from vardnav.records.actions import do_sign_note
from vardnav.records.tests.builders import handled, handler, submit, summary

pytestmark = pytest.mark.django_db


@pytest.mark.rule("REC-2")
@pytest.mark.rule("VISIT-10")
def test_the_journal_holds_answers_conversation_and_shared_summaries_but_no_internal_notes(world):
    case = handled(world, submit(world))
    do_sign_note(handler(world), case, body="Intern bedömning, inte delad")
    summary(world, case, body="Förkylning. Åter vid feber.")
    page = journal(world.resident(world.resident_a))
    kinds = [item.kind for item in page.items]
    assert kinds[0] == "summary" and kinds[-1] == "answers" and "message" in kinds
    shared = page.items[0].note
    assert shared is not None and shared.body == "Förkylning. Åter vid feber." and shared.diagnosis_codes == ["J06.9"]
    bodies = [item.note.body for item in page.items if item.note] + [
        item.message.body for item in page.items if item.message
    ]
    assert "Intern bedömning, inte delad" not in bodies
    assert all(item.unit == world.unit_x and item.case_number == case.number for item in page.items)
    assert journal(world.resident(world.resident_b)).items == []


@pytest.mark.rule("REC-2")
def test_the_journal_is_paged_by_keyset_across_messages_and_notes(world):
    case = handled(world, submit(world))
    for text in ("En", "Två", "Tre"):
        summary(world, case, body=f"Sammanfattning {text}")
        do_send_resident_message(world.resident(world.resident_a), case, body=f"Meddelande {text}")
    actor = world.resident(world.resident_a)
    everything = journal(actor, limit=100).items
    seen, cursor = [], None
    while True:
        page = journal(actor, after=cursor, limit=2)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [(i.kind, i.pk) for i in seen] == [(i.kind, i.pk) for i in everything]
    assert len(everything) == 1 + 1 + 6  # the answers, the handler's reply, six new items
    assert [i.at for i in everything] == sorted((i.at for i in everything), reverse=True)


@pytest.mark.rule("REC-2")
def test_the_journal_page_costs_the_same_queries_with_one_item_as_with_many(world, client):
    case = handled(world, submit(world))
    log_in_client(client, resident_identity(world.resident_a))

    def more():
        for n in range(8):
            summary(world, case, body=f"Sammanfattning {n}", codes="J06.9, R50.9")
            do_send_resident_message(world.resident(world.resident_a), case, body=f"Meddelande {n}")
        submit(world, service=world.open_service, unit=world.unit_y)  # a second unit in the filter

    assert_same_query_count(lambda: client.get("/mina-sidor/journal/"), more)
    response = client.get("/mina-sidor/journal/")
    assert response.status_code == 200 and "Sammanfattning 7" in response.content.decode()


@pytest.mark.rule("REC-2")
def test_every_reading_of_the_journal_is_logged_for_the_subject(world):
    child_case = submit(world, world.guardian, acting_for=world.child_8)
    summary(world, handled(world, child_case))
    journal(world.resident(world.guardian, world.child_8))
    entry = AuditEntry.objects.filter(action="journal.read").get()
    assert (entry.actor_person_id, entry.acting_for_person_id, entry.subject_person_id) == (
        world.guardian.pk,
        world.child_8.pk,
        world.child_8.pk,
    )


@pytest.mark.rule("PRIV-5")
def test_a_protected_childs_journal_is_seen_only_by_the_guardian_who_submitted_the_case(world):
    Person.objects.filter(pk=world.child_8.pk).update(protected_identity=True)
    case = handled(world, submit(world, world.guardian, acting_for=world.child_8))
    summary(world, case)
    submitter = journal(world.resident(world.guardian, world.child_8))
    assert {item.kind for item in submitter.items} == {"answers", "message", "summary"}
    other_guardian = journal(world.resident(world.guardian_2, world.child_8))
    assert other_guardian.items == [] and other_guardian.units == []


@pytest.mark.rule("PRIV-5")
def test_both_guardians_read_the_journal_of_a_child_without_protected_identity(world):
    summary(world, handled(world, submit(world, world.guardian, acting_for=world.child_8)))
    assert any(item.kind == "summary" for item in journal(world.resident(world.guardian_2, world.child_8)).items)


def test_a_resident_cannot_read_someone_elses_journal_by_acting_for_them(world):
    summary(world, handled(world, submit(world)))
    with pytest.raises(NotFound):
        journal(world.resident(world.resident_b, world.resident_a))


def test_a_forged_cursor_is_a_clear_refusal(world, client):
    log_in_client(client, resident_identity(world.resident_a))
    response = client.get("/mina-sidor/journal/?after=inte-en-markor")
    assert response.status_code == 400
    assert "Sidmarkören är ogiltig" in response.content.decode()


@pytest.mark.rule("REC-2")
def test_the_journal_copy_is_a_pdf_with_the_summary_and_the_answers_and_is_logged(world, client):
    from io import BytesIO

    from pypdf import PdfReader

    summary(world, handled(world, submit(world)), body="Förkylning. Åter vid feber.")
    log_in_client(client, resident_identity(world.resident_a))
    response = client.get("/mina-sidor/journal/kopia.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="journalkopia.pdf"'
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Kopia av journalen" in text and world.resident_a.number.formatted in text
    assert "Förkylning. Åter vid feber." in text and "J06.9 Akut övre luftvägsinfektion" in text
    assert "Ont i halsen sedan tre dagar" in text and "Det låter som en förkylning." in text
    assert "Signerad av Hugo Testsson, läkare" in text
    entry = AuditEntry.objects.filter(action="journal.copy").get()
    assert entry.subject_person_id == world.resident_a.pk


@pytest.mark.rule("REC-2")
def test_the_journal_copy_costs_the_same_queries_for_a_short_and_a_long_journal(world, client):
    case = handled(world, submit(world))
    log_in_client(client, resident_identity(world.resident_a))

    def more():
        for n in range(10):
            summary(world, case, body=f"Sammanfattning {n}")

    assert_same_query_count(lambda: client.get("/mina-sidor/journal/kopia.pdf"), more)


@pytest.mark.rule("REC-2")
def test_the_journal_can_be_narrowed_to_one_unit(world):
    summary(world, handled(world, submit(world)))
    other = submit(world, service=world.open_service, unit=world.unit_y)
    actor = world.resident(world.resident_a)
    page = journal(actor)
    assert [unit.pk for unit in page.units] == sorted([world.unit_x.pk, world.unit_y.pk])
    only_y = journal(actor, unit_id=world.unit_y.pk).items
    assert only_y and {item.case_number for item in only_y} == {other.number}
    assert all(item.unit == world.unit_x for item in journal(actor, unit_id=world.unit_x.pk).items)
