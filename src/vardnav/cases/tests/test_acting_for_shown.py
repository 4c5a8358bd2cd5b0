"""Acting for a child shows everywhere (issue 11, item 9): the resident's form, receipt and Mina ärenden
say "För Elsa Lindqvist, 8 år"; staff see the name, the personal number (or samordningsnummer, labelled
so) and the age."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.personas import actor_for, make_person
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_submit_case
from vardnav.core import clock
from vardnav.demo import identities as ids

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Feber", "details": "Feber sedan i går."}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.rule("ID-2")
def test_a_guardian_sees_whom_the_form_the_receipt_and_mina_arenden_are_for(world):
    child = world.child_8
    line = f"För {child.given_name} {child.surname}, {child.age_on(clock.today())} år"
    assert line.endswith(", 8 år")
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=child))
    form_url = f"/e-tjanster/{world.unit_x.slug}/{world.contact.pk}/"

    assert line in text_of(guardian.get(form_url))
    response = guardian.post(form_url, {**ANSWERS, "submission_key": "acting-for-key-0001"})
    assert response.status_code == 302
    assert line in text_of(guardian.get(response["Location"]))
    assert line in text_of(guardian.get("/arenden/"))


def test_a_resident_acting_for_themself_sees_no_for_line(world):
    resident = log_in_client(Client(), resident_identity(world.resident_a))
    html = resident.get(f"/e-tjanster/{world.unit_x.slug}/{world.contact.pk}/").content.decode()
    assert 'class="for-line"' not in html


def test_staff_see_the_childs_name_personal_number_and_age(world):
    case = do_submit_case(
        actor_for(world.guardian, acting_for=world.child_8), service=world.contact, unit=world.unit_x, answers=ANSWERS
    )
    staff = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))

    page = text_of(staff.get(f"/personal/arenden/{case.pk}/"))

    assert f"Namn {world.child_8.full_name}" in page
    assert f"Personnummer {world.child_8.number.formatted}" in page
    assert "Ålder 8 år" in page


def test_a_samordningsnummer_is_labelled_as_one(world):
    luis = make_person(ids.COORDINATION)
    case = do_submit_case(actor_for(luis), service=world.open_service, unit=world.unit_x, answers=ANSWERS)
    staff = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))

    page = text_of(staff.get(f"/personal/arenden/{case.pk}/"))

    assert f"Samordningsnummer {luis.number.formatted}" in page
    assert "Personnummer" not in page
