"""The resident's survey after a visit (QA-2): invitations, answering, and the results for staff.

Why this shape: the seed promises that residents rate their visit and may ask to
come back to the same practitioner. A survey is invited once per visit (the
invitation sweep in survey_tasks.py calls `do_invite_to_survey`, and the
unique `visit_key` makes a second invitation for the same visit impossible, even
from two sweeps at once). The resident (the guardian for a child under 16, as
everywhere else) answers it once within ANSWER_DAYS, or skips it.

Staff read the answers only as numbers per unit and practitioner and month, and
the free-text comments without the resident's identity, never for a group of
fewer than COMMENT_MIN_ANSWERS answers: with fewer, a comment could be traced to
one visit. Reading the results is audited once per viewing, since a comment may
mention health.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.identity.checks import may_be_acted_for
from vardnav.notifications.actions import notify_resident
from vardnav.notifications.models import NoticeKind
from vardnav.organizations.access import acting_staff
from vardnav.organizations.models import Role, RoleGrant, Staff
from vardnav.people.models import GuardianRelation, Person
from vardnav.quality.models import Survey, SurveyAnswer, SurveyRecommendation, SurveyVisitKind
from vardnav.quality.survey_errors import SurveyError
from vardnav.visits.actions import check_revisit_allowed, check_write_again_allowed
from vardnav.visits.models import Visit

ANSWER_DAYS = 30  # a survey may be answered this long after the invitation, then it closes
COMMENT_MAX_LENGTH = 1000
COMMENT_MIN_ANSWERS = 5  # comments are shown for a unit's month only from this many answers
RESULT_MONTHS = 12  # the results tables cover the chosen month and the eleven before it
COMMENTS_SHOWN = 200  # per unit and month, newest visits first, then sorted by text
COMMENTS_READ = 5000  # answers read for the month's comments, newest first, whatever the number of units
RATINGS = {
    1: _("1 – Mycket dåligt"),
    2: _("2 – Dåligt"),
    3: _("3 – Varken bra eller dåligt"),
    4: _("4 – Bra"),
    5: _("5 – Mycket bra"),
}


# --- invitations ----------------------------------------------------------------------------------------


def survey_recipient(subject: Person, proposed: Person | None, on: dt.date) -> tuple[Person | None, bool]:
    """Who answers for `subject`: the person themself from 16, else a guardian (and whether it is for a child).

    `proposed` is who acted at the visit (the guardian who sent the case or booked the time); it is chosen
    when it is one of the child's guardians, otherwise the first guardian the register gives. A child without
    a guardian on record gets no survey (None): nobody could log in to answer it.
    """
    if not may_be_acted_for(subject.age_on(on)):
        return subject, False
    guardian_ids = list(
        GuardianRelation.objects.filter(child=subject).order_by("guardian_id").values_list("guardian_id", flat=True)
    )
    if not guardian_ids:
        return None, True
    if proposed is not None and proposed.pk in guardian_ids:
        return proposed, True
    return Person.objects.get(pk=guardian_ids[0]), True


@dataclass(frozen=True)
class VisitToSurvey:
    """What the sweep found: one visit that took place, with what the survey needs to know about it."""

    visit_key: str
    kind: str
    subject: Person
    proposed_recipient: Person | None
    provider_id: int
    unit_id: int
    practitioner_id: int | None
    visited_at: dt.datetime
    case_id: int | None = None
    booking_id: int | None = None


def do_invite_to_survey(visit: VisitToSurvey, *, now: dt.datetime | None = None) -> Survey | None:
    """Create the visit's survey and tell the recipient, once; None when it exists already or nobody can answer.

    The notice and any e-mail (notifications.notify_resident: per confirmed address and consent, in the
    recipient's language, in-app only for protected identity, the child's included) say only that a survey
    about a visit waits; never the unit's kind of care, the complaint area, the visit type or a diagnosis.
    """
    now = now or clock.now()
    recipient, for_child = survey_recipient(visit.subject, visit.proposed_recipient, now.astimezone(STOCKHOLM).date())
    if recipient is None:
        return None
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                visit_key=visit.visit_key,
                kind=visit.kind,
                case_id=visit.case_id,
                booking_id=visit.booking_id,
                subject=visit.subject,
                recipient=recipient,
                provider_id=visit.provider_id,
                unit_id=visit.unit_id,
                practitioner_id=visit.practitioner_id,
                visited_at=visit.visited_at,
                invited_at=now,
                closes_at=now + dt.timedelta(days=ANSWER_DAYS),
            )
            notify_resident(
                recipient,
                NoticeKind.SURVEY,
                link=reverse("quality:survey", args=[survey.pk]),
                login_link=reverse("quality:surveys"),
                for_child=for_child,
                protected=visit.subject.protected_identity,
            )
    except IntegrityError:
        return None  # another sweep invited this visit first (survey_once_per_visit)
    return survey


# --- the resident's surveys -----------------------------------------------------------------------------


def access_survey_for_resident(actor: Actor, survey_id: int) -> Survey:
    """The survey the actor was invited to answer; anyone else's is the same 404 as a missing one."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    survey = (
        Survey.objects.select_related("unit", "subject")
        .filter(pk=survey_id, recipient_id=actor.person_id)
        .defer("comment")
        .first()
    )
    if survey is None:
        raise NotFound()
    return survey


@dataclass(frozen=True)
class OpenSurvey:
    id: int
    unit: str
    visited_at: dt.datetime
    closes_at: dt.datetime
    for_child: bool
    child_name: str


def open_surveys(actor: Actor) -> list[OpenSurvey]:
    """The actor's surveys still to answer, soonest closing first (one query; a resident has few)."""
    if not actor.is_resident or actor.person_id is None:
        return []
    rows = (
        Survey.objects.filter(
            recipient_id=actor.person_id, answered_at__isnull=True, skipped_at__isnull=True, closes_at__gt=clock.now()
        )
        .select_related("unit", "subject")
        .only("pk", "visited_at", "closes_at", "subject", "recipient", "unit__name", "subject__given_name")
        .order_by("closes_at", "pk")
    )
    return [
        OpenSurvey(
            id=row.pk,
            unit=row.unit.name,
            visited_at=row.visited_at,
            closes_at=row.closes_at,
            for_child=row.subject_id != row.recipient_id,
            child_name=row.subject.given_name if row.subject_id != row.recipient_id else "",
        )
        for row in rows
    ]


def survey_state(survey: Survey, *, now: dt.datetime | None = None) -> str:
    """What the survey's page shows: "open", "answered", "skipped" or "closed"."""
    if survey.answered_at is not None:
        return "answered"
    if survey.skipped_at is not None:
        return "skipped"
    if survey.closes_at <= (now or clock.now()):
        return "closed"
    return "open"


def _refuse_unless_open(survey: Survey) -> None:
    state = survey_state(survey)
    if state == "answered":
        raise SurveyError.ALREADY_ANSWERED.error()
    if state == "skipped":
        raise SurveyError.SKIPPED.error()
    if state == "closed":
        raise SurveyError.CLOSED.error(days=ANSWER_DAYS)


def _choice(value: Any, allowed: list[str], name: str, message: Any, errors: dict[str, list[Any]]) -> str:
    text = str(value or "").strip()
    if text and text not in allowed:
        errors[name] = [message]
        return ""
    return text


def check_survey_answer(
    *,
    overall: Any,
    problem_solved: Any = "",
    listened_to: Any = "",
    would_recommend: Any = "",
    comment: Any = "",
    wants_follow_up: Any = False,
) -> dict[str, Any]:
    """The answers, normalised, or INVALID_ANSWER naming each wrong field; only the rating is required."""
    errors: dict[str, list[Any]] = {}
    rating: int | None = None
    text = str(overall if overall is not None else "").strip()
    if not text:
        errors["overall"] = [_("Välj hur du upplevde besöket som helhet, från 1 till 5.")]
    elif not re.fullmatch(r"[1-5]", text):
        errors["overall"] = [_("Välj ett betyg från 1 till 5.")]
    else:
        rating = int(text)
    three = _("Välj Ja, Delvis eller Nej.")
    answers: dict[str, Any] = {
        "overall": rating,
        "problem_solved": _choice(problem_solved, SurveyAnswer.values, "problem_solved", three, errors),
        "listened_to": _choice(listened_to, SurveyAnswer.values, "listened_to", three, errors),
        "would_recommend": _choice(
            would_recommend, SurveyRecommendation.values, "would_recommend", _("Välj Ja, Kanske eller Nej."), errors
        ),
    }
    remark = str(comment or "").replace("\x00", "").strip()
    if len(remark) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("Kommentaren får vara högst %(limit)s tecken (nu %(length)s).")
            % {"limit": COMMENT_MAX_LENGTH, "length": len(remark)}
        ]
    answers["comment"] = remark
    answers["wants_follow_up"] = wants_follow_up is True or str(wants_follow_up).lower() in ("on", "true", "1")
    if errors:
        raise SurveyError.INVALID_ANSWER.error(errors=errors)
    return answers


def do_answer_survey(actor: Actor, survey: Survey, **answers: Any) -> Survey:
    """QA-2: the resident's answers, once. A second answer, a skipped or a closed survey is refused (409)."""
    if not actor.is_resident or actor.person_id != survey.recipient_id:
        raise NotFound()
    _refuse_unless_open(survey)
    checked = check_survey_answer(**answers)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        _refuse_unless_open(locked)  # a double click's second request waits here and is refused
        locked.answered_at = clock.now()
        for name, value in checked.items():
            setattr(locked, name, value)
        locked.save(update_fields=["answered_at", *checked])
        do_record(actor, AuditEvent.SURVEY_ANSWER, locked, subject_person_id=locked.subject_id)
    return locked


def do_skip_survey(actor: Actor, survey: Survey) -> Survey:
    """The resident does not want to answer: the survey leaves their list and is counted as not answered."""
    if not actor.is_resident or actor.person_id != survey.recipient_id:
        raise NotFound()
    _refuse_unless_open(survey)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        _refuse_unless_open(locked)
        locked.skipped_at = clock.now()
        locked.save(update_fields=["skipped_at"])
    return locked


@dataclass(frozen=True)
class FollowUpPath:
    """Where a resident who wants to come back to the same practitioner goes next (the seed's promise).

    `revisit_url`: a digital visit's revisit to the same practitioner (VISIT-3) that may be started now;
    `write_again_url`: an area without revisits, where the resident writes again in the case (VISIT-4);
    otherwise the unit's page, where its contact details and booking are (a booked visit, a child's visit
    that the guardian starts while acting for the child, or a visit whose revisit period has passed).
    """

    revisit_url: str | None
    write_again_url: str | None
    unit_url: str
    unit_name: str
    for_child: bool


def follow_up_path(actor: Actor, survey: Survey) -> FollowUpPath:
    revisit_url = write_again_url = None
    own = survey.subject_id == actor.subject_person_id
    if survey.kind == SurveyVisitKind.DIGITAL and survey.case_id is not None and own:
        visits = Visit.objects.select_related("case", "area").defer("answers", "case__answers")
        found = visits.filter(case_id=survey.case_id).first()
        if found is not None:
            try:
                check_revisit_allowed(found)
                revisit_url = reverse("visits:revisit", args=[survey.case_id])
            except DomainError:
                try:
                    check_write_again_allowed(found)
                    write_again_url = reverse("visits:write_again", args=[survey.case_id])
                except DomainError:
                    pass
    return FollowUpPath(
        revisit_url=revisit_url,
        write_again_url=write_again_url,
        unit_url=reverse("organizations:unit_detail", args=[survey.unit.slug]) if survey.unit.slug else "",
        unit_name=survey.unit.name,
        for_child=survey.subject_id != survey.recipient_id,
    )


# --- results for staff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    month: dt.date
    unit: str
    practitioner: str
    invited: int
    answered: int
    average: float | None
    solved: int | None  # percent of answers with "yes"
    listened: int | None
    recommend: int | None
    follow_up: int
    unit_id: int = 0


@dataclass(frozen=True)
class CommentGroup:
    unit: str
    answered: int
    comments: list[str]

    @property
    def hidden(self) -> bool:
        return self.answered < COMMENT_MIN_ANSWERS


@dataclass
class SurveyResults:
    month: dt.date
    since: dt.date
    months: list[dt.date]
    units: list[ResultRow] = field(default_factory=list)
    practitioners: list[ResultRow] = field(default_factory=list)
    comments: list[CommentGroup] = field(default_factory=list)
    min_answers: int = COMMENT_MIN_ANSWERS


def results_scope(actor: Actor) -> tuple[Staff, Q]:
    """Whose surveys the actor reads: the provider's for its administrators, their units' for heads of unit.

    Anyone else gets NO_RESULTS (403); staff of another provider never see a row of this one.
    """
    staff = acting_staff(actor)
    if staff is None:
        raise SurveyError.NO_RESULTS.error()
    if staff.is_provider_admin:
        return staff, Q(provider_id=staff.provider_id)
    headed = list(RoleGrant.objects.filter(staff=staff, role=Role.UNIT_ADMIN).values_list("unit_id", flat=True))
    if not headed:
        raise SurveyError.NO_RESULTS.error()
    return staff, Q(provider_id=staff.provider_id, unit_id__in=headed)


def may_read_survey_results(actor: Actor) -> bool:
    try:
        results_scope(actor)
    except DomainError:
        return False
    return True


def check_month(value: Any) -> dt.date | None:
    """A month written YYYY-MM, as its first day; empty is None (the current month)."""
    text = str(value or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match is None or not (2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12):
        raise SurveyError.INVALID_MONTH.error(field="month")
    return dt.date(int(match[1]), int(match[2]), 1)


def _months_back(first: dt.date, count: int) -> list[dt.date]:
    months = [first]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _grouped(surveys: QuerySet[Survey], *names: str) -> list[dict[str, Any]]:
    yes = Q(answered_at__isnull=False)
    return list(
        surveys.annotate(month=TruncMonth("visited_at", tzinfo=STOCKHOLM))
        .values("month", *names)
        .annotate(
            invited=Count("id"),
            answered=Count("id", filter=yes),
            average=Avg("overall", filter=yes),
            solved=Count("id", filter=yes & Q(problem_solved=SurveyAnswer.YES)),
            listened=Count("id", filter=yes & Q(listened_to=SurveyAnswer.YES)),
            recommend=Count("id", filter=yes & Q(would_recommend=SurveyRecommendation.YES)),
            follow_up=Count("id", filter=yes & Q(wants_follow_up=True)),
        )
        .order_by("-month", *names)
    )


def _row(group: dict[str, Any], practitioner: str = "") -> ResultRow:
    month = group["month"]
    answered = group["answered"]
    return ResultRow(
        month=month.date() if isinstance(month, dt.datetime) else month,
        unit=group["unit__name"],
        practitioner=practitioner,
        invited=group["invited"],
        answered=answered,
        average=round(float(group["average"]), 1) if group["average"] is not None else None,
        solved=_percent(group["solved"], answered),
        listened=_percent(group["listened"], answered),
        recommend=_percent(group["recommend"], answered),
        follow_up=group["follow_up"],
        unit_id=group.get("unit_id") or 0,
    )


def survey_results(actor: Actor, month: Any = None) -> SurveyResults:
    """The results the actor may read: per unit and per practitioner by month over RESULT_MONTHS months up to
    `month` (YYYY-MM, default the current one), and that month's comments per unit without identities.

    A fixed number of queries whatever the number of surveys: the scope (one or two), one aggregate per table,
    one for the comments, and the audit entry of this viewing.
    """
    _staff, scope = results_scope(actor)
    chosen = check_month(month) or clock.today().replace(day=1)
    months = _months_back(chosen, RESULT_MONTHS)
    since, until = months[-1], _next_month(chosen)
    surveys = Survey.objects.filter(scope, visited_at__gte=_start(since), visited_at__lt=_start(until))
    results = SurveyResults(month=chosen, since=since, months=months)
    results.units = [_row(group) for group in _grouped(surveys, "unit__name", "unit_id")]
    for group in _grouped(
        surveys, "unit__name", "practitioner__surname", "practitioner__given_name", "practitioner_id"
    ):
        name = " ".join(n for n in (group["practitioner__given_name"], group["practitioner__surname"]) if n)
        results.practitioners.append(_row(group, name or str(_("Ingen behandlare angiven"))))
    in_month = [row for row in results.units if row.month == chosen and row.answered]
    texts: dict[int, list[str]] = {row.unit_id: [] for row in in_month if row.answered >= COMMENT_MIN_ANSWERS}
    # One query whether or not a unit has enough answers (a fixed count); the rest are dropped here.
    rows = (
        surveys.filter(answered_at__isnull=False, visited_at__gte=_start(chosen))
        .order_by("-visited_at", "-pk")
        .values_list("unit_id", "comment")
    )
    for unit_id, comment in rows[:COMMENTS_READ]:
        if comment and unit_id in texts and len(texts[unit_id]) < COMMENTS_SHOWN:
            texts[unit_id].append(comment)
    # Sorted by text, not by time: the order of answers would hint at whose visit a comment follows.
    results.comments = [CommentGroup(row.unit, row.answered, sorted(texts.get(row.unit_id, []))) for row in in_month]
    do_record(
        actor,
        AuditEvent.SURVEY_RESULTS_READ,
        object_type="quality.survey",
        object_id=chosen.strftime("%Y-%m"),
    )
    return results
