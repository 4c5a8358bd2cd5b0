"""The demo's digital visits: Kliniknu's digital unit with Vårdnav's standard complaint areas and its
practitioners on duty (doctors, a nurse, a psychologist, a physiotherapist, a midwife and a sexologist),
and one visit of Ali Hassan's with a video meeting proposed for the next day (VISIT-8).

Everything goes through the actions production uses (do_install_standard_areas,
do_update_staff for ORG-8, do_set_duty), so the demo holds nothing the product could not reach.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import Qualification, RoleGrant, Staff, Unit
from vardnav.people.access import get_person_by_personal_number
from vardnav.visits.access import current_triage
from vardnav.visits.actions import (
    digital_visit_service,
    do_install_standard_areas,
    do_propose_meeting,
    do_set_duty,
    do_start_visit,
)
from vardnav.visits.models import ComplaintArea, Duty, Visit

DIGITAL_UNIT_SLUG = "kliniknu-digital"
# HSA-id suffix → (qualification, percent of specialist training done) for the unit's doctors (ORG-8).
DOCTOR_QUALIFICATIONS = {"DG00": (Qualification.SPECIALIST, None), "DG01": (Qualification.IN_TRAINING, 60)}
# The head of the digital unit also takes visits; every practitioner of the unit is on duty in the demo.
EXTRA_HANDLERS = ["DG00"]
ON_DUTY = ["DG00", "DG01", "DG02", "DG03", "DG04", "DG05", "DG06"]
# The demo visit with a proposed video meeting: whose, in which area, and when (Swedish time, the next day).
MEETING_RESIDENT = identities.RESIDENT_B
MEETING_AREA = "urinvagsinfektion"
MEETING_TIME = "10:00"


def load_demo_visits(actor: Actor, report: Any) -> None:
    unit = Unit.objects.filter(slug=DIGITAL_UNIT_SLUG).first()
    if unit is None:
        return
    prefix = unit.hsa_id.split("-", 1)[0]
    staff = {s.hsa_id.rsplit("-", 1)[1]: s for s in Staff.objects.filter(hsa_id__startswith=f"{prefix}-DG")}
    if not ComplaintArea.objects.filter(unit=unit).exists():
        report.add("besvärsområden", len(do_install_standard_areas(actor, unit)))
    digital_visit_service(actor, unit.provider)  # the triage shows the expected fee before the first visit
    for suffix, (qualification, percent) in DOCTOR_QUALIFICATIONS.items():
        doctor = staff[suffix]
        if doctor.qualification != qualification:
            do_update_staff(actor, doctor, qualification=qualification, specialist_training_percent=percent)
    for suffix in EXTRA_HANDLERS:
        if not RoleGrant.objects.filter(staff=staff[suffix], unit=unit, role="handler").exists():
            do_grant_role(actor, staff=staff[suffix], unit=unit, role="handler")
    for suffix in ON_DUTY:
        practitioner = staff[suffix]
        if Duty.objects.filter(staff=practitioner, unit=unit, on_duty=True).exists():
            continue
        report.add("behandlare i tjänst")
        do_set_duty(_handler_actor(practitioner.pk, practitioner.provider_id, unit), unit, on_duty=True)


def _handler_actor(staff_id: int, provider_id: int, unit: Unit) -> Actor:
    return Actor(kind=ActorKind.STAFF, staff_id=staff_id, provider_id=provider_id, unit_id=unit.pk, role="handler")


def sample_answers(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A complete answer set without a red flag: "no" to every yes/no question, the first option of each
    choice, a short text, the lowest number, today's date (the demo's visit; the visits tests use it too)."""
    answers: dict[str, Any] = {}
    for item in items:
        if any(answers.get(c["question"]) != c["answer"] for c in item.get("enableWhen", [])):
            continue
        kind = item["type"]
        if kind == "boolean":
            answers[item["linkId"]] = False
        elif kind == "choice":
            first = item["answerOption"][0]["code"]
            answers[item["linkId"]] = [first] if item.get("repeats") else first
        elif kind in ("string", "text"):
            answers[item["linkId"]] = "Besvär sedan två dagar."
        elif kind in ("integer", "decimal"):
            answers[item["linkId"]] = str(item.get("minValue", 1))
        elif kind == "date":
            answers[item["linkId"]] = clock.today().isoformat()
    return answers


def load_demo_meeting() -> int:
    """A digital visit of the demo resident, routed to a doctor on duty, with a video meeting proposed for tomorrow.

    Through the production actions (do_start_visit, do_propose_meeting): log in as Ali Hassan to accept the
    time or ask for another, or as the doctor to see the answer and join at the time. Called by the
    `load_demo` command after the world (not by load_demo(): the test fixture's case tables start empty).
    Idempotent: nothing is made when the resident has a visit at the unit. Returns how many meetings it made.
    """
    unit = Unit.objects.filter(slug=DIGITAL_UNIT_SLUG).first()
    person = get_person_by_personal_number(MEETING_RESIDENT)
    area = ComplaintArea.objects.filter(unit=unit, slug=MEETING_AREA).first() if unit is not None else None
    if unit is None or person is None or area is None:
        return 0
    if Visit.objects.filter(case__subject=person, area__unit=unit).exists():
        return 0
    triage = current_triage(area)
    if triage is None:
        return 0
    resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    started = do_start_visit(resident, area, triage, answers=sample_answers(triage.items), abroad=False)
    handler = started.case.assigned_to
    if handler is None:
        return 0
    tomorrow = clock.today() + dt.timedelta(days=1)
    actor = _handler_actor(handler.pk, handler.provider_id, unit)
    do_propose_meeting(actor, started.visit, day=tomorrow.isoformat(), time=MEETING_TIME)
    return 1
