"""Mina ärenden and the staff inbox cost the same number of queries with one case as with many.

Each case comes with what a list row may reach for: messages, the handler, and
a flag (the same question again is flagged as a probable duplicate).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import actor_for
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_ask_question, do_distribute_case, do_submit_case
from vardnav.cases.models import Case

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def add_cases(world, count: int) -> None:
    """Resident A's cases, distributed to handler X with a partial reply and a question to the resident."""
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    for _ in range(count):
        case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=None, answers=dict(ANSWERS))
        do_distribute_case(receiver, case, handler=world.handler_x, partial_reply="Vi tittar på det.")
        do_ask_question(handler, case, body="Hur länge har du haft besvären?")


@pytest.fixture
def one_case(world):
    add_cases(world, 1)
    return world


def resident_client(world) -> Client:
    return log_in_client(Client(), resident_identity(world.resident_a))


def receiver_client(world) -> Client:
    return log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))


def _get_ok(client: Client, path: str):
    def request():
        response = client.get(path)
        assert response.status_code == 200, response.content.decode()[:500]

    return request


@pytest.mark.parametrize("path", ["/arenden/", "/api/v1/cases"])
def test_mina_arenden_costs_the_same_with_one_case_as_with_five(one_case, path):
    assert_same_query_count(_get_ok(resident_client(one_case), path), lambda: add_cases(one_case, 4))
    assert Case.objects.filter(subject=one_case.resident_a).count() == 5


@pytest.mark.parametrize("path", ["/personal/inkorg/", "/api/v1/staff/inbox"])
def test_the_staff_inbox_costs_the_same_with_one_case_as_with_five(one_case, path):
    assert_same_query_count(_get_ok(receiver_client(one_case), path), lambda: add_cases(one_case, 4))
    assert Case.objects.filter(unit=one_case.unit_x).count() == 5
