"""Validating what the booking settings pages and API send (issue 11, item 13), before anything is saved.

Each check returns the cleaned value or raises the bookings' DomainError for
the field it belongs to, so a page puts the Swedish message at that field and
the API answers problem+json with the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import CutoffCounting, VisitKind
from vardnav.organizations.models import Profession, UnitKind

NAME_LIMIT = 100
DURATION_RANGE = (5, 240)
MINIMUM_AGE_HIGH = 1200
REMINDER_HOURS_HIGH = 72
WEEKS_AHEAD_RANGE = (1, 26)
NOTICE_HOURS_RANGE = (1, 24 * 14)
DROP_IN_ROWS_LIMIT = 14
DROP_IN_TEXT_LIMIT = 60


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def check_name(value: Any, *, field: str = "name", required: bool = True) -> str:
    name = str(value or "").strip()
    if required and not name:
        raise BookingError.VISIT_TYPE_NAME_REQUIRED.error(field=field)
    if len(name) > NAME_LIMIT:
        raise BookingError.VISIT_TYPE_NAME_TOO_LONG.error(field=field, limit=NAME_LIMIT)
    return name


def check_kind(value: Any) -> str:
    if value not in VisitKind.values:
        raise BookingError.VISIT_TYPE_KIND.error(field="kind")
    return str(value)


def check_profession(value: Any) -> str:
    if value not in Profession.values:
        raise BookingError.VISIT_TYPE_PROFESSION.error(field="profession")
    return str(value)


def check_duration(value: Any) -> int:
    minutes = _int(value)
    low, high = DURATION_RANGE
    if minutes is None or not low <= minutes <= high:
        raise BookingError.VISIT_TYPE_DURATION.error(field="duration_minutes", low=low, high=high)
    return minutes


def check_minimum_age(value: Any) -> int:
    months = 0 if str(value if value is not None else "").strip() == "" else _int(value)  # empty: no age limit
    if months is None or not 0 <= months <= MINIMUM_AGE_HIGH:
        raise BookingError.VISIT_TYPE_MINIMUM_AGE.error(field="minimum_age_months", high=MINIMUM_AGE_HIGH)
    return months


def check_visit_type_values(values: dict[str, Any]) -> dict[str, Any]:
    """The given fields of a visit type, cleaned; unknown fields are left out."""
    checks: dict[str, Callable[[Any], Any]] = {
        "name": check_name,
        "name_en": lambda value: check_name(value, field="name_en", required=False),
        "kind": check_kind,
        "profession": check_profession,
        "duration_minutes": check_duration,
        "minimum_age_months": check_minimum_age,
        "online_bookable": bool,
        "is_active": bool,
    }
    return {name: checks[name](value) for name, value in values.items() if name in checks}


def check_drop_in_hours(rows: Any, *, drop_in: bool) -> list[dict[str, str]]:
    """BOOK-1: the drop-in hours as rows of days and hours; empty rows are dropped."""
    cleaned: list[dict[str, str]] = []
    for row in rows or []:
        days = str((row or {}).get("days") or "").strip()
        hours = str((row or {}).get("hours") or "").strip()
        if not days and not hours:
            continue
        if not days or not hours or len(days) > DROP_IN_TEXT_LIMIT or len(hours) > DROP_IN_TEXT_LIMIT:
            raise BookingError.DROP_IN_HOURS.error(field="drop_in_hours")
        cleaned.append({"days": days, "hours": hours})
    if len(cleaned) > DROP_IN_ROWS_LIMIT:
        raise BookingError.DROP_IN_HOURS.error(field="drop_in_hours")
    if drop_in and not cleaned:
        raise BookingError.DROP_IN_HOURS_REQUIRED.error(field="drop_in_hours")
    return cleaned


def check_reminder_hours(value: Any) -> int:
    hours = _int(value)
    if hours is None or not 0 <= hours <= REMINDER_HOURS_HIGH:
        raise BookingError.REMINDER_HOURS.error(field="reminder_hours", high=REMINDER_HOURS_HIGH)
    return hours


def check_weeks_ahead(value: Any) -> int:
    weeks = _int(value)
    low, high = WEEKS_AHEAD_RANGE
    if weeks is None or not low <= weeks <= high:
        raise BookingError.WEEKS_AHEAD.error(field="weeks_ahead", low=low, high=high)
    return weeks


def check_unit_kind(value: Any) -> str:
    if value not in UnitKind.values:
        raise BookingError.UNIT_KIND.error(field="unit_kind")
    return str(value)


def check_notice_hours(value: Any, *, field: str = "notice_hours") -> int:
    hours = _int(value)
    low, high = NOTICE_HOURS_RANGE
    if hours is None or not low <= hours <= high:
        raise BookingError.NOTICE_HOURS.error(field=field, low=low, high=high)
    return hours


def check_counting(value: Any, *, field: str = "counting") -> str:
    if value not in CutoffCounting.values:
        raise BookingError.CUTOFF_COUNTING.error(field=field)
    return str(value)
