"""Reaching a vaccination card: the only way views and the API fetch vaccinations for an actor.

Residents (VAC-1): their own card, or the card of a child they are guardian of
while the child is under 16 (identity's register-backed relation). Staff: a
member of health-care staff with a role at the unit they work in now opens a
card when the person comes for a vaccination; every opening writes one audit
entry (REC-1), so the person's log extract shows who looked.

The card costs a fixed number of queries however many doses it lists: the
doses with their unit in one query, the travel advice in one more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound
from vardnav.identity.access import access_acting_for, access_child_for_guardian
from vardnav.organizations.access import staff_roles_at
from vardnav.organizations.models import Profession, Staff
from vardnav.people.models import Person
from vardnav.vaccinations import schedules
from vardnav.vaccinations.errors import VaccinationError
from vardnav.vaccinations.models import TravelAdvice, Vaccination

CARD_LIMIT = 500  # doses on one card: far above a real life's, and a bound on the query
ADVICE_LIMIT = 50
STAFF_READ_PURPOSE = "vaccination"
# Who vaccinates and gives travel advice: health-care staff, not administrative staff.
NOT_VACCINATING = {Profession.ADMINISTRATIVE}


@dataclass
class VaccineRow:
    vaccine: schedules.Vaccine
    doses: list[Vaccination]
    next: schedules.NextDose | None
    due_soon: bool = False
    booking_unit_slug: str = ""


@dataclass
class Card:
    subject: Person
    rows: list[VaccineRow]
    advice: list[TravelAdvice] = field(default_factory=list)

    @property
    def due(self) -> list[VaccineRow]:
        return [row for row in self.rows if row.next is not None]


# --- residents ----------------------------------------------------------------------------


def access_card_subject(actor: Actor, child_id: int | None = None) -> Person:
    """The resident themself, the child they act for, or (child_id) one of their children under 16."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    if child_id is not None:
        return access_child_for_guardian(actor, child_id)
    return access_acting_for(actor)


def read_card_for_resident(actor: Actor, child_id: int | None = None) -> Card:
    subject = access_card_subject(actor, child_id)
    built = card(subject)
    do_record(actor, AuditEvent.VACCINATION_CARD_READ, subject, subject_person_id=subject.pk)
    return built


# --- staff ---------------------------------------------------------------------------------


def vaccinating_staff(actor: Actor) -> Staff:
    """The staff member, if they may vaccinate where they work now; else a 403 with the reason."""
    if not actor.is_staff or actor.staff_id is None or actor.unit_id is None:
        raise VaccinationError.NO_VACCINATING_ROLE.error()
    staff = Staff.objects.filter(pk=actor.staff_id, is_active=True).first()
    if staff is None or staff.profession in NOT_VACCINATING or not staff_roles_at(actor, actor.unit_id):
        raise VaccinationError.NO_VACCINATING_ROLE.error()
    return staff


def may_vaccinate(actor: Actor) -> bool:
    try:
        vaccinating_staff(actor)
    except DomainError:
        return False
    return True


def access_person_for_staff(actor: Actor, person_id: int) -> Person:
    vaccinating_staff(actor)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound(VaccinationError.PERSON_NOT_FOUND)
    return person


def read_card_for_staff(actor: Actor, person: Person) -> Card:
    """A nurse opens the card: one audit entry per opening."""
    vaccinating_staff(actor)
    built = card(person)
    do_record(
        actor,
        AuditEvent.VACCINATION_CARD_READ,
        person,
        subject_person_id=person.pk,
        unit_id=actor.unit_id,
        purpose=STAFF_READ_PURPOSE,
    )
    return built


# --- the card --------------------------------------------------------------------------------


def card(subject: Person, *, today: dt.date | None = None) -> Card:
    """The subject's doses per vaccine, each vaccine's next due dose (VAC-2), and the travel advice given."""
    today = today or clock.today()
    doses = list(
        Vaccination.objects.filter(subject=subject)
        .select_related("unit", "given_by")
        .order_by("vaccine", "given_on", "dose_number", "id")[:CARD_LIMIT]
    )
    known = schedules.vaccines()
    by_vaccine: dict[str, list[Vaccination]] = {}
    for dose in doses:
        if dose.vaccine in known:
            by_vaccine.setdefault(dose.vaccine, []).append(dose)
    rows = []
    for code, entries in by_vaccine.items():
        vaccine = known[code]
        upcoming = next_dose_for(vaccine, entries, subject.birth_date)
        clinic = [entry for entry in entries if not entry.self_reported and entry.unit is not None]
        rows.append(
            VaccineRow(
                vaccine=vaccine,
                doses=entries,
                next=upcoming,
                due_soon=upcoming is not None
                and upcoming.due_on <= today + dt.timedelta(days=schedules.REMIND_DAYS_AHEAD),
                booking_unit_slug=clinic[-1].unit.slug if clinic and clinic[-1].unit else "",
            )
        )
    rows.sort(key=lambda row: row.vaccine.name)
    advice = list(
        TravelAdvice.objects.filter(subject=subject).select_related("unit").order_by("-given_at", "-id")[:ADVICE_LIMIT]
    )
    return Card(subject=subject, rows=rows, advice=advice)


def next_dose_for(
    vaccine: schedules.Vaccine, entries: list[Vaccination], birth_date: dt.date
) -> schedules.NextDose | None:
    """VAC-2 and VAC-3: clinic and self-reported doses count alike."""
    if not entries:
        return None
    return schedules.next_dose(
        vaccine,
        taken=max(entry.dose_number for entry in entries),
        first_on=min(entry.given_on for entry in entries),
        last_on=max(entry.given_on for entry in entries),
        birth_date=birth_date,
    )
