"""Validating and normalising the input of organizations' actions.

Why apart from the actions: these checks know nothing of who acts or what is
stored, so every noun's `do_*` (and the Django admin's forms, and other apps
such as integrations) share them and raise the same DomainError for the same
mistake.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.text import slugify

from vardnav.core.hsa import HSA_ID_MAX_LENGTH, is_valid_hsa_id, normalize_hsa_id
from vardnav.organizations.errors import OrganizationError


def check_hsa_id(value: str, *, field: str = "hsa_id") -> str:
    """A valid HSA-id in its stored form, or a DomainError naming `field`."""
    normalized = normalize_hsa_id(value or "")
    if not is_valid_hsa_id(normalized):
        raise OrganizationError.INVALID_HSA_ID.error(field=field, limit=HSA_ID_MAX_LENGTH)
    return normalized


def check_slug(value: str, *, field: str = "slug") -> str:
    slug = slugify(value or "")
    if not slug or len(slug) > 80:
        raise OrganizationError.INVALID_SLUG.error(field=field)
    return slug


def check_required_text(value: str, *, field: str, label: str | Promise, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise OrganizationError.REQUIRED.error(field=field, label=label)
    if len(text) > max_length:
        raise OrganizationError.TOO_LONG.error(field=field, label=label, limit=max_length)
    return text


def check_opening_hours(value: Any, *, field: str = "opening_hours") -> list[dict[str, str]]:
    """Opening hours as a list of {"days", "hours"} rows, the shape the unit page shows."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise OrganizationError.INVALID_OPENING_HOURS.error(field=field)
    rows = []
    for row in value:
        if not isinstance(row, dict) or set(row) != {"days", "hours"}:
            raise OrganizationError.INVALID_OPENING_HOURS.error(field=field)
        days, hours = row["days"], row["hours"]
        if not isinstance(days, str) or not isinstance(hours, str) or not days.strip() or not hours.strip():
            raise OrganizationError.INVALID_OPENING_HOURS.error(field=field)
        rows.append({"days": days.strip()[:60], "hours": hours.strip()[:60]})
    return rows


def check_retention_days(value: Any, *, field: str = "case_retention_days") -> int:
    """CASE-8: how long closed cases are kept; at least 30 days, at most 10 years."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 30 <= days <= 3650:
        raise OrganizationError.INVALID_RETENTION.error(field=field)
    return days


def check_choice(value: str, choices: type[Choices], *, field: str, label: str | Promise) -> str:
    if value not in choices.values:
        raise OrganizationError.INVALID_CHOICE.error(field=field, label=label)
    return value


def check_qualification(profession: str, qualification: str, percent: Any) -> tuple[str, int | None]:
    """ORG-8: a qualification the profession can hold, and a training percent only for doctors in training."""
    from vardnav.organizations.models import Profession, Qualification

    if qualification not in Qualification.values:
        raise OrganizationError.INVALID_QUALIFICATION.error(field="qualification")
    if qualification != Qualification.OTHER and profession != Profession.DOCTOR:
        raise OrganizationError.QUALIFICATION_NEEDS_DOCTOR.error(field="qualification")
    if qualification != Qualification.IN_TRAINING:
        return qualification, None
    try:
        value = int(percent)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 100:
        raise OrganizationError.INVALID_TRAINING_PERCENT.error(field="specialist_training_percent")
    return qualification, value
