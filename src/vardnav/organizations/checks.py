"""Validating and normalising the input of organizations' actions.

Why apart from the actions: these checks know nothing of who acts or what is
stored, so every noun's `do_*` (and the Django admin's forms, and other apps
such as integrations) share them and raise the same DomainError for the same
mistake.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from vardnav.core.errors import DomainError
from vardnav.core.hsa import HSA_ID_MAX_LENGTH, is_valid_hsa_id, normalize_hsa_id


def check_hsa_id(value: str, *, field: str = "hsa_id") -> str:
    """A valid HSA-id in its stored form, or a DomainError naming `field`."""
    normalized = normalize_hsa_id(value or "")
    if not is_valid_hsa_id(normalized):
        raise DomainError(
            "invalid-hsa-id",
            "Ogiltigt HSA-id. Det ska se ut som SE2321000016-15CQ: SE, tio siffror, bindestreck och "
            f"bokstäver eller siffror utan å, ä, ö eller @ (högst {HSA_ID_MAX_LENGTH} tecken).",
            field=field,
        )
    return normalized


def check_slug(value: str, *, field: str = "slug") -> str:
    slug = slugify(value or "")
    if not slug or len(slug) > 80:
        raise DomainError(
            "invalid-slug", "Ange en kort adress med bokstäver a–z, siffror och bindestreck.", field=field
        )
    return slug


def check_required_text(value: str, *, field: str, label: str, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", f"{label} måste fyllas i.", field=field)
    if len(text) > max_length:
        raise DomainError("too-long", f"{label} får vara högst {max_length} tecken.", field=field)
    return text


def check_opening_hours(value: Any, *, field: str = "opening_hours") -> list[dict[str, str]]:
    """Opening hours as a list of {"days", "hours"} rows, the shape the unit page shows."""
    if value in (None, ""):
        return []
    message = 'Öppettiderna ska vara en lista med rader som {"days": "mån–fre", "hours": "08–17"}.'
    if not isinstance(value, list):
        raise DomainError("invalid-opening-hours", message, field=field)
    rows = []
    for row in value:
        if not isinstance(row, dict) or set(row) != {"days", "hours"}:
            raise DomainError("invalid-opening-hours", message, field=field)
        days, hours = row["days"], row["hours"]
        if not isinstance(days, str) or not isinstance(hours, str) or not days.strip() or not hours.strip():
            raise DomainError("invalid-opening-hours", message, field=field)
        rows.append({"days": days.strip()[:60], "hours": hours.strip()[:60]})
    return rows


def check_retention_days(value: Any, *, field: str = "case_retention_days") -> int:
    """CASE-8: how long closed cases are kept; at least 30 days, at most 10 years."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 30 <= days <= 3650:
        raise DomainError(
            code="invalid-retention", message="Gallringstiden måste vara 30–3650 dagar.", field=field, status=422
        )
    return days


def check_choice(value: str, choices: type, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError("invalid-choice", f"Ogiltigt val av {label}.", field=field)
    return value
