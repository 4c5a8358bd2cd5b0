"""Fixtures for the booking tests: the demo world's bookable units, and times made at chosen moments."""

from __future__ import annotations

import datetime as dt

import pytest

from vardnav.bookings.models import Slot, VisitType
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import Staff, Unit


@pytest.fixture
def nurse_visit(demo_unit_x) -> VisitType:
    """Vårdcentralen Norrsund centrum's nurse visit (20 minutes), bookable online in the demo."""
    return VisitType.objects.select_related("unit__provider").get(unit=demo_unit_x, name="Sjuksköterskebesök")


@pytest.fixture
def vaccination_unit(demo) -> Unit:
    return Unit.objects.select_related("provider").get(slug="kliniknu-vaccination-centrum")


@pytest.fixture
def make_time(db):
    """A published time of a visit type starting at `starts_at` (default: three days ahead, 09:00 local)."""

    def build(visit_type: VisitType, starts_at: dt.datetime | None = None, staff: Staff | None = None) -> Slot:
        if starts_at is None:
            day = clock.today() + dt.timedelta(days=3)
            starts_at = dt.datetime.combine(day, dt.time(9, 0), tzinfo=STOCKHOLM)
        return Slot.objects.create(
            unit=visit_type.unit,
            visit_type=visit_type,
            staff=staff,
            resource="Rum 3" if staff is None else "",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=visit_type.duration_minutes),
            created_at=clock.now(),
        )

    return build


@pytest.fixture
def with_email():
    """Give a person a confirmed e-mail address (the confirmation goes only to a confirmed one)."""

    def give(person, address: str = "invanare@example.se"):
        person.email = address
        person.email_confirmed_at = clock.now()
        person.save(update_fields=["email", "email_confirmed_at"])
        return person

    return give
