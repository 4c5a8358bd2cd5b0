"""FEE-9: contraceptives within the drug benefit (läkemedelsförmånerna) are free nationwide for
anyone who has not turned 21 on the day of purchase (since 1 January 2017). The contraceptive
e-services tell the resident, from their age on the day, whether the method will be free, and
when it stops being free if they turn 21 within the year a prescription can cover (RX-6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vardnav.catalog.models import ServiceKind
from vardnav.people.models import Person

FREE_UNDER_AGE = 21
# The services where a method is prescribed; stopping a method buys nothing.
PRESCRIBING_KINDS = frozenset(
    {ServiceKind.CONTRACEPTIVE_RENEW, ServiceKind.CONTRACEPTIVE_START, ServiceKind.CONTRACEPTIVE_CHANGE}
)
PRESCRIPTION_YEAR = dt.timedelta(days=366)


@dataclass(frozen=True)
class ContraceptiveCost:
    free: bool
    age: int
    paid_from: dt.date | None  # the 21st birthday, when it falls within a prescription's year


def birthday(birth_date: dt.date, age: int) -> dt.date:
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:  # born 29 February: the birthday is 1 March in other years
        return dt.date(birth_date.year + age, 3, 1)


def contraceptive_cost(person: Person, day: dt.date) -> ContraceptiveCost:
    age = person.age_on(day)
    turns_21 = birthday(person.birth_date, FREE_UNDER_AGE)
    free = age < FREE_UNDER_AGE
    paid_from = turns_21 if free and turns_21 - day < PRESCRIPTION_YEAR else None
    return ContraceptiveCost(free=free, age=age, paid_from=paid_from)


def contraceptive_note(person: Person, service_kind: str, day: dt.date) -> str | None:
    """The line a contraceptive e-service shows; None for any other service."""
    if service_kind not in PRESCRIBING_KINDS:
        return None
    cost = contraceptive_cost(person, day)
    if not cost.free:
        return _(
            "Preventivmedlet betalar du själv på apoteket: preventivmedel inom läkemedelsförmånen är "
            "avgiftsfria bara för den som inte har fyllt 21 år."
        )
    line = _(
        "Preventivmedel inom läkemedelsförmånen är avgiftsfria för dig på apoteket, eftersom du inte har fyllt 21 år."
    )
    if cost.paid_from is not None:
        line += " " + _("Från och med %(day)s, när du fyller 21 år, betalar du själv.") % {
            "day": cost.paid_from.isoformat()
        }
    return line
