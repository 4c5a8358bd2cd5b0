"""How the "Boka om tid" and "Avboka tid" e-services follow the booking rules (BOOK-3).

Why hooks: the case engine knows no particular service. When the resident (or
the guardian, for a child) has an upcoming Vårdnav booking at the unit, the
e-service's form page is the service's own step (views.eservice_step): choose
the booking and cancel it, or move it to a free time of the same visit type,
at once; past the cut-off the resident is told to call the unit. Otherwise
these e-services are request forms to the unit's inbox, for visits booked
outside Vårdnav, with two checks: a request past the unit's cut-off is refused
with the unit's phone number (the same policy as for Vårdnav bookings), and a
request naming the day of a Vårdnav booking is sent to act on it directly.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus
from vardnav.bookings.policy import cutoff_before, policy_for
from vardnav.cases.hooks import DefaultHooks, SubmissionContext, register_service_hooks
from vardnav.catalog.models import ServiceKind
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM

if TYPE_CHECKING:
    from django.http import HttpResponse

    from vardnav.core.http import ActorRequest

VISIT_DATE = "visit_date"
VISIT_TIME = "visit_time"


def _visit_moment(answers: dict[str, Any]) -> tuple[dt.datetime, dt.datetime] | None:
    """The day asked about (start, end), from the answers; None when no day is given or it is not a date."""
    raw = answers.get(VISIT_DATE)
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(str(raw))
    except ValueError:
        return None
    start = dt.datetime.combine(day, dt.time.min, tzinfo=STOCKHOLM)
    return start, start + dt.timedelta(days=1)


def check_visit_request(context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
    found = _visit_moment(answers)
    if found is None:
        return []
    start, end = found
    unit = context.unit
    booked = Booking.objects.filter(
        person_id=context.subject.pk,
        unit_id=unit.pk,
        status=BookingStatus.BOOKED,
        starts_at__gte=start,
        starts_at__lt=end,
    ).exists()
    if booked:
        raise BookingError.BOOKED_IN_VARDNAV.error(field=VISIT_DATE)
    # With the visit's time of day the cut-off is counted from it; with the day only, from the day's last minute.
    visit = end - dt.timedelta(minutes=1)
    raw_time = str(answers.get(VISIT_TIME) or "").strip()
    if raw_time:
        try:
            clock_time = dt.time.fromisoformat(raw_time.replace(".", ":").zfill(5))
        except ValueError:
            raise BookingError.VISIT_TIME_INVALID.error(field=VISIT_TIME) from None
        visit = dt.datetime.combine(start.date(), clock_time, tzinfo=STOCKHOLM)
    if clock.now() > cutoff_before(visit, policy_for(unit)):
        raise BookingError.REQUEST_PAST_CUTOFF.error(field=VISIT_DATE, phone=unit.phone or unit.name)
    return []


class VisitRequestHooks(DefaultHooks):
    """The engine's defaults, plus the direct step for Vårdnav bookings and the request form's checks above."""

    rebook = False

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        return check_visit_request(context, answers)

    def form_step(self, request: ActorRequest, context: SubmissionContext) -> HttpResponse | None:
        from vardnav.bookings.views import eservice_step

        return eservice_step(request, context, rebook=self.rebook)


class RebookRequestHooks(VisitRequestHooks):
    rebook = True


def register() -> None:
    register_service_hooks(ServiceKind.VISIT_REBOOK, RebookRequestHooks())
    register_service_hooks(ServiceKind.VISIT_CANCEL, VisitRequestHooks())
