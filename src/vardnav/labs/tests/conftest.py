"""The labs tests' world: the visits tests' digital provider, the demo's lab directory and a visit to work on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.personas import actor_for
from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.labs.content import DEMO_LABS
from vardnav.labs.models import Lab
from vardnav.people.models import Person
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.models import Visit
from vardnav.visits.tests.conftest import Digital, digital, valid_answers  # noqa: F401  (the shared fixture)


@pytest.fixture
def labs(db) -> dict[str, Lab]:
    return {spec["code"]: Lab.objects.create(**spec) for spec in DEMO_LABS}


@dataclass
class OpenVisit:
    visit: Visit
    case: Case
    doctor: Actor
    resident: Actor
    person: Person


def open_visit(digital: Digital, person: Person, *, abroad: bool = False, slug: str = "urinvagsinfektion") -> OpenVisit:  # noqa: F811
    """A visit of `person` in a doctor's area, routed to the on-duty specialist."""
    digital.on_duty(digital.specialist)
    area = digital.areas[slug]
    triage = current_triage(area)
    started = do_start_visit(actor_for(person), area, triage, answers=valid_answers(triage.items), abroad=abroad)
    assert started.case.assigned_to_id == digital.specialist.pk
    return OpenVisit(started.visit, started.case, digital.practitioner(digital.specialist), actor_for(person), person)


@pytest.fixture
def visit_of_a(digital, resident_a, labs) -> OpenVisit:  # noqa: F811
    return open_visit(digital, resident_a)


@pytest.fixture
def with_email():
    def give(person: Person, address: str = "invanare@example.se") -> Person:
        person.email = address
        person.email_confirmed_at = clock.now()
        person.save(update_fields=["email", "email_confirmed_at"])
        return person

    return give
