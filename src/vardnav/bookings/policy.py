"""BOOK-3: when digital cancellation and rebooking close before a visit.

Why a policy per provider and unit kind: regions' 1177 terms commonly say 24
hours in primary care and 72 hours in specialist care, and some count whole
weekdays ("en hel vardag (24 timmar)", "tre hela vardagar (72 timmar)") rather
than clock hours. A provider without its own row gets the defaults here.
"""

from __future__ import annotations

import datetime as dt

from vardnav.bookings.models import CancellationPolicy, CutoffCounting
from vardnav.core.calendar import is_working_day
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import Unit, UnitKind

DEFAULT_NOTICE_HOURS = {UnitKind.SPECIALIST: 72}
DEFAULT_HOURS = 24


def policy_for(unit: Unit) -> CancellationPolicy:
    """The provider's rule for the unit's kind, or an unsaved default."""
    policy = CancellationPolicy.objects.filter(provider_id=unit.provider_id, unit_kind=unit.kind).first()
    if policy is not None:
        return policy
    return CancellationPolicy(
        provider_id=unit.provider_id,
        unit_kind=unit.kind,
        notice_hours=DEFAULT_NOTICE_HOURS.get(UnitKind(unit.kind), DEFAULT_HOURS),
        counting=CutoffCounting.HOURS,
    )


def cutoff_before(starts_at: dt.datetime, policy: CancellationPolicy) -> dt.datetime:
    """The last moment a visit starting at `starts_at` may be cancelled or rebooked digitally.

    Hours: exactly that many hours before (real elapsed time, so a daylight-saving
    change in between does not shift it). Working days: one working day per 24
    hours, counted back in Swedish local time from the visit's day: a Monday 09:00
    visit with "en hel vardag" closes the Friday before at 09:00.
    """
    if policy.counting == CutoffCounting.HOURS:
        return starts_at.astimezone(dt.UTC) - dt.timedelta(hours=policy.notice_hours)
    local = starts_at.astimezone(STOCKHOLM)
    remaining = max(1, round(policy.notice_hours / 24))
    day = local.date()
    while remaining:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return dt.datetime.combine(day, local.time(), tzinfo=STOCKHOLM).astimezone(dt.UTC)
