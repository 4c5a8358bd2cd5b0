"""Working-day calendar for deadlines (CASE-2): Swedish public holidays from `holidays`.

Why also the eves: Midsummer Eve, Christmas Eve and New Year's Eve are not
public holidays by law but Swedish care units treat them as Sundays, so a
"2 working days" promise made on 23 December must not fall due on the 24th.
Deadlines are counted in Europe/Stockholm local time and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from vardnav.core.clock import STOCKHOLM

WORKDAY_END = dt.time(17, 0)
_EVES = {(12, 24), (12, 31)}


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    days = set(holidays.country_holidays("SE", years=year).keys())
    days |= {dt.date(year, month, day) for month, day in _EVES}
    midsummer_day = next(d for d in days if d.month == 6 and 20 <= d.day <= 26 and d.weekday() == 5)
    days.add(midsummer_day - dt.timedelta(days=1))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the working day `days` working days after `start` (local 17:00, returned in UTC).

    A case sent on a Friday evening with 2 working days is due Tuesday 17:00.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start.astimezone(STOCKHOLM).date()
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return dt.datetime.combine(day, WORKDAY_END, tzinfo=STOCKHOLM).astimezone(dt.UTC)


def add_hours(start: dt.datetime, hours: int) -> dt.datetime:
    """Calendar hours: used for services staffed around the clock (digital units)."""
    return (start + dt.timedelta(hours=hours)).astimezone(dt.UTC)
