"""The staff case page: refusals next to the field they concern, and one read entry per viewing (REC-1)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.cases.models import Case, CaseStatus, Message, MessageKind

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


@pytest.fixture
def case(world) -> Case:
    return do_submit_case(world.resident(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS)


@pytest.fixture
def receiver(world) -> Client:
    return log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))


@pytest.fixture
def handler(world) -> Client:
    return log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))


def field_block(page: str, field_id: str) -> str:
    """The `<div class="field …">` that holds the control with this id: label, error and control together."""
    match = re.search(
        r'<div class="field[^"]*">(?:(?!<div class="field).)*?id="' + re.escape(field_id) + r'"', page, re.S
    )
    assert match, f"no field block for #{field_id}"
    return match.group(0)


def control(page: str, field_id: str) -> str:
    """The opening tag of the control with this id."""
    match = re.search(r'<(?:textarea|select|input)\b[^>]*\bid="' + re.escape(field_id) + r'"[^>]*>', page)
    assert match, f"no control #{field_id}"
    return match.group(0)


def test_an_empty_counter_question_is_refused_next_to_its_text_box(world, case, handler):
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    response = handler.post(f"/personal/arenden/{case.pk}/motfraga/", {"body": "  "})
    assert response.status_code == 422
    page = response.content.decode()
    block = field_block(page, "question-body")
    assert "field--error" in block and "Skriv ett meddelande" in block
    assert 'aria-invalid="true"' in control(page, "question-body")
    # The form's error summary links to the field.
    assert 'href="#question-body"' in page
    assert not Message.objects.filter(case=case, kind=MessageKind.QUESTION).exists()


def test_distributing_to_someone_who_is_not_a_handler_is_refused_next_to_the_handler_list(world, case, receiver):
    response = receiver.post(
        f"/personal/arenden/{case.pk}/fordela/", {"handler": world.receiver_x.pk, "partial_reply": "Vi tittar."}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "field--error" in field_block(page, "distribute-handler")
    assert 'href="#distribute-handler"' in page
    # What was written is still there to correct.
    assert "Vi tittar." in page.split('id="distribute-partial_reply"', 1)[1].split("</textarea>", 1)[0]
    case.refresh_from_db()
    assert case.assigned_to_id is None and case.status == CaseStatus.NEW


def test_an_unknown_outcome_is_refused_next_to_the_outcome_list(world, case, handler):
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    response = handler.post(f"/personal/arenden/{case.pk}/avsluta/", {"outcome": "vet-inte"})
    assert response.status_code == 422
    assert "field--error" in field_block(response.content.decode(), "close-outcome")
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED


def reads_of(case: Case) -> int:
    return AuditEntry.objects.filter(action=AuditEvent.READ, subject_person_id=case.subject_id).count()


@pytest.mark.rule("REC-1")
def test_one_opening_of_a_case_is_one_read_and_each_action_is_recorded_as_itself(world, case, receiver, handler):
    before = reads_of(case)
    assert receiver.get(f"/personal/arenden/{case.pk}/").status_code == 200
    assert reads_of(case) == before + 1
    distributed = receiver.post(f"/personal/arenden/{case.pk}/fordela/", {"handler": world.handler_x.pk})
    assert distributed.status_code == 302
    assert reads_of(case) == before + 1
    assert handler.get(f"/personal/arenden/{case.pk}/").status_code == 200
    asked = handler.post(f"/personal/arenden/{case.pk}/motfraga/", {"body": "Vilket datum togs provet?"})
    assert asked.status_code == 302
    assert reads_of(case) == before + 2
    actions = list(
        AuditEntry.objects.filter(subject_person_id=case.subject_id)
        .exclude(action=AuditEvent.CASE_SUBMIT)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [AuditEvent.READ, AuditEvent.CASE_DISTRIBUTE, AuditEvent.READ, AuditEvent.CASE_QUESTION]


@pytest.mark.rule("REC-1")
def test_the_same_actions_through_the_api_write_no_read_entries(world, case):
    import json

    receiver = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    before = reads_of(case)
    response = receiver.post(
        f"/api/v1/staff/cases/{case.pk}/distribute",
        data=json.dumps({"handler_id": world.handler_x.pk}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert reads_of(case) == before


@pytest.mark.rule("REC-1")
def test_a_refused_action_shows_the_case_again_and_that_viewing_is_one_read(world, case, receiver):
    before = reads_of(case)
    receiver.post(f"/personal/arenden/{case.pk}/fordela/", {"handler": "0"})
    assert reads_of(case) == before + 1


@pytest.mark.rule("CASE-4")
def test_a_receiver_asking_on_an_undistributed_case_is_told_to_distribute_it_first(world, case, receiver):
    from django.utils import translation

    from vardnav.cases.errors import CaseError

    response = receiver.post(f"/personal/arenden/{case.pk}/motfraga/", {"body": "Vilket datum togs provet?"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Fördela det till en ärendehanterare först" in page
    assert "fördelat till någon annan" not in page
    assert not Message.objects.filter(case=case, kind=MessageKind.QUESTION).exists()
    with translation.override("en"):
        assert str(CaseError.CASE_NOT_DISTRIBUTED.message).startswith("The case has not been distributed yet.")


@pytest.mark.rule("CASE-4")
def test_the_api_names_the_same_reason_and_keeps_someone_elses_case_apart(world, case):
    import json

    receiver = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    ask = f"/api/v1/staff/cases/{case.pk}/questions"
    body = json.dumps({"body": "Vilket datum togs provet?"})

    unassigned = receiver.post(ask, data=body, content_type="application/json")
    assert unassigned.status_code == 409 and unassigned.json()["code"] == "case-not-distributed"

    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    someone_elses = receiver.post(ask, data=body, content_type="application/json")
    assert someone_elses.status_code == 403 and someone_elses.json()["code"] == "assigned-to-other"


@pytest.mark.rule("CASE-1")
def test_a_handler_asking_on_a_case_waiting_for_the_handlers_is_told_to_take_it_first(world, handler):
    from vardnav.catalog.models import Service

    Service.objects.filter(pk=world.contact.pk).update(routed_role="handler")
    world.contact.refresh_from_db()  # do_submit_case stores the service as its caller holds it
    waiting = do_submit_case(
        world.resident(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS
    )
    response = handler.post(f"/personal/arenden/{waiting.pk}/motfraga/", {"body": "Vilket datum togs provet?"})
    assert response.status_code == 409
    assert "Ta ärendet först" in response.content.decode()
