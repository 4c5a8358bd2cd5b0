"""The vaccine schedules and the travel-advice table the project ships, and what they say.

Why shipped data: how many doses a vaccine takes, how far apart, and when a
booster is due are facts from named sources (data/schedules.json, each vaccine
with its `source`), not code; the travel table (data/travel.json) names its
sources and the date it was compiled, and both are shown to the resident and
the nurse. Changing a schedule is a data change, reviewed like code.

VAC-2: the next due dose follows from the doses a person has, clinic-given and
self-reported alike (VAC-3): the highest dose number taken, counted from the
latest dose, through the schedule variant for the age at the first dose.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"

# BOOK-4: vaccination clinics vaccinate from 9 months, later where the vaccine says so.
# The same floor applies when booking (bookings.actions.VACCINATION_CLINIC_VACCINE_MIN_MONTHS).
CLINIC_VACCINE_MIN_MONTHS = 9
# A reminder goes out this many days before a dose is due.
REMIND_DAYS_AHEAD = 14


@dataclass(frozen=True)
class Variant:
    from_age_years: int
    doses_after_days: tuple[int, ...]
    boosters_after_days: tuple[int, ...]
    repeat_every_days: int | None


@dataclass(frozen=True)
class Vaccine:
    code: str
    name_sv: str
    name_en: str
    products: tuple[str, ...]
    min_age_months: int
    source: str
    verified: bool
    variants: tuple[Variant, ...]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    def variant_for(self, age_years: int) -> Variant:
        chosen = self.variants[0]
        for variant in self.variants:
            if age_years >= variant.from_age_years:
                chosen = variant
        return chosen


@dataclass(frozen=True)
class Destination:
    code: str
    name_sv: str
    name_en: str
    all_trips: tuple[str, ...]
    long_trips: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv


@dataclass(frozen=True)
class TravelTable:
    title: str
    compiled_on: dt.date
    source: str
    long_trip_days: int
    destinations: dict[str, Destination]


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def vaccines() -> dict[str, Vaccine]:
    raw = _load("schedules.json")
    return {
        item["code"]: Vaccine(
            code=item["code"],
            name_sv=item["name_sv"],
            name_en=item["name_en"],
            products=tuple(item["products"]),
            min_age_months=int(item["min_age_months"]),
            source=item["source"],
            verified=bool(item["verified"]),
            variants=tuple(
                Variant(
                    from_age_years=int(v["from_age_years"]),
                    doses_after_days=tuple(v["doses_after_days"]),
                    boosters_after_days=tuple(v["boosters_after_days"]),
                    repeat_every_days=v["repeat_every_days"],
                )
                for v in item["variants"]
            ),
        )
        for item in raw["vaccines"]
    }


@cache
def schedules_compiled_on() -> dt.date:
    return dt.date.fromisoformat(_load("schedules.json")["compiled_on"])


@cache
def travel_table() -> TravelTable:
    raw = _load("travel.json")
    return TravelTable(
        title=raw["title"],
        compiled_on=dt.date.fromisoformat(raw["compiled_on"]),
        source=raw["source"],
        long_trip_days=int(raw["long_trip_days"]),
        destinations={
            item["code"]: Destination(
                code=item["code"],
                name_sv=item["name_sv"],
                name_en=item["name_en"],
                all_trips=tuple(item["all"]),
                long_trips=tuple(item["long"]),
            )
            for item in raw["destinations"]
        },
    )


def destinations_sorted() -> list[Destination]:
    return sorted(travel_table().destinations.values(), key=lambda d: d.name)


def vaccines_to_consider(destination: Destination, trip_days: int) -> list[Vaccine]:
    """VAC-4: the vaccines for every trip there, plus those for a long trip when it is one."""
    codes = list(destination.all_trips)
    if trip_days >= travel_table().long_trip_days:
        codes += [code for code in destination.long_trips if code not in codes]
    known = vaccines()
    return [known[code] for code in codes]


@dataclass(frozen=True)
class NextDose:
    vaccine: Vaccine
    dose_number: int  # the number the next dose will have
    due_on: dt.date
    booster: bool


def next_dose(
    vaccine: Vaccine, *, taken: int, first_on: dt.date, last_on: dt.date, birth_date: dt.date
) -> NextDose | None:
    """VAC-2: when the next dose of `vaccine` is due after `taken` doses, or None when the series is complete."""
    age = first_on.year - birth_date.year - ((first_on.month, first_on.day) < (birth_date.month, birth_date.day))
    variant = vaccine.variant_for(age)
    series = len(variant.doses_after_days)
    if taken < series:
        return NextDose(vaccine, taken + 1, last_on + dt.timedelta(days=variant.doses_after_days[taken]), False)
    booster_index = taken - series
    if booster_index < len(variant.boosters_after_days):
        days = variant.boosters_after_days[booster_index]
    elif variant.repeat_every_days:
        days = variant.repeat_every_days
    else:
        return None
    return NextDose(vaccine, taken + 1, last_on + dt.timedelta(days=days), True)
