"""What residents read about their cases is plain Swedish (issue 11, item 11): their own words for a
status, Swedish dates, the question named in an error, "(frivilligt)" once, a log extract that says
which case, and a receipt that promises only the notices the resident will really get."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from tests.personas import actor_for, make_service
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.access import access_case_for_staff
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.models import ServiceKind
from vardnav.core.clock import STOCKHOLM
from vardnav.people.actions import do_update_contact

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Utslag", "details": "Ett utslag som inte går över."}
NOV_30 = dt.datetime(2026, 11, 30, 14, 5, tzinfo=STOCKHOLM)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def distributed(world):
    with time_machine.travel(NOV_30, tick=False):
        case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS)
        do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    return case


def test_mina_arenden_shows_the_status_in_the_residents_words_and_a_swedish_date(world, distributed):
    resident = log_in_client(Client(), resident_identity(world.resident_a))

    page = text_of(resident.get("/arenden/"))
    detail = text_of(resident.get(f"/arenden/{distributed.pk}/"))

    assert "Mottagningen arbetar med ärendet" in page and "Fördelad" not in page
    assert "30 nov. 2026 kl. 14.05" in page
    assert "Mottagningen arbetar med ärendet" in detail and "Fördelad" not in detail
    assert "30 nov. 2026" in detail and "november" not in detail


def test_an_optional_question_that_says_frivilligt_says_it_once(world):
    items = [{"linkId": "why", "type": "string", "text": "Orsak (frivilligt)", "maxLength": 100}]
    service = make_service(world.provider, ServiceKind.VISIT_CANCEL, items=items)
    resident = log_in_client(Client(), resident_identity(world.resident_a))

    page = resident.get(f"/e-tjanster/{world.unit_x.slug}/{service.pk}/").content.decode()

    assert "Orsak (frivilligt)" in page
    assert "(frivilligt) (frivilligt)" not in page
    assert '"frivilligt"' not in page and "”frivilligt”" in page


def test_the_log_extract_says_which_case_a_staff_member_read(world, distributed):
    access_case_for_staff(world.staff(world.handler_x, world.unit_x, "handler"), distributed.pk)
    resident = log_in_client(Client(), resident_identity(world.resident_a))

    page = text_of(resident.get("/mina-sidor/loggutdrag/"))

    assert f"Läste uppgifter: ärende {distributed.number}, {world.contact.name}" in page


def test_the_receipt_promises_an_email_only_to_a_resident_with_a_confirmed_address(world):
    resident = log_in_client(Client(), resident_identity(world.resident_a))
    case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS)

    without = text_of(resident.get(f"/arenden/{case.pk}/kvitto/"))
    person = world.resident_a
    do_update_contact(actor_for(person), person, email="anna@example.se", phone="")
    person.refresh_from_db()
    person.email_confirmed_at = NOV_30
    person.save(update_fields=["email_confirmed_at"])
    with_email = text_of(resident.get(f"/arenden/{case.pk}/kvitto/"))

    assert "Vi skickar inget mejl eller sms om svaret." in without
    assert "Du får ett mejl när mottagningen har svarat." in with_email


def test_a_protected_resident_is_not_asked_to_add_an_email_address(world):
    protected = log_in_client(Client(), resident_identity(world.protected))
    case = do_submit_case(actor_for(world.protected), service=world.open_service, unit=world.unit_x, answers=ANSWERS)

    page = text_of(protected.get(f"/arenden/{case.pk}/kvitto/"))

    assert "Vi skickar inget mejl eller sms om svaret." in page
    assert "e-postadress i din profil" not in page


def test_staff_still_see_the_staff_status(world, distributed):
    staff = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert "Fördelad" in text_of(staff.get(f"/personal/arenden/{distributed.pk}/"))
