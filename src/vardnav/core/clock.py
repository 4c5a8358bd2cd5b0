"""One clock for the whole platform.

Why: deadlines, ages and expiry must all agree on "now", and tests freeze it
(time-machine) in one place.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today's date in Sweden, which is what ages and birthdays are counted in."""
    return timezone.now().astimezone(STOCKHOLM).date()


def iso_utc(value: dt.datetime) -> str:
    """A moment as the API writes it: ISO 8601 in UTC with "Z", as ninja's schemas and
    core.http.json_response do, for a response body kept as JSON (an idempotency record)."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
