"""Peer review of cases (QA-1): the daily selection, appointing reviewers, signing an assessment.

The only place that changes the quality follow-up's peer-review rows; each `do_*` runs in one transaction with its
audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.models import Case, CaseStatus
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound
from vardnav.organizations.access import acting_staff, require_provider_admin
from vardnav.organizations.models import CareProvider, Profession, Staff
from vardnav.quality.errors import QualityError
from vardnav.quality.models import (
    Assessment,
    PeerReview,
    PeerReviewDay,
    PeerReviewer,
    PeerReviewPick,
    ReviewOutcome,
)

# QA-1: "Vi kvalitetsgranskar vart 20:e ärende – varje dag".
PICK_EVERY = 20
# After downtime the sweep catches up at most this many days back (and never before the provider's first selection
# when it has one): a month of missed days is a backlog; older cases are not worth a reviewer's morning.
CATCH_UP_DAYS = 31
LEARNING_POINT_MAX_LENGTH = 4000
ASSESSMENT_FIELDS = (
    "medically_reasonable",
    "documentation_sufficient",
    "answered_in_time",
    "prescribing_per_guidelines",
)


# --- the selection ------------------------------------------------------------------------------


def every_twentieth(count: int) -> list[int]:
    """The 1-based positions picked among `count` cases in their fixed order: 20, 40, 60, …"""
    return list(range(PICK_EVERY, count + 1, PICK_EVERY))


def swedish_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day as Swedes count it, [midnight, next midnight), in aware datetimes (DST days are 23 or 25 hours)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=clock.STOCKHOLM)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=clock.STOCKHOLM)
    return start, end


def closed_cases_of_day(provider_id: int, day: dt.date) -> list[dict[str, Any]]:
    """The provider's cases closed that Swedish day, in the documented order: by closing time, then by id
    (two cases closed in the same microsecond keep the order they were created in)."""
    start, end = swedish_day_bounds(day)
    rows = (
        Case.objects.filter(provider_id=provider_id, status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .order_by("closed_at", "id")
        .values("id", "number", "unit_id", "assigned_to_id", "assigned_to__profession")
    )
    return [dict(row) for row in rows]


def _reviewers(provider_id: int) -> list[dict[str, Any]]:
    """The provider's current reviewers with how many picks each has waiting (the load), in one query."""
    rows = list(
        PeerReviewer.objects.filter(provider_id=provider_id, ended_at__isnull=True, staff__is_active=True)
        .values("staff_id", "staff__profession")
        .order_by("staff_id")
    )
    loads: dict[int, int] = {
        row["reviewer_id"]: row["n"]
        for row in PeerReviewPick.objects.filter(provider_id=provider_id, reviewer__isnull=False, reviews__isnull=True)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        {"staff_id": r["staff_id"], "profession": r["staff__profession"], "load": loads.get(r["staff_id"], 0)}
        for r in rows
    ]


def choose_reviewer(reviewers: Sequence[dict[str, Any]], *, profession: str, handler_id: int | None) -> int | None:
    """The least loaded reviewer of the handler's profession who is not the handler; ties go to the lowest id,
    so among equals the work goes round. None: nobody fits, the case waits in the shared queue."""
    fitting = [r for r in reviewers if r["profession"] == profession and r["staff_id"] != handler_id]
    if not profession or not fitting:
        return None
    return min(fitting, key=lambda r: (r["load"], r["staff_id"]))["staff_id"]


def do_select_peer_reviews(provider: CareProvider, day: dt.date) -> PeerReviewDay:
    """QA-1: pick every 20th case the provider closed that day; selecting the same day again returns the first."""
    existing = PeerReviewDay.objects.filter(provider=provider, day=day).first()
    if existing is not None:
        return existing
    cases = closed_cases_of_day(provider.pk, day)
    reviewers = _reviewers(provider.pk)
    now = clock.now()
    try:
        with transaction.atomic():
            selection = PeerReviewDay.objects.create(
                provider=provider, day=day, selected_at=now, closed_that_day=len(cases)
            )
            picks = []
            for position in every_twentieth(len(cases)):
                row = cases[position - 1]
                profession = row["assigned_to__profession"] or ""
                reviewer_id = choose_reviewer(reviewers, profession=profession, handler_id=row["assigned_to_id"])
                for reviewer in reviewers:
                    if reviewer["staff_id"] == reviewer_id:
                        reviewer["load"] += 1
                picks.append(
                    PeerReviewPick(
                        selection=selection,
                        provider=provider,
                        case_id=row["id"],
                        case_number=row["number"],
                        unit_id=row["unit_id"],
                        position=position,
                        handler_id=row["assigned_to_id"],
                        profession=profession,
                        reviewer_id=reviewer_id,
                        picked_at=now,
                    )
                )
            # A case already picked (on a day it closed before, then reopened) is not picked twice.
            already = set(
                PeerReviewPick.objects.filter(case_id__in=[p.case_id for p in picks]).values_list("case_id", flat=True)
            )
            PeerReviewPick.objects.bulk_create([p for p in picks if p.case_id not in already])
            do_record(
                Actor.system(),
                AuditEvent.PEER_REVIEW_SELECT,
                selection,
                extra={"provider_id": provider.pk, "day": day.isoformat(), "picked": len(picks) - len(already)},
            )
    except IntegrityError:  # selected at the same moment by another worker
        return PeerReviewDay.objects.get(provider=provider, day=day)
    return selection


def days_to_select(last_selected: dt.date | None, yesterday: dt.date) -> list[dt.date]:
    """The days a sweep on `yesterday + 1` selects: every day since the last selection, at most CATCH_UP_DAYS."""
    if last_selected is None:
        return [yesterday]  # a provider's first sweep starts with yesterday
    first = max(yesterday - dt.timedelta(days=CATCH_UP_DAYS - 1), last_selected + dt.timedelta(days=1))
    return [first + dt.timedelta(days=n) for n in range((yesterday - first).days + 1)]


def do_select_daily_peer_reviews(today: dt.date | None = None) -> int:
    """The nightly sweep: for every provider, each day since its last selection up to yesterday (Swedish dates).

    Idempotent (a day is selected once) and catching up after downtime; returns how many days were selected.
    """
    yesterday = (today or clock.today()) - dt.timedelta(days=1)
    last: dict[int, dt.date] = {
        row["provider_id"]: row["last"]
        for row in PeerReviewDay.objects.values("provider_id").annotate(last=Max("day")).order_by()
    }
    count = 0
    for provider in CareProvider.objects.order_by("pk"):
        for day in days_to_select(last.get(provider.pk), yesterday):
            do_select_peer_reviews(provider, day)
            count += 1
    return count


# --- reviewers ------------------------------------------------------------------------------------


def do_appoint_peer_reviewer(actor: Actor, staff: Staff) -> PeerReviewer:
    """The provider's administrator appoints a clinician as kvalitetsgranskare; appointing again changes nothing."""
    require_provider_admin(actor, staff.provider_id)
    if not staff.is_active:
        raise QualityError.NOT_PROVIDER_STAFF.error(field="staff")
    if staff.profession == Profession.ADMINISTRATIVE:
        raise QualityError.ADMINISTRATIVE_STAFF.error(field="staff")
    existing = PeerReviewer.objects.filter(provider_id=staff.provider_id, staff=staff, ended_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            appointment = PeerReviewer.objects.create(
                provider_id=staff.provider_id,
                staff=staff,
                appointed_by_id=actor.staff_id if actor.is_staff else None,
                appointed_at=clock.now(),
            )
            do_record(actor, AuditEvent.PEER_REVIEWER_APPOINT, staff, extra={"staff_id": staff.pk})
    except IntegrityError:
        return PeerReviewer.objects.get(provider_id=staff.provider_id, staff=staff, ended_at__isnull=True)
    return appointment


def do_end_peer_reviewer(actor: Actor, appointment: PeerReviewer) -> None:
    """The administrator ends an appointment; the reviewer's waiting picks go back to the shared queue."""
    require_provider_admin(actor, appointment.provider_id)
    with transaction.atomic():
        appointment.ended_at = clock.now()
        appointment.save(update_fields=["ended_at"])
        PeerReviewPick.objects.filter(
            provider_id=appointment.provider_id, reviewer_id=appointment.staff_id, reviews__isnull=True
        ).update(reviewer=None)
        do_record(actor, AuditEvent.PEER_REVIEWER_END, appointment.staff, extra={"staff_id": appointment.staff_id})


# --- the assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedAssessment:
    medically_reasonable: str
    documentation_sufficient: str
    answered_in_time: str
    prescribing_per_guidelines: str
    learning_point: str
    outcome: str


def check_assessment(data: Mapping[str, Any]) -> CheckedAssessment:
    """Every question answered Ja/Delvis/Nej, an outcome, and a learning point when there is something to learn.

    All problems at once, each under its field, so the form shows every missing answer in one go.
    """
    errors: dict[str, list[Any]] = {}
    values: dict[str, str] = {}
    for name in ASSESSMENT_FIELDS:
        value = str(data.get(name) or "")
        if value not in Assessment.values:
            errors[name] = [QualityError.ANSWER_REQUIRED.message]
        values[name] = value
    outcome = str(data.get("outcome") or "")
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [QualityError.OUTCOME_REQUIRED.message]
    learning_point = str(data.get("learning_point") or "").strip()
    if len(learning_point) > LEARNING_POINT_MAX_LENGTH:
        errors["learning_point"] = [
            str(QualityError.LEARNING_POINT_TOO_LONG.message) % {"limit": LEARNING_POINT_MAX_LENGTH}
        ]
    elif outcome in (ReviewOutcome.REMARK, ReviewOutcome.DEVIATION) and not learning_point:
        errors["learning_point"] = [QualityError.LEARNING_POINT_REQUIRED.message]
    if errors:
        first = next(iter(errors))
        code = {
            "outcome": QualityError.OUTCOME_REQUIRED,
            "learning_point": QualityError.LEARNING_POINT_REQUIRED
            if len(learning_point) <= LEARNING_POINT_MAX_LENGTH
            else QualityError.LEARNING_POINT_TOO_LONG,
        }.get(first, QualityError.ANSWER_REQUIRED)
        raise DomainError(code, errors=errors, limit=LEARNING_POINT_MAX_LENGTH)
    return CheckedAssessment(learning_point=learning_point, outcome=outcome, **values)


def do_sign_peer_review(
    actor: Actor, pick: PeerReviewPick, data: Mapping[str, Any], *, corrects_id: int | None = None
) -> PeerReview:
    """The reviewer signs the assessment (QA-1); once signed it stays. A correction is a new review that points at
    the latest one, which keeps its text: what was first concluded is part of the quality record."""
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(QualityError.PICK_NOT_FOUND)
    if pick.handler_id == staff.pk:
        raise QualityError.OWN_CASE.error()
    checked = check_assessment(data)
    with transaction.atomic():
        locked = PeerReviewPick.objects.select_for_update().get(pk=pick.pk)
        latest = PeerReview.objects.filter(pick=locked, corrected_by__isnull=True).first()
        if corrects_id is None and latest is not None:
            raise QualityError.ALREADY_REVIEWED.error()
        if corrects_id is not None:
            if latest is None or not PeerReview.objects.filter(pk=corrects_id, pick=locked).exists():
                raise QualityError.CORRECTS_NOT_FOUND.error(field="corrects")
            if latest.pk != corrects_id:
                raise QualityError.CORRECTION_OF_OLD_REVIEW.error(field="corrects")
        review = PeerReview.objects.create(
            pick=locked,
            reviewer=staff,
            signed_at=clock.now(),
            corrects_id=corrects_id,
            medically_reasonable=checked.medically_reasonable,
            documentation_sufficient=checked.documentation_sufficient,
            answered_in_time=checked.answered_in_time,
            prescribing_per_guidelines=checked.prescribing_per_guidelines,
            learning_point=checked.learning_point,
            outcome=checked.outcome,
        )
        if locked.reviewer_id is None:  # taken from the shared queue: it is now this reviewer's
            locked.reviewer = staff
            locked.save(update_fields=["reviewer"])
        do_record(
            actor,
            AuditEvent.PEER_REVIEW_SIGN,
            review,
            extra={"pick_id": locked.pk, "outcome": checked.outcome, "corrects_id": corrects_id},
        )
    return review
