"""The demo's bookable visits: visit types, booking settings and four weeks of published times.

Through the bookings actions, like the rest of the demo. Idempotent: a visit
type is found by unit and name; times are published again only when the visit
type has none left in the future, so `make run` always shows bookable times.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.bookings.actions import Series, do_create_visit_type, do_publish_series, do_set_booking_settings
from vardnav.bookings.models import Slot, UnitBookingSettings, VisitType
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.models import Staff, Unit

WEEKDAYS = frozenset(range(5))
WEEKS = 4

# unit slug → settings and visit types; "staff" is the HSA-id suffix of the practitioner (see data.py).
DEMO_BOOKING: dict[str, dict[str, Any]] = {
    "vardcentralen-norrsund-centrum": {
        "online_booking": True,
        "drop_in": False,
        "drop_in_hours": [],
        "visit_types": [
            ("nurse_visit", "Sjuksköterskebesök", 20, "nurse", 0, "NC02", "08:00", "11:00"),
            ("doctor_visit", "Läkarbesök", 30, "doctor", 0, "NC01", "13:00", "16:00"),
            ("video_meeting", "Digitalt videomöte med sjuksköterska", 15, "nurse", 0, "NC02", "15:00", "16:00"),
        ],
    },
    "kliniknu-vaccination-centrum": {
        "online_booking": True,
        "drop_in": True,
        "drop_in_hours": [
            {"days": "Måndag–fredag", "hours": "09.00–12.00"},
            {"days": "Lördag", "hours": "10.00–14.00"},
        ],
        "visit_types": [
            ("vaccination", "TBE-vaccination", 15, "nurse", 12, "VC00", "13:00", "16:00"),
            ("vaccination", "Gula febern-vaccination", 20, "nurse", 9, "VC01", "13:00", "15:00"),
            ("nurse_visit", "Resevaccination – rådgivning", 20, "nurse", 24, "VC01", "15:00", "17:00"),
        ],
    },
    "kliniknu-vaccination-vast": {
        "online_booking": False,
        "drop_in": True,
        "drop_in_hours": [{"days": "Måndag–fredag", "hours": "10.00–18.00"}],
        "visit_types": [],
    },
}


def _clock_time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def load_demo_bookings(actor: Actor, report: Any) -> None:
    for slug, spec in DEMO_BOOKING.items():
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None:
            continue
        if not UnitBookingSettings.objects.filter(unit=unit).exists():
            report.add("bokningsinställningar")
            do_set_booking_settings(
                actor,
                unit=unit,
                online_booking=spec["online_booking"],
                drop_in=spec["drop_in"],
                drop_in_hours=spec["drop_in_hours"],
            )
        prefix = unit.hsa_id.split("-", 1)[0]
        for kind, name, minutes, profession, min_months, staff_suffix, start, end in spec["visit_types"]:
            visit_type = VisitType.objects.filter(unit=unit, name=name).first()
            if visit_type is None:
                report.add("besökstyper")
                visit_type = do_create_visit_type(
                    actor,
                    unit=unit,
                    kind=kind,
                    name=name,
                    duration_minutes=minutes,
                    profession=profession,
                    minimum_age_months=min_months,
                )
            if Slot.objects.filter(visit_type=visit_type, starts_at__gt=clock.now()).exists():
                continue
            staff = Staff.objects.get(hsa_id=f"{prefix}-{staff_suffix}")
            today = clock.today()
            created = do_publish_series(
                actor,
                Series(
                    visit_type=visit_type,
                    staff=staff,
                    first_day=today,
                    last_day=today + dt.timedelta(weeks=WEEKS),
                    weekdays=WEEKDAYS,
                    start=_clock_time(start),
                    end=_clock_time(end),
                ),
            )
            report.add("bokningsbara tider", created)
