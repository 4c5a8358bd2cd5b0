"""Dates as residents read them: `{{ value|short_date }}` → "30 nov. 2026", `{{ value|short_datetime }}` →
"30 nov. 2026 kl. 14.05" (English: "30 Nov 2026", "30 Nov 2026 at 14:05").

Why not Django's `date:"j M Y"`: its Swedish month abbreviation is capitalised
("Nov") and has no full stop; Swedish writes "nov." but "mars", "maj", "juni"
and "juli" in full (Språkrådet's recommendation).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

register = template.Library()

SWEDISH_MONTHS = ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."]


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _is_swedish() -> bool:
    return (get_language() or "sv").split("-")[0] == "sv"


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    if value in (None, ""):
        return ""
    value = _local(value)
    if _is_swedish():
        return f"{value.day} {SWEDISH_MONTHS[value.month - 1]} {value.year}"
    return date_format(value, "j M Y")


@register.filter
def short_datetime(value: dt.datetime | None) -> str:
    if value in (None, ""):
        return ""
    value = _local(value)  # type: ignore[assignment]
    assert value is not None
    if _is_swedish():
        return f"{short_date(value)} kl. {value.hour:02d}.{value.minute:02d}"
    return f"{short_date(value)} at {value.hour:02d}:{value.minute:02d}"
