"""Reaching peer review (QA-1) for an actor: the reviewer's queue and cases, the provider's follow-up.

A reviewer is a staff member with a current appointment at their provider (`PeerReviewer`). They see the
provider's picked cases assigned to them, and those left in the shared queue for their profession — never a case
they handled themselves, never another provider's. Every other answer is the same 404, so ids reveal nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.access import staff_messages
from vardnav.cases.models import Case, Message
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import NotFound
from vardnav.organizations.access import is_provider_admin, staff_roles_at
from vardnav.organizations.models import Profession, Role, Staff
from vardnav.quality.errors import QualityError
from vardnav.quality.models import PeerReview, PeerReviewer, PeerReviewPick, ReviewOutcome
from vardnav.records.access import case_notes
from vardnav.records.models import RecordNote

QUEUE_LIMIT = 100
DONE_LIMIT = 30
FOLLOW_UP_MONTHS = 12
FOLLOW_UP_LIST_LIMIT = 100
# The purpose written on the audit entry of a reviewer's read (REC-1): why the case was opened.
REVIEW_PURPOSE = "kvalitetsgranskning"


@dataclass(frozen=True)
class Reviewer:
    staff_id: int
    provider_id: int
    profession: str


def peer_reviewer(actor: Actor) -> Reviewer | None:
    """The acting staff member's current appointment as the provider's kvalitetsgranskare, if any (one query)."""
    if not actor.is_staff or actor.staff_id is None or actor.provider_id is None:
        return None
    row = (
        PeerReviewer.objects.filter(
            provider_id=actor.provider_id, staff_id=actor.staff_id, ended_at__isnull=True, staff__is_active=True
        )
        .values("staff__profession")
        .first()
    )
    if row is None:
        return None
    return Reviewer(actor.staff_id, actor.provider_id, row["staff__profession"])


def require_peer_reviewer(actor: Actor) -> Reviewer:
    reviewer = peer_reviewer(actor)
    if reviewer is None:
        raise QualityError.NOT_A_PEER_REVIEWER.error()
    return reviewer


def _reachable(reviewer: Reviewer) -> Q:
    """The picks a reviewer may open: their provider's, not handled by them, and theirs, or in the shared queue of
    their profession (or of nobody's: a case closed without a handler), or one they already reviewed."""
    return (
        Q(provider_id=reviewer.provider_id)
        & ~Q(handler_id=reviewer.staff_id)
        & (
            Q(reviewer_id=reviewer.staff_id)
            | Q(reviewer__isnull=True, profession__in=[reviewer.profession, ""])
            | Q(pk__in=PeerReview.objects.filter(reviewer_id=reviewer.staff_id).values("pick_id"))
        )
    )


@dataclass(frozen=True)
class QueueRow:
    pick_id: int
    case_number: str
    service: str
    unit: str
    day: dt.date
    mine: bool


@dataclass
class Queue:
    waiting: list[QueueRow]
    done: list[dict[str, Any]]


def review_queue(actor: Actor) -> Queue:
    """What the reviewer has to review (theirs first, then the shared queue, oldest day first) and their latest
    signed reviews; three queries however long the queue."""
    reviewer = require_peer_reviewer(actor)
    rows = (
        PeerReviewPick.objects.filter(_reachable(reviewer), reviews__isnull=True)
        .values("pk", "case_number", "case__service__name", "unit__name", "selection__day", "reviewer_id")
        .order_by("selection__day", "position", "pk")[:QUEUE_LIMIT]
    )
    waiting = [
        QueueRow(
            r["pk"],
            r["case_number"],
            r["case__service__name"] or "",
            r["unit__name"],
            r["selection__day"],
            r["reviewer_id"] == reviewer.staff_id,
        )
        for r in rows
    ]
    waiting.sort(key=lambda row: not row.mine)  # stable: the order above within each group
    done: list[dict[str, Any]] = [
        dict(row)
        for row in PeerReview.objects.filter(reviewer_id=reviewer.staff_id, pick__provider_id=reviewer.provider_id)
        .values("pick_id", "pick__case_number", "signed_at", "outcome", "corrects_id")
        .order_by("-signed_at", "-pk")[:DONE_LIMIT]
    ]
    labels = dict(ReviewOutcome.choices)
    for row in done:
        row["outcome_label"] = labels.get(row["outcome"], row["outcome"])
    return Queue(waiting, done)


def access_pick(actor: Actor, pick_id: int) -> PeerReviewPick:
    """One picked case for the reviewer (no read of its content: see read_case_for_review)."""
    reviewer = peer_reviewer(actor)
    if reviewer is None:
        raise NotFound(QualityError.PICK_NOT_FOUND)
    pick = (
        PeerReviewPick.objects.filter(_reachable(reviewer), pk=pick_id)
        .select_related("unit", "handler", "selection")
        .first()
    )
    if pick is None:
        raise NotFound(QualityError.PICK_NOT_FOUND)
    return pick


@dataclass
class CaseForReview:
    case: Case | None
    messages: list[Message] = field(default_factory=list)
    notes: list[RecordNote] = field(default_factory=list)


def read_case_for_review(actor: Actor, pick: PeerReviewPick) -> CaseForReview:
    """The case as the reviewer reads it: answers, the whole dialogue and the record notes.

    One audit entry per viewing (REC-1) with the purpose "kvalitetsgranskning", whoever's unit the reviewer
    works in; a case purged since it was picked (CASE-8) is shown as gone and nothing is read.
    """
    case = (
        Case.objects.filter(pk=pick.case_id)
        .select_related("service", "unit", "questionnaire", "subject", "assigned_to")
        .first()
        if pick.case_id is not None
        else None
    )
    if case is None:
        return CaseForReview(None)
    messages = list(staff_messages(case))
    notes = list(case_notes(case))
    do_record(
        actor,
        AuditEvent.PEER_REVIEW_READ,
        case,
        subject_person_id=case.subject_id,
        purpose=REVIEW_PURPOSE,
        extra={"pick_id": pick.pk},
    )
    return CaseForReview(case, messages, notes)


def reviews_of(pick: PeerReviewPick) -> list[PeerReview]:
    """The pick's signed reviews, oldest first (a correction after the one it corrects)."""
    return list(PeerReview.objects.filter(pick=pick).select_related("reviewer").order_by("signed_at", "pk"))


def current_review(reviews: list[PeerReview]) -> PeerReview | None:
    """The review nobody has corrected."""
    corrected = {review.corrects_id for review in reviews}
    latest = [review for review in reviews if review.pk not in corrected]
    return latest[-1] if latest else None


# --- the provider's follow-up -----------------------------------------------------------------------


def follow_up_scope(actor: Actor) -> Q:
    """The provider's administrator follows up every unit; a head of unit (working as one) their own unit."""
    if not actor.is_staff or actor.provider_id is None:
        raise QualityError.NO_FOLLOW_UP.error()
    if is_provider_admin(actor, actor.provider_id):
        return Q(pick__provider_id=actor.provider_id)
    if (
        actor.unit_id is not None
        and actor.role == Role.UNIT_ADMIN
        and Role.UNIT_ADMIN in staff_roles_at(actor, actor.unit_id)
    ):
        return Q(pick__provider_id=actor.provider_id, pick__unit_id=actor.unit_id)
    raise QualityError.NO_FOLLOW_UP.error()


@dataclass
class MonthRow:
    month: dt.date
    counts: dict[str, int]
    total: int


@dataclass
class FollowUp:
    since: dt.date
    months: list[MonthRow]
    deviations: list[dict[str, Any]]
    learning_points: list[dict[str, Any]]


def _since(months: int) -> dt.date:
    today = clock.today()
    first = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def peer_review_follow_up(actor: Actor, *, months: int = FOLLOW_UP_MONTHS) -> FollowUp:
    """Reviews by month and outcome, the deviations, the learning points; three queries, no resident's name.

    Only reviews nobody has corrected count: a correction replaces what it corrects.
    """
    scope = follow_up_scope(actor)
    first = _since(months)
    since = dt.datetime.combine(first, dt.time(), tzinfo=STOCKHOLM)
    current: QuerySet[PeerReview] = PeerReview.objects.filter(scope, signed_at__gte=since, corrected_by__isnull=True)
    grouped = (
        current.annotate(month=TruncMonth("signed_at", tzinfo=STOCKHOLM))
        .values("month", "outcome")
        .annotate(count=Count("id"))
        .order_by("month", "outcome")
    )
    by_month: dict[dt.date, dict[str, int]] = {}
    for group in grouped:
        month = group["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        by_month.setdefault(day, {})[group["outcome"]] = group["count"]
    months_rows = [
        MonthRow(month, {o: counts.get(o, 0) for o in ReviewOutcome.values}, sum(counts.values()))
        for month, counts in sorted(by_month.items(), reverse=True)
    ]
    columns = ("pk", "signed_at", "pick__case_number", "pick__unit__name", "pick__profession", "learning_point")
    deviations = list(
        current.filter(outcome=ReviewOutcome.DEVIATION)
        .values(*columns, "pick_id", "reviewer__given_name", "reviewer__surname")
        .order_by("-signed_at", "-pk")[:FOLLOW_UP_LIST_LIMIT]
    )
    learning_points = list(
        current.exclude(learning_point="")
        .values(*columns, "outcome")
        .order_by("-signed_at", "-pk")[:FOLLOW_UP_LIST_LIMIT]
    )
    professions = dict(Profession.choices)
    outcomes = dict(ReviewOutcome.choices)
    for row in deviations + learning_points:
        row["profession_label"] = professions.get(row["pick__profession"], "")
        row["outcome_label"] = outcomes.get(row.get("outcome", ReviewOutcome.DEVIATION), "")
    return FollowUp(first, months_rows, deviations, learning_points)


# --- appointing reviewers (the provider's administrator) ----------------------------------------------


def current_peer_reviewers(provider_id: int) -> list[PeerReviewer]:
    return list(
        PeerReviewer.objects.filter(provider_id=provider_id, ended_at__isnull=True)
        .select_related("staff")
        .order_by("staff__surname", "staff__given_name", "pk")
    )


def appointable_staff(provider_id: int) -> QuerySet[Staff]:
    """Active clinicians of the provider not already appointed."""
    return (
        Staff.objects.filter(provider_id=provider_id, is_active=True)
        .exclude(profession=Profession.ADMINISTRATIVE)
        .exclude(pk__in=PeerReviewer.objects.filter(provider_id=provider_id, ended_at__isnull=True).values("staff_id"))
        .order_by("surname", "given_name", "pk")
    )


def access_appointable_staff(actor: Actor, staff_id: int) -> Staff:
    staff = appointable_staff(actor.provider_id or 0).filter(pk=staff_id).first()
    if staff is None:
        raise QualityError.NOT_PROVIDER_STAFF.error(field="staff")
    return staff


def access_appointment(actor: Actor, appointment_id: int) -> PeerReviewer:
    appointment = (
        PeerReviewer.objects.filter(pk=appointment_id, provider_id=actor.provider_id or 0, ended_at__isnull=True)
        .select_related("staff")
        .first()
    )
    if appointment is None:
        raise NotFound()
    return appointment
