"""Writing the vaccination card: the only code that changes it.

A nurse registers a dose given at the clinic (VAC-1); a resident adds one given
elsewhere, marked self-reported (VAC-3); a nurse records the travel advice
given at a visit (VAC-4); the reminder sweep tells people a dose is due
(VAC-2). Every input is checked before anything is written, and each change
commits with its audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.identity.checks import may_be_acted_for
from vardnav.notifications.actions import notify_resident
from vardnav.notifications.models import NoticeKind
from vardnav.organizations.models import Unit, UnitKind
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.models import GuardianRelation, Person
from vardnav.vaccinations import access, checks, schedules
from vardnav.vaccinations.errors import VaccinationError
from vardnav.vaccinations.models import TravelAdvice, Vaccination, VaccinationReminder


def do_find_person(actor: Actor, personal_number: Any) -> Person:
    """The person who has come to be vaccinated, by personal number; fetched from the register if new here."""
    access.vaccinating_staff(actor)
    number = str(personal_number or "").strip()
    person = get_person_by_personal_number(number)
    if person is None:
        person = do_sync_person_from_register(number)
    return person


def do_register_vaccination(
    actor: Actor,
    subject: Person,
    *,
    vaccine: Any,
    product: Any,
    dose_number: Any,
    batch: Any,
    site: Any,
    given_on: Any,
) -> Vaccination:
    """VAC-1: a nurse registers a dose given at the unit where they work now.

    BOOK-4: at a vaccination clinic nobody under 9 months is vaccinated, and no
    one younger than the vaccine's own minimum age anywhere.
    """
    staff = access.vaccinating_staff(actor)
    assert actor.unit_id is not None  # vaccinating_staff: a unit is chosen
    unit = Unit.objects.get(pk=actor.unit_id)
    found = checks.Collector()
    checked_vaccine = found.run(lambda: checks.check_vaccine(vaccine))
    checked_product = found.run(lambda: checks.check_product(checked_vaccine, product, required=True))
    checked_dose = found.run(lambda: checks.check_dose_number(dose_number))
    checked_batch = found.run(lambda: checks.check_batch(batch))
    checked_site = found.run(lambda: checks.check_site(site, required=True))
    checked_date = found.run(lambda: checks.check_given_on(given_on, birth_date=subject.birth_date))
    if checked_vaccine is not None and checked_date is not None:
        minimum = checks.minimum_age_months(checked_vaccine, at_vaccination_clinic=unit.kind == UnitKind.VACCINATION)
        if checks.age_in_months(subject.birth_date, checked_date) < minimum:
            found.run(lambda: _raise(VaccinationError.TOO_YOUNG.error(field="vaccine", age=checks.age_words(minimum))))
    found.raise_if_any()
    with transaction.atomic():
        vaccination = Vaccination.objects.create(
            subject=subject,
            vaccine=checked_vaccine.code,
            product=checked_product,
            dose_number=checked_dose,
            given_on=checked_date,
            self_reported=False,
            unit=unit,
            provider_id=unit.provider_id,
            given_by=staff,
            batch=checked_batch,
            site=checked_site,
            registered_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.VACCINATION_REGISTER,
            vaccination,
            subject_person_id=subject.pk,
            unit_id=unit.pk,
        )
    return vaccination


def do_add_self_reported(
    actor: Actor,
    subject: Person,
    *,
    vaccine: Any,
    product: Any = "",
    dose_number: Any,
    given_on: Any,
    place: Any = "",
) -> Vaccination:
    """VAC-3: the resident (or a guardian for a child under 16) adds a dose given elsewhere."""
    if actor.person_id is None:
        raise NotFound()
    reporter = Person.objects.get(pk=actor.person_id)
    found = checks.Collector()
    checked_vaccine = found.run(lambda: checks.check_vaccine(vaccine))
    checked_product = found.run(lambda: checks.check_product(checked_vaccine, product, required=False))
    checked_dose = found.run(lambda: checks.check_dose_number(dose_number))
    checked_date = found.run(lambda: checks.check_given_on(given_on, birth_date=subject.birth_date))
    checked_place = found.run(lambda: checks.check_place(place))
    found.raise_if_any()
    with transaction.atomic():
        vaccination = Vaccination.objects.create(
            subject=subject,
            vaccine=checked_vaccine.code,
            product=checked_product,
            dose_number=checked_dose,
            given_on=checked_date,
            self_reported=True,
            reported_by=reporter,
            place_text=checked_place,
            registered_at=clock.now(),
        )
        do_record(actor, AuditEvent.VACCINATION_SELF_REPORT, vaccination, subject_person_id=subject.pk)
    return vaccination


@dataclass
class Advice:
    destination: schedules.Destination
    trip_days: int
    vaccines: list[schedules.Vaccine]
    long_trip: bool
    table: schedules.TravelTable


def travel_advice(destination: Any, trip_days: Any) -> Advice:
    """VAC-4: the vaccines to consider for a trip, from the shipped table; both inputs checked at once."""
    found = checks.Collector()
    checked_destination = found.run(lambda: checks.check_destination(destination))
    checked_days = found.run(lambda: checks.check_trip_days(trip_days))
    found.raise_if_any()
    table = schedules.travel_table()
    return Advice(
        destination=checked_destination,
        trip_days=checked_days,
        vaccines=schedules.vaccines_to_consider(checked_destination, checked_days),
        long_trip=checked_days >= table.long_trip_days,
        table=table,
    )


def do_record_travel_advice(
    actor: Actor, subject: Person, *, destination: Any, trip_days: Any, note: Any = "", booking_id: int | None = None
) -> TravelAdvice:
    """VAC-4: the nurse records the advice given at the visit (kept by the provider, never shared nationally)."""
    staff = access.vaccinating_staff(actor)
    assert actor.unit_id is not None  # vaccinating_staff: a unit is chosen
    found = checks.Collector()
    advice = found.run(lambda: travel_advice(destination, trip_days))
    checked_note = found.run(lambda: checks.check_note(note))
    found.raise_if_any()
    with transaction.atomic():
        record = TravelAdvice.objects.create(
            subject=subject,
            unit_id=actor.unit_id,
            given_by=staff,
            booking_id=booking_id,
            destination=advice.destination.code,
            trip_days=advice.trip_days,
            vaccines=[vaccine.code for vaccine in advice.vaccines],
            table_compiled_on=advice.table.compiled_on,
            note=checked_note,
            given_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.TRAVEL_ADVICE_RECORD,
            record,
            subject_person_id=subject.pk,
            unit_id=actor.unit_id,
            extra={"booking_id": booking_id},
        )
    return record


# --- reminders (VAC-2) ---------------------------------------------------------------------------


def _recipients(subject: Person, today: dt.date) -> list[tuple[Person, bool]]:
    """Who hears about a due dose: the person from 16, else each guardian (told it concerns their child)."""
    if not may_be_acted_for(subject.age_on(today)):
        return [(subject, False)]
    guardians = Person.objects.filter(
        pk__in=GuardianRelation.objects.filter(child=subject).values("guardian_id")
    ).order_by("pk")
    return [(guardian, True) for guardian in guardians]


def do_send_vaccination_reminders(*, today: dt.date | None = None, chunk: int = 500) -> int:
    """Remind each person of each dose due within REMIND_DAYS_AHEAD, once (VaccinationReminder); returns how many.

    Goes through everyone with a dose on their card in chunks of `chunk`
    people (keyset on the person id). The notice leads to the card; any e-mail
    or SMS (through notifications, per the person's confirmed address and
    consent) says only that a reminder is waiting and links to Mina sidor.
    """
    today = today or clock.today()
    horizon = today + dt.timedelta(days=schedules.REMIND_DAYS_AHEAD)
    card_link = reverse("vaccinations:card")
    login_link = reverse("my_pages")  # e-mail and SMS name no vaccination, not even in a link
    sent, after = 0, 0
    while True:
        subject_ids = list(
            Vaccination.objects.filter(subject_id__gt=after)
            .values_list("subject_id", flat=True)
            .distinct()
            .order_by("subject_id")[:chunk]
        )
        if not subject_ids:
            return sent
        after = subject_ids[-1]
        for subject in Person.objects.filter(pk__in=subject_ids).order_by("pk"):
            sent += _remind(subject, today, horizon, card_link, login_link)


def _remind(subject: Person, today: dt.date, horizon: dt.date, card_link: str, login_link: str) -> int:
    built = access.card(subject, today=today)
    reminded = set(VaccinationReminder.objects.filter(subject=subject).values_list("vaccine", "dose_number"))
    sent = 0
    for row in built.rows:
        upcoming = row.next
        if upcoming is None or upcoming.due_on > horizon or (row.vaccine.code, upcoming.dose_number) in reminded:
            continue
        with transaction.atomic():
            VaccinationReminder.objects.create(
                subject=subject,
                vaccine=row.vaccine.code,
                dose_number=upcoming.dose_number,
                due_on=upcoming.due_on,
                sent_at=clock.now(),
            )
            for recipient, for_child in _recipients(subject, today):
                notify_resident(
                    recipient,
                    NoticeKind.VACCINATION_REMINDER,
                    link=card_link,
                    login_link=login_link,
                    for_child=for_child,
                    protected=subject.protected_identity,
                )
        sent += 1
    return sent


def _raise(error: Exception) -> None:
    raise error
