"""Checking what a resident asks to block or seal (REC-5, REC-6): every field at once, in Swedish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vardnav.core.errors import DomainError
from vardnav.records.errors import RecordError
from vardnav.records.models import RestrictionScope


@dataclass(frozen=True)
class CheckedRestriction:
    scope: str
    unit_id: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None


def _date(raw: Any, field: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError.RESTRICTION_DATE_REQUIRED.error(field=field) from None


def check_restriction(
    *, scope: Any, unit_id: Any, starts_on: Any, ends_on: Any, allowed_unit_ids: set[int]
) -> CheckedRestriction:
    """The restriction as asked for; a refusal naming each wrong field otherwise."""
    if scope not in RestrictionScope.values:
        raise RecordError.INVALID_RESTRICTION_SCOPE.error(field="scope")
    if scope == RestrictionScope.ALL:
        return CheckedRestriction(str(scope), None, None, None)
    if scope == RestrictionScope.UNIT:
        unit = int(unit_id) if str(unit_id or "").isdigit() and len(str(unit_id)) < 19 else None
        if unit is None or unit not in allowed_unit_ids:
            raise RecordError.RESTRICTION_UNIT_REQUIRED.error(field="unit")
        return CheckedRestriction(str(scope), unit, None, None)
    errors: dict[str, list[str]] = {}
    dates: dict[str, dt.date] = {}
    for field, raw in (("starts_on", starts_on), ("ends_on", ends_on)):
        try:
            dates[field] = _date(raw, field)
        except DomainError as error:
            errors.setdefault(field, []).append(str(error.message))
    if errors:  # a domain rule (400): the API's schema already checked the dates' form
        raise RecordError.RESTRICTION_DATE_REQUIRED.error(errors=errors)
    if dates["ends_on"] < dates["starts_on"]:
        raise RecordError.RESTRICTION_ENDS_BEFORE_START.error(field="ends_on")
    return CheckedRestriction(str(scope), None, dates["starts_on"], dates["ends_on"])


def _optional_date(raw: Any, field: str) -> dt.date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError.SHARING_PERIOD_DATE.error(field=field) from None


def check_sharing_period_dates(starts_on: Any, ends_on: Any) -> tuple[dt.date, dt.date | None]:
    """A national sharing period's first day (required) and last day (blank: until further notice), REC-3."""
    errors: dict[str, list[str]] = {}
    first = last = None
    try:
        first = _optional_date(starts_on, "starts_on")
        if first is None:
            raise RecordError.SHARING_PERIOD_DATE.error(field="starts_on")
    except DomainError as error:
        errors["starts_on"] = [str(error.message)]
    try:
        last = _optional_date(ends_on, "ends_on")
    except DomainError as error:
        errors["ends_on"] = [str(error.message)]
    if errors or first is None:
        raise RecordError.SHARING_PERIOD_DATE.error(errors=errors)
    return first, last


def check_period_end(ends_on: Any) -> dt.date:
    """The last day when a period is ended: a date is required."""
    last = _optional_date(ends_on, "ends_on")
    if last is None:
        raise RecordError.SHARING_PERIOD_DATE.error(field="ends_on")
    return last
