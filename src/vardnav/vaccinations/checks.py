"""Checking and normalising what a nurse or a resident writes about a vaccination or a trip.

Each check raises a DomainError naming its field with a Swedish message; the
actions collect them so a form shows every mistake at once and saves nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.vaccinations import schedules
from vardnav.vaccinations.errors import VaccinationError
from vardnav.vaccinations.models import InjectionSite

MAX_DOSE_NUMBER = 10
BATCH_MAX_LENGTH = 40
PLACE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
MAX_TRIP_DAYS = 730
BATCH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


def check_vaccine(value: Any) -> schedules.Vaccine:
    vaccine = schedules.vaccines().get(str(value or ""))
    if vaccine is None:
        raise VaccinationError.UNKNOWN_VACCINE.error(field="vaccine")
    return vaccine


def check_product(vaccine: schedules.Vaccine | None, value: Any, *, required: bool) -> str:
    product = str(value or "").strip()
    if not product and not required:
        return ""
    if vaccine is None or product not in vaccine.products:
        raise VaccinationError.UNKNOWN_PRODUCT.error(field="product")
    return product


def check_given_on(value: Any, *, birth_date: dt.date) -> dt.date:
    day: dt.date
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise VaccinationError.DATE_MISSING.error(field="given_on") from None
    if day > clock.today():
        raise VaccinationError.DATE_IN_FUTURE.error(field="given_on")
    if day < birth_date:
        raise VaccinationError.DATE_BEFORE_BIRTH.error(field="given_on")
    return day


def check_dose_number(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_DOSE_NUMBER:
        raise VaccinationError.INVALID_DOSE.error(field="dose_number", limit=MAX_DOSE_NUMBER)
    return number


def check_batch(value: Any) -> str:
    batch = str(value or "").strip().upper()
    if not batch:
        raise VaccinationError.BATCH_MISSING.error(field="batch")
    if len(batch) > BATCH_MAX_LENGTH or not BATCH_PATTERN.match(batch):
        raise VaccinationError.BATCH_INVALID.error(field="batch", limit=BATCH_MAX_LENGTH)
    return batch


def check_site(value: Any, *, required: bool) -> str:
    site = str(value or "")
    if not site and not required:
        return ""
    if site not in InjectionSite.values:
        raise VaccinationError.SITE_MISSING.error(field="site")
    return site


def check_place(value: Any) -> str:
    place = " ".join(str(value or "").split())
    if len(place) > PLACE_MAX_LENGTH:
        raise VaccinationError.PLACE_TOO_LONG.error(field="place", limit=PLACE_MAX_LENGTH)
    return place


def check_note(value: Any) -> str:
    note = str(value or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise VaccinationError.NOTE_TOO_LONG.error(field="note", limit=NOTE_MAX_LENGTH)
    return note


def check_destination(value: Any) -> schedules.Destination:
    destination = schedules.travel_table().destinations.get(str(value or "").strip().upper())
    if destination is None:
        raise VaccinationError.UNKNOWN_DESTINATION.error(field="destination")
    return destination


def check_trip_days(value: Any) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_TRIP_DAYS:
        raise VaccinationError.INVALID_TRIP_LENGTH.error(field="trip_days", limit=MAX_TRIP_DAYS)
    return days


def age_in_months(birth_date: dt.date, day: dt.date) -> int:
    months = (day.year - birth_date.year) * 12 + (day.month - birth_date.month)
    if day.day < birth_date.day:
        months -= 1
    return months


def minimum_age_months(vaccine: schedules.Vaccine, *, at_vaccination_clinic: bool) -> int:
    """BOOK-4: the vaccine's own minimum age, never below 9 months at a vaccination clinic."""
    if at_vaccination_clinic:
        return max(vaccine.min_age_months, schedules.CLINIC_VACCINE_MIN_MONTHS)
    return vaccine.min_age_months


def age_words(months: int) -> str:
    if months % 12 == 0:
        return str(_("%(years)s år") % {"years": months // 12})
    return str(_("%(months)s månader") % {"months": months})


class Collector:
    """Runs checks, keeping every field's message; `raise_if_any` raises one validation error with all of them."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def run(self, check: Any) -> Any:
        try:
            return check()
        except DomainError as error:
            for field, messages in error.field_errors().items():
                self.errors.setdefault(field, []).extend(messages)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise VaccinationError.INVALID_INPUT.error(errors=self.errors)
