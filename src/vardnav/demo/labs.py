"""The demo's lab directory: fictional labs in several towns (labs.content.DEMO_LABS), added through do_add_lab;
and a home measurement period half filled in (QA-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities
from vardnav.demo.visits import DIGITAL_UNIT_SLUG, sample_answers
from vardnav.labs.actions import do_add_lab, do_enter_reading, do_order_measurement_period
from vardnav.labs.content import DEMO_LABS
from vardnav.labs.models import Lab, MeasurementFrequency, MeasurementKind, MeasurementPeriod, MeasurementSlot
from vardnav.organizations.models import Unit
from vardnav.people.access import get_person_by_personal_number
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.models import ComplaintArea


def load_demo_labs(actor: Actor, report: Any) -> None:
    have = set(Lab.objects.values_list("code", flat=True))
    for spec in DEMO_LABS:
        if spec["code"] in have:
            continue
        do_add_lab(actor, **dict(spec))
        report.add("provtagningsställen")


# QA-5: resident A's digital visit about a cough, with a two-week PEF diary half filled in: six whole days and
# this morning. Morning and evening values a typical asthma diary shows (variability above 10 %).
PERIOD_RESIDENT = identities.RESIDENT_A
PERIOD_AREA = "luftvagar"
PERIOD_DAYS_DONE = 6
DEMO_PEF = [(380, 440), (365, 430), (390, 445), (360, 425), (375, 420), (350, 430), (370, None)]


def load_demo_measurement_period() -> int:
    """A visit of resident A in the airways area with a PEF diary ordered a week ago, half filled in.

    Through the production actions (do_start_visit, do_order_measurement_period, do_enter_reading). The
    one thing no action does is start a period in the past: the demo moves the new period's dates a week
    back before the readings go in, so the practitioner's page shows a week of values and the variability.
    Called by `load_demo` after the world; idempotent (nothing when resident A has a period). Returns how
    many periods it made.
    """
    unit = Unit.objects.filter(slug=DIGITAL_UNIT_SLUG).first()
    person = get_person_by_personal_number(PERIOD_RESIDENT)
    area = ComplaintArea.objects.filter(unit=unit, slug=PERIOD_AREA).first() if unit is not None else None
    if unit is None or person is None or area is None:
        return 0
    if MeasurementPeriod.objects.filter(subject=person).exists():
        return 0
    triage = current_triage(area)
    if triage is None:
        return 0
    resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    started = do_start_visit(resident, area, triage, answers=sample_answers(triage.items), abroad=False)
    handler = started.case.assigned_to
    if handler is None:
        return 0
    doctor = Actor(
        kind=ActorKind.STAFF, staff_id=handler.pk, provider_id=handler.provider_id, unit_id=unit.pk, role="handler"
    )
    period = do_order_measurement_period(
        doctor, started.visit, kind=MeasurementKind.PEF, days=14, frequency=MeasurementFrequency.MORNING_AND_EVENING
    )
    start = clock.today() - dt.timedelta(days=PERIOD_DAYS_DONE)
    MeasurementPeriod.objects.filter(pk=period.pk).update(starts_on=start, ends_on=start + dt.timedelta(days=13))
    period.refresh_from_db()
    for offset, (morning, evening) in enumerate(DEMO_PEF):
        day = start + dt.timedelta(days=offset)
        do_enter_reading(resident, period, measured_on=day, slot=MeasurementSlot.MORNING, pef=morning)
        if evening is not None:
            do_enter_reading(resident, period, measured_on=day, slot=MeasurementSlot.EVENING, pef=evening)
    return 1
