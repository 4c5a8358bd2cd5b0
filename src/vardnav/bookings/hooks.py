"""How the "Boka om tid" and "Avboka tid" e-services follow the booking rules (BOOK-3).

Why hooks: the case engine knows no particular service. These e-services are
request forms to the unit's inbox, for visits booked outside Vårdnav. Two
checks run before such a request is accepted: a request past the unit's
cut-off is refused with the unit's phone number (the same policy as for
Vårdnav bookings), and when the person has a Vårdnav booking at the unit on
that day the resident is sent to act on it directly under Mina bokningar,
where cancelling and rebooking take effect at once, instead of writing to staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus
from vardnav.bookings.policy import cutoff_before, policy_for
from vardnav.cases.hooks import DefaultHooks, SubmissionContext, register_service_hooks
from vardnav.catalog.models import ServiceKind
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM

VISIT_DATE = "visit_date"


def check_visit_request(context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
    raw = answers.get(VISIT_DATE)
    if not raw:
        return []
    day = dt.date.fromisoformat(str(raw))
    unit = context.unit
    start = dt.datetime.combine(day, dt.time.min, tzinfo=STOCKHOLM)
    end = start + dt.timedelta(days=1)
    booked = Booking.objects.filter(
        person_id=context.subject.pk,
        unit_id=unit.pk,
        status=BookingStatus.BOOKED,
        starts_at__gte=start,
        starts_at__lt=end,
    ).exists()
    if booked:
        raise BookingError.BOOKED_IN_VARDNAV.error(field=VISIT_DATE)
    # The visit's hour is not asked for: only a request past the cut-off for any hour of that day is refused.
    deadline = cutoff_before(end - dt.timedelta(minutes=1), policy_for(unit))
    if clock.now() > deadline:
        raise BookingError.REQUEST_PAST_CUTOFF.error(field=VISIT_DATE, phone=unit.phone or unit.name)
    return []


class VisitRequestHooks(DefaultHooks):
    """The engine's defaults, plus the cut-off and booked-in-Vårdnav checks above."""

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        return check_visit_request(context, answers)


def register() -> None:
    for kind in (ServiceKind.VISIT_REBOOK, ServiceKind.VISIT_CANCEL):
        register_service_hooks(kind, VisitRequestHooks())
