"""From a resident's submission to a handler's answer (CASE-1…6, REC-1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection

from tests.queries import assert_same_query_count
from vardnav.audit.models import AuditEntry
from vardnav.cases.access import (
    InboxFilters,
    access_case_for_resident,
    access_case_for_staff,
    inbox,
    resident_cases,
    resident_messages,
)
from vardnav.cases.actions import (
    do_add_note,
    do_ask_question,
    do_distribute_case,
    do_reply,
    do_send_resident_message,
    do_submit_case,
)
from vardnav.cases.models import Case, CaseStatus, Message, MessageKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}
FRIDAY_EVENING = "2026-11-20 19:30 +0100"
TOPICS = ["Provsvar", "Recept", "Vaccination", "Intyg", "Remiss", "Sjukskrivning", "Hörsel"]


def submit(world, person=None, *, service=None, unit=None, answers=ANSWERS, acting_for=None):
    actor = world.resident(person or world.resident_a, acting_for)
    return do_submit_case(actor, service=service or world.contact, unit=unit, answers=dict(answers))


@pytest.mark.rule("CASE-1")
def test_a_listing_bound_case_goes_to_the_residents_listed_unit(world):
    case = submit(world)
    assert case.unit == world.unit_x
    assert case.routed_role == "receiver"
    other = submit(world, world.resident_b)
    assert other.unit == world.unit_y


@pytest.mark.rule("CASE-1")
def test_a_resident_without_listing_gets_a_clear_message(world):
    with pytest.raises(DomainError) as caught:
        submit(world, world.guardian_2)
    assert caught.value.code == "not-listed"
    assert "listad" in str(caught.value.message)
    assert not Case.objects.exists()


def test_a_service_that_is_not_listing_bound_goes_to_the_chosen_unit(world):
    case = submit(world, world.guardian, service=world.open_service, unit=world.unit_y)
    assert case.unit == world.unit_y


def test_missing_answers_save_nothing(world):
    with pytest.raises(DomainError) as caught:
        submit(world, answers={"subject": ""})
    assert set(caught.value.errors) == {"subject", "details"}
    assert not Case.objects.exists() and not Message.objects.exists()


@pytest.mark.rule("CASE-2")
@time_machine.travel(FRIDAY_EVENING, tick=False)
def test_the_deadline_counts_two_working_days(world):
    case = submit(world)
    local = case.due_at.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert (local.date(), local.hour) == (dt.date(2026, 11, 24), 17)


@pytest.mark.rule("CASE-2")
@time_machine.travel("2026-12-23 10:00 +0100", tick=False)
def test_the_deadline_skips_christmas(world):
    case = submit(world)
    assert case.due_at.astimezone(dt.timezone(dt.timedelta(hours=1))).date() == dt.date(2026, 12, 29)


def test_a_guardian_submits_for_a_child_and_both_are_recorded(world):
    case = submit(world, world.guardian, acting_for=world.child_8)
    assert (case.subject, case.submitted_by) == (world.child_8, world.guardian)
    entry = AuditEntry.objects.get(action="case.submit", object_id=str(case.pk))
    assert (entry.actor_person_id, entry.acting_for_person_id) == (world.guardian.pk, world.child_8.pk)


def test_a_guardian_cannot_act_for_a_child_of_16_or_older(world):
    with pytest.raises(NotFound):
        submit(world, world.guardian, service=world.open_service, unit=world.unit_x, acting_for=world.child_17)


@pytest.mark.rule("CASE-3")
def test_a_receiver_distributes_and_the_handler_answers_with_the_reply_form(world):
    case = submit(world)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    do_distribute_case(receiver, case, handler=world.handler_x, partial_reply="Vi har tagit emot ditt ärende.")
    assert (case.status, case.assigned_to) == (CaseStatus.ASSIGNED, world.handler_x)
    handler = world.staff(world.handler_x, world.unit_x, "handler")
    with pytest.raises(DomainError) as caught:
        do_reply(handler, case, answers={})
    assert caught.value.errors == {"reply": ["Fyll i ”Svar till invånaren”."]}
    do_reply(handler, case, answers={"reply": "Provsvaret är normalt."}, close=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.resident_unread
    kinds = [m.kind for m in resident_messages(case)]
    assert kinds == [MessageKind.SUBMISSION, MessageKind.PARTIAL_REPLY, MessageKind.REPLY]


@pytest.mark.rule("CASE-3")
def test_only_a_receiver_distributes_and_only_to_a_handler_of_the_unit(world):
    case = submit(world)
    handler = world.staff(world.handler_x, world.unit_x, "handler")
    with pytest.raises(NotFound):
        do_distribute_case(handler, case, handler=world.handler_x)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    with pytest.raises(DomainError) as caught:
        do_distribute_case(receiver, case, handler=world.handler_y)
    assert caught.value.code == "not-a-handler"


@pytest.mark.rule("ORG-4")
def test_handlers_see_only_cases_distributed_to_them_and_receivers_see_all(world):
    first, second = submit(world), submit(world, answers={**ANSWERS, "subject": "Annat ärende helt och hållet"})
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    do_distribute_case(receiver, first, handler=world.handler_x)
    do_distribute_case(receiver, second, handler=world.handler_x2)
    handler = world.staff(world.handler_x, world.unit_x, "handler")
    assert [c.pk for c in inbox(handler).items] == [first.pk]
    assert {c.pk for c in inbox(receiver).items} == {first.pk, second.pk}
    assert access_case_for_staff(handler, first.pk) == first
    with pytest.raises(NotFound):
        access_case_for_staff(handler, second.pk)
    with pytest.raises(NotFound):
        access_case_for_staff(world.staff(world.handler_y, world.unit_y, "handler"), first.pk)


@pytest.mark.rule("CASE-4")
def test_a_counter_question_waits_for_the_resident_who_answers_in_the_same_case(world):
    case = submit(world)
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    do_ask_question(world.staff(world.handler_x, world.unit_x, "handler"), case, body="Vilket datum togs provet?")
    assert case.status == CaseStatus.WAITING_FOR_RESIDENT
    mine = access_case_for_resident(world.resident(world.resident_a), case.pk)
    do_send_resident_message(world.resident(world.resident_a), mine, body="Den 12 november.")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED and case.staff_unread
    assert [m.kind for m in resident_messages(case)][-2:] == [MessageKind.QUESTION, MessageKind.RESIDENT_MESSAGE]


def test_internal_notes_never_reach_the_resident(world):
    case = submit(world)
    do_add_note(world.staff(world.receiver_x, world.unit_x, "receiver"), case, body="Ring upp vid behov.")
    assert MessageKind.NOTE not in [m.kind for m in resident_messages(case)]


@pytest.mark.rule("CASE-5")
def test_a_sent_message_cannot_be_changed_or_deleted(world):
    case = submit(world)
    message = case.messages.get()
    message.body = "ändrat"
    with pytest.raises(ValueError):
        message.save()
    with pytest.raises(ValueError):
        message.delete()
    assert Message.objects.get(pk=message.pk).body == ""


@pytest.mark.rule("CASE-6")
def test_the_same_request_sent_twice_is_flagged_and_linked_not_dropped(world):
    first = submit(world)
    again = submit(world, answers={**ANSWERS, "details": ANSWERS["details"] + "!"})
    assert again.duplicate_of == first
    assert [flag.code for flag in again.flags.all()] == ["probable_duplicate"]
    different = submit(world, answers={"subject": "Recept", "details": "Jag behöver förnya mitt recept på Levaxin."})
    assert different.duplicate_of is None
    assert Case.objects.count() == 3


@pytest.mark.rule("CASE-6")
def test_a_nearly_identical_request_is_flagged_and_a_reworded_one_is_not(world):
    """Not the same text (another fingerprint), so the answers are compared: one letter more in
    a sentence is the same request; the same facts told anew are a new case."""
    details = "Jag har haft ont i halsen i fem dagar och feber på morgonen. Behöver jag komma in till mottagningen?"
    first = submit(world, answers={**ANSWERS, "details": details})
    other = submit(world, answers={"subject": "Recept", "details": "Jag behöver förnya mitt recept på Levaxin."})
    typo = submit(world, answers={**ANSWERS, "details": details.replace("feber", "febern")})
    assert typo.duplicate_of == first
    assert typo.content_fingerprint != first.content_fingerprint
    assert [flag.code for flag in typo.flags.all()] == ["probable_duplicate"]
    reworded = "Halsen har gjort ont i fem dagar, på morgonen har jag feber. Ska jag komma in till mottagningen?"
    assert submit(world, answers={**ANSWERS, "details": reworded}).duplicate_of is None
    assert other.duplicate_of is None


@pytest.mark.rule("CASE-6")
@time_machine.travel(FRIDAY_EVENING)
def test_a_request_outside_the_window_is_not_a_duplicate(world):
    first = submit(world)
    with time_machine.travel(first.submitted_at + dt.timedelta(hours=25)):
        later = submit(world)
    assert later.duplicate_of is None


@pytest.mark.rule("REC-1")
def test_every_staff_read_of_a_case_is_audited(world):
    case = submit(world)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    before = AuditEntry.objects.filter(action="read").count()
    access_case_for_staff(receiver, case.pk)
    entry = AuditEntry.objects.filter(action="read").latest("id")
    assert AuditEntry.objects.filter(action="read").count() == before + 1
    assert (entry.subject_person_id, entry.actor_staff_id, entry.unit_id) == (
        world.resident_a.pk,
        world.receiver_x.pk,
        world.unit_x.pk,
    )


def test_a_resident_cannot_open_someone_elses_case(world):
    case = submit(world)
    with pytest.raises(NotFound):
        access_case_for_resident(world.resident(world.resident_b), case.pk)


def test_a_handler_cannot_answer_a_case_distributed_to_someone_else(world):
    case = submit(world)
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    with pytest.raises(PermissionDenied):
        do_reply(world.staff(world.handler_x2, world.unit_x, "handler"), case, answers={"reply": "Hej"})


def test_the_inbox_is_ordered_by_deadline_and_paged_by_keyset(world):
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    made = []
    for hour in range(7):
        with time_machine.travel(dt.datetime(2026, 11, 16, 8 + hour, tzinfo=dt.UTC), tick=False):
            made.append(
                submit(
                    world, answers={"subject": TOPICS[hour], "details": f"Jag har en fråga om {TOPICS[hour].lower()}."}
                )
            )
    first = inbox(receiver, limit=4)
    second = inbox(receiver, after=first.next_cursor, limit=4)
    assert [c.pk for c in first.items + second.items] == [c.pk for c in made]
    assert second.next_cursor is None
    assert first.counts["new"] == 7
    assert [c.pk for c in inbox(receiver, InboxFilters(flag="probable_duplicate")).items] == []


def test_the_inbox_and_mina_arenden_use_a_fixed_number_of_queries(world):
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")

    def submit_cases(numbers):
        for number in numbers:
            submit(world, answers={"subject": f"Fråga {number}", "details": f"Olika innehåll {number * 7919}"})

    def read_inbox():
        page = inbox(receiver)
        [(c.service.name, c.subject_id, list(c.flags.all())) for c in page.items]

    def read_mine():
        mine = resident_cases(world.resident(world.resident_a))
        [(c.service.name, c.unit.name) for c in mine.items]

    submit_cases(range(1))
    assert_same_query_count(read_inbox, lambda: submit_cases(range(1, 6)))
    assert_same_query_count(read_mine, lambda: submit_cases(range(6, 12)))
    assert len(inbox(receiver).items) == 12 and len(resident_cases(world.resident(world.resident_a)).items) == 12


def test_the_inbox_index_exists(world):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "cases_case"))
    assert "case_inbox_open_by_due" in names
