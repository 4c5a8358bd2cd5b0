"""The staff case page as a workspace and the inbox (issue 11, item 12).

No pre-selected handler, no default outcome that hides a mistake, errors at the
field, the record note from the case page's "Anteckning" tab, and "Oläst" in the
inbox meaning unread by me (per staff member, not one flag per case).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.cases.access import InboxFilters, inbox
from vardnav.cases.actions import do_distribute_case, do_send_resident_message, do_submit_case
from vardnav.cases.models import Case, CaseStatus, Message, MessageKind
from vardnav.records.models import RecordNote

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


def distributed(world, case: Case) -> Case:
    return do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)


def select(page: str, select_id: str) -> str:
    match = re.search(r'<select[^>]*\bid="' + re.escape(select_id) + r'".*?</select>', page, re.S)
    assert match, f"no select #{select_id}"
    return match.group(0)


def chosen(select_html: str) -> list[str]:
    """The non-empty options the page has selected."""
    return re.findall(r'<option value="([^"]+)"[^>]*\bselected', select_html)


def field_block(page: str, field_id: str) -> str:
    match = re.search(
        r'<div class="field[^"]*">(?:(?!<div class="field).)*?id="' + re.escape(field_id) + r'"', page, re.S
    )
    assert match, f"no field block for #{field_id}"
    return match.group(0)


def test_the_handler_list_starts_on_no_one_and_sending_it_unchosen_is_refused_at_the_list(world, case, receiver):
    page = receiver.get(f"/personal/arenden/{case.pk}/").content.decode()
    handlers = select(page, "distribute-handler")
    assert not chosen(handlers), "no handler may be pre-selected"
    assert re.search(r'<option value=""( selected)?>Välj ärendehanterare</option>', handlers)

    response = receiver.post(f"/personal/arenden/{case.pk}/fordela/", {"handler": "", "partial_reply": ""})
    assert response.status_code == 422
    block = field_block(response.content.decode(), "distribute-handler")
    assert "field--error" in block and "Välj en ärendehanterare" in block
    case.refresh_from_db()
    assert case.assigned_to_id is None and case.status == CaseStatus.NEW


def test_closing_with_the_answer_needs_an_outcome_chosen_at_the_outcome_list(world, case, handler):
    distributed(world, case)
    page = handler.get(f"/personal/arenden/{case.pk}/").content.decode()
    for select_id in ("id_outcome", "close-outcome"):
        outcomes = select(page, select_id)
        assert not chosen(outcomes) and re.search(r'<option value=""( selected)?>Välj utfall</option>', outcomes)

    response = handler.post(
        f"/personal/arenden/{case.pk}/svara/", {"reply-reply": "Provsvaret är normalt.", "close": "1"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    block = field_block(page, "id_outcome")
    assert "field--error" in block and "Välj ett utfall" in block
    assert 'href="#id_outcome"' in page
    # Nothing half-done: no answer sent, the case still open.
    assert not Message.objects.filter(case=case, kind=MessageKind.REPLY).exists()
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED and case.outcome == ""

    response = handler.post(f"/personal/arenden/{case.pk}/avsluta/", {"outcome": ""})
    assert response.status_code == 422
    assert "field--error" in field_block(response.content.decode(), "close-outcome")


def test_the_note_tab_signs_a_record_note_and_comes_back_to_the_case(world, case, handler):
    distributed(world, case)
    page = handler.get(f"/personal/arenden/{case.pk}/").content.decode()
    assert 'id="anteckning"' in page and f'action="/personal/arenden/{case.pk}/journal/signera/"' in page

    response = handler.post(
        f"/personal/arenden/{case.pk}/journal/signera/", {"workspace": "1", "kind": "note", "body": "Normalt provsvar."}
    )
    assert response.status_code == 302 and response["Location"] == f"/personal/arenden/{case.pk}/#anteckning"
    note = RecordNote.objects.get(case=case)
    assert note.body == "Normalt provsvar." and note.author_id == world.handler_x.pk

    # An empty note is refused at its field on the case page, not on another page.
    response = handler.post(f"/personal/arenden/{case.pk}/journal/signera/", {"workspace": "1", "kind": "note"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "<h1>" in page and case.number in page and 'id="anteckning"' in page
    assert "field--error" in field_block(page, "record-body")
    assert RecordNote.objects.filter(case=case).count() == 1


def test_unread_in_the_inbox_means_unread_by_me(world, case, receiver, handler):
    receiver_actor = world.staff(world.receiver_x, world.unit_x, "receiver")
    handler_actor = world.staff(world.handler_x, world.unit_x, "handler")

    def unread(actor) -> bool:
        return next(c for c in inbox(actor).items if c.pk == case.pk).unread_by_me

    assert unread(receiver_actor)
    assert receiver.get(f"/personal/arenden/{case.pk}/").status_code == 200
    assert not unread(receiver_actor)
    assert inbox(receiver_actor).counts["unread"] == 0
    assert [c.pk for c in inbox(receiver_actor, InboxFilters(unread=True)).items] == []

    # Distributed: new to the handler, who has not opened it, whatever the receiver has read.
    distributed(world, case)
    assert unread(handler_actor)
    assert handler.get(f"/personal/arenden/{case.pk}/").status_code == 200
    assert not unread(handler_actor)

    # The resident writes again: unread for both, each until they open it themselves.
    do_send_resident_message(world.resident(world.resident_a), case, body="Jag glömde säga att det kliar.")
    assert unread(handler_actor) and unread(receiver_actor)
    handler.get(f"/personal/arenden/{case.pk}/")
    assert not unread(handler_actor) and unread(receiver_actor)
    inbox_page = receiver.get("/personal/inkorg/?unread=1").content.decode()
    assert case.number in inbox_page and "Oläst" in inbox_page
    assert case.number not in handler.get("/personal/inkorg/?unread=1").content.decode()


def test_the_inbox_shows_the_subject_and_the_resident(world, case, receiver):
    page = receiver.get("/personal/inkorg/").content.decode()
    row = page.split(case.number, 1)[1].split("</tr>", 1)[0]
    assert world.contact.name in page.split(case.number, 1)[0].rsplit("<tr>", 1)[1]
    assert world.resident_a.full_name in row and world.resident_a.number.formatted in row


def test_unread_by_me_keeps_the_inbox_at_a_fixed_query_count(world, case, receiver):
    def more() -> None:
        for _ in range(4):
            opened = do_submit_case(
                world.resident(world.resident_a), service=world.contact, unit=world.unit_x, answers=dict(ANSWERS)
            )
            receiver.get(f"/personal/arenden/{opened.pk}/")

    def read() -> None:
        assert receiver.get("/personal/inkorg/?unread=1").status_code == 200
        assert receiver.get("/personal/inkorg/").status_code == 200

    assert_same_query_count(read, more)
