"""The survey invitation sweep (QA-2): every visit that took place gets one survey, whenever the sweep runs.

Run by `manage.py send_survey_invitations [--every SECONDS]` (started by `make run`, like the other sweeps).
Why a sweep rather than a hook on closing a case or passing a booking's time: a booked visit takes place
without any action in Vårdnav (its time passes), and a sweep that looks back INVITE_WITHIN_DAYS catches up
after a pause. It is idempotent: a visit with a survey is skipped, and the unique `visit_key` refuses a
second one even when two sweeps run at once.

What counts as a visit:
- a digital visit (visits.Visit) whose case is closed, unless it was closed as a duplicate of another case;
- a booked physical or video visit (bookings.Booking) still booked BOOKING_GRACE after its time: not
  cancelled and not marked as a no-show, which staff do at the time or later the same day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from vardnav.bookings.models import Booking, BookingStatus
from vardnav.cases.models import CaseStatus, Outcome
from vardnav.core import clock
from vardnav.quality.models import Survey, SurveyVisitKind
from vardnav.quality.surveys import VisitToSurvey, do_invite_to_survey
from vardnav.visits.models import Visit

INVITE_WITHIN_DAYS = 14  # visits older than this get no survey (the first run does not survey the past)
BOOKING_GRACE = dt.timedelta(hours=6)  # time for staff to mark a no-show before the survey goes out


def send_survey_invitations(*, now: dt.datetime | None = None, chunk: int = 500) -> int:
    """Invite to a survey for each visit that took place and has none; returns how many were invited."""
    now = now or clock.now()
    since = now - dt.timedelta(days=INVITE_WITHIN_DAYS)
    return _digital_visits(now, since, chunk) + _booked_visits(now, since, chunk)


def _digital_visits(now: dt.datetime, since: dt.datetime, chunk: int) -> int:
    sent, after = 0, 0
    surveyed = Survey.objects.filter(case_id=OuterRef("case_id"))
    while True:
        visits = list(
            Visit.objects.filter(
                pk__gt=after,
                case__status=CaseStatus.CLOSED,
                case__closed_at__gte=since,
                case__closed_at__lte=now,
            )
            .exclude(case__outcome=Outcome.DUPLICATE)
            .filter(~Exists(surveyed))
            .select_related("case", "case__subject", "case__submitted_by")
            .defer("answers", "case__answers")
            .order_by("pk")[:chunk]
        )
        if not visits:
            return sent
        after = visits[-1].pk
        for visit in visits:
            case = visit.case
            assert case.closed_at is not None  # filtered on above; for the type checker
            invited = do_invite_to_survey(
                VisitToSurvey(
                    visit_key=f"case:{case.pk}",
                    kind=SurveyVisitKind.DIGITAL,
                    subject=case.subject,
                    proposed_recipient=case.submitted_by,
                    provider_id=case.provider_id,
                    unit_id=case.unit_id,
                    practitioner_id=case.assigned_to_id,
                    visited_at=case.closed_at,
                    case_id=case.pk,
                ),
                now=now,
            )
            if invited is not None:
                sent += 1


def _booked_visits(now: dt.datetime, since: dt.datetime, chunk: int) -> int:
    sent, after = 0, 0
    surveyed = Survey.objects.filter(booking_id=OuterRef("pk"))
    while True:
        bookings = list(
            Booking.objects.filter(
                pk__gt=after,
                status=BookingStatus.BOOKED,
                starts_at__gte=since,
                starts_at__lte=now - BOOKING_GRACE,
            )
            .filter(~Exists(surveyed))
            .select_related("slot", "unit", "person", "booked_by")
            .order_by("pk")[:chunk]
        )
        if not bookings:
            return sent
        after = bookings[-1].pk
        for booking in bookings:
            invited = do_invite_to_survey(
                VisitToSurvey(
                    visit_key=f"booking:{booking.pk}",
                    kind=SurveyVisitKind.BOOKED,
                    subject=booking.person,
                    proposed_recipient=booking.booked_by,
                    provider_id=booking.unit.provider_id,
                    unit_id=booking.unit_id,
                    practitioner_id=booking.slot.staff_id,
                    visited_at=booking.starts_at,
                    booking_id=booking.pk,
                ),
                now=now,
            )
            if invited is not None:
                sent += 1
