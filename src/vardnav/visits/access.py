"""Fetching digital-visit objects for an actor: areas for residents, queues and visits for staff.

Lists have a fixed number of queries; a staff read of a visit's triage answers
is audited once per viewing (through the case engine's access_case_for_staff).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from vardnav.cases.access import access_case_for_resident, access_case_to_handle, record_case_viewing
from vardnav.cases.actions import check_resident_subject
from vardnav.cases.hooks import withheld_case_ids
from vardnav.cases.models import Case, CaseStatus
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound
from vardnav.visits.errors import VisitError
from vardnav.visits.models import (
    ComplaintArea,
    Duty,
    HealthProfile,
    RevisitOffer,
    TriageQuestionnaire,
    TriageStatus,
    VideoMeeting,
    Visit,
)

QUEUE_LIMIT = 200


def public_areas() -> QuerySet[ComplaintArea]:
    """Every active area of a unit with e-services switched on (ORG-1), by provider and the provider's order."""
    return (
        ComplaintArea.objects.filter(is_active=True, unit__eservices_active=True)
        .select_related("unit", "unit__provider")
        .order_by("unit__provider__name", "unit__name", "position", "name")
    )


def access_area(area_id: int) -> ComplaintArea:
    area = public_areas().filter(pk=area_id).first()
    if area is None:
        raise NotFound(VisitError.AREA_NOT_FOUND)
    return area


def current_triage(area: ComplaintArea) -> TriageQuestionnaire:
    """The area's published triage; an area handled digitally without one takes no visits (a 404)."""
    triage = TriageQuestionnaire.objects.filter(area=area, status=TriageStatus.PUBLISHED).first()
    if triage is None:
        raise NotFound(VisitError.NO_PUBLISHED_TRIAGE)
    return triage


def visit_service(provider_id: int) -> Service | None:
    """The provider's "Digitalt vårdbesök" e-service, once the first visit created it."""
    return Service.objects.filter(provider_id=provider_id, kind=ServiceKind.DIGITAL_VISIT).first()


def duty_of(actor: Actor) -> Duty | None:
    if actor.staff_id is None or actor.unit_id is None:
        return None
    return Duty.objects.filter(staff_id=actor.staff_id, unit_id=actor.unit_id).first()


def unit_has_areas(unit_id: int | None) -> bool:
    return unit_id is not None and ComplaintArea.objects.filter(unit_id=unit_id, is_active=True).exists()


@dataclass(frozen=True)
class Queue:
    """A practitioner's open visits at the unit they work in now, oldest deadline first."""

    visits: list[Visit]
    waiting_unrouted: int


def practitioner_queue(actor: Actor) -> Queue:
    """Two queries whatever the length: the practitioner's open visits, and how many wait for anyone."""
    if not actor.is_staff or actor.staff_id is None or actor.unit_id is None:
        return Queue(visits=[], waiting_unrouted=0)
    visits = list(
        Visit.objects.filter(case__assigned_to_id=actor.staff_id, case__unit_id=actor.unit_id)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case", "area", "case__subject")
        .order_by("case__due_at", "case__id")[:QUEUE_LIMIT]
    )
    waiting = (
        Visit.objects.filter(case__unit_id=actor.unit_id, case__assigned_to__isnull=True)
        .exclude(case__status=CaseStatus.CLOSED)
        .count()
    )
    return Queue(visits=visits, waiting_unrouted=waiting)


def _visit_of(case: Case) -> Visit:
    visit = Visit.objects.select_related("area", "triage").filter(case_id=case.pk).first()
    if visit is None:
        raise NotFound(VisitError.VISIT_NOT_FOUND)
    visit.case = case
    return visit


def access_visit_for_staff(actor: Actor, case_id: int) -> Visit:
    """The practitioner opens a visit: the case engine's rule for who reads a case, one audited read."""
    visit = _visit_of(access_case_to_handle(actor, case_id))
    record_case_viewing(actor, visit.case, purpose="digitalt vårdbesök")
    return visit


def access_visit_to_handle(actor: Actor, case_id: int) -> Visit:
    """The visit for an action on it (the action records itself)."""
    return _visit_of(access_case_to_handle(actor, case_id))


def health_profile_of(person_id: int) -> HealthProfile | None:
    return HealthProfile.objects.filter(person_id=person_id).first()


def resident_health_profile(actor: Actor) -> HealthProfile | None:
    """The acting resident's subject's profile (their own, or the child's a guardian acts for)."""
    return health_profile_of(check_resident_subject(actor).pk)


EARLIER_VISITS_LIMIT = 20


def earlier_visits(actor: Actor, visit: Visit) -> list[Visit]:
    """The same person's other visits at the provider, newest first (one query), less what a block hides.

    The resident's blocks (REC-5) keep a unit's visits from the provider's other
    units; the journal decides that through the case engine's read filters.
    """
    visits = list(
        Visit.objects.filter(case__subject_id=visit.case.subject_id, case__provider_id=visit.case.provider_id)
        .exclude(pk=visit.pk)
        .select_related("area", "case", "case__assigned_to")
        .order_by("-created_at", "-id")[:EARLIER_VISITS_LIMIT]
    )
    hidden = withheld_case_ids(actor, [each.case for each in visits])
    return [each for each in visits if each.case_id not in hidden]


@dataclass(frozen=True)
class ResidentVisit:
    visit: Visit
    may_revisit: bool
    may_write_again: bool
    offer: RevisitOffer | None


def resident_visits(actor: Actor, *, limit: int = 10) -> list[ResidentVisit]:
    """The subject's latest visits with what they may do next (VISIT-3, VISIT-4): two queries."""
    from vardnav.visits.actions import check_revisit_allowed, check_write_again_allowed

    subject = check_resident_subject(actor)
    visits = list(
        Visit.objects.filter(case__subject_id=subject.pk)
        .select_related("case", "area", "triage")
        .prefetch_related("revisit_offers")
        .order_by("-created_at", "-id")[:limit]
    )
    rows = []
    for visit in visits:
        now = clock.now()
        offers = [o for o in visit.revisit_offers.all() if o.used_at is None and o.valid_until >= now]
        rows.append(
            ResidentVisit(
                visit=visit,
                may_revisit=_allowed(check_revisit_allowed, visit, offers),
                may_write_again=_allowed(check_write_again_allowed, visit, offers),
                offer=offers[0] if offers else None,
            )
        )
    return rows


def _allowed(check: Any, visit: Visit, offers: list[RevisitOffer]) -> bool:
    try:
        check(visit, offers=offers)
    except DomainError:
        return False
    return True


def access_visit_for_resident(actor: Actor, case_id: int) -> Visit:
    """The resident's (or the child's) own visit; anyone else's is the same 404 as a missing one."""
    case = access_case_for_resident(actor, case_id)
    return _visit_of(case)


# --- video meetings (VISIT-8) ------------------------------------------------------------------

PARTICIPANT_RESIDENT = "resident"
PARTICIPANT_PRACTITIONER = "practitioner"


def current_meeting(visit: Visit) -> VideoMeeting | None:
    """The visit's meeting: the latest proposed time that was not replaced by another."""
    return VideoMeeting.objects.filter(visit_id=visit.pk, cancelled_at__isnull=True).order_by("-starts_at").first()


def visit_meetings(visit: Visit) -> list[VideoMeeting]:
    """Every time proposed for the visit, the latest first (replaced and cancelled ones too): one query."""
    return list(VideoMeeting.objects.filter(visit_id=visit.pk).order_by("-proposed_at", "-id"))


def meeting_of_visit(visit: Visit, meeting_id: int) -> VideoMeeting:
    """One meeting of a visit the caller already reached through an access_* function; 404 otherwise."""
    meeting = VideoMeeting.objects.filter(pk=meeting_id, visit_id=visit.pk).first()
    if meeting is None:
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    return meeting


def access_meeting_page_for_resident(actor: Actor, case_id: int) -> tuple[Visit, VideoMeeting | None]:
    """The resident's (or the child's) own visit and its meeting, if one is proposed."""
    visit = access_visit_for_resident(actor, case_id)
    return visit, current_meeting(visit)


def _handled_by(actor: Actor, case: Case) -> bool:
    return actor.staff_id is not None and case.assigned_to_id == actor.staff_id


def access_meeting_page_for_staff(actor: Actor, case_id: int) -> tuple[Visit, VideoMeeting | None]:
    """Only the practitioner who handles the visit; anyone else gets the same 404 as a missing visit."""
    visit = access_visit_to_handle(actor, case_id)
    if not _handled_by(actor, visit.case):
        raise NotFound(VisitError.VISIT_NOT_FOUND)
    return visit, current_meeting(visit)


def access_meeting_room(actor: Actor, meeting_id: int) -> tuple[VideoMeeting, str]:
    """VISIT-8: who may join a meeting's room now, and as whom.

    The visit's resident (or a guardian acting for the child, by the case
    engine's rule) and the practitioner who handles it, only while the room is
    open around the agreed time. Anyone else, and a replaced meeting, get the
    same 404 as a missing one.
    """
    meeting = (
        VideoMeeting.objects.select_related("visit", "visit__case")
        .filter(pk=meeting_id, cancelled_at__isnull=True)
        .first()
    )
    if meeting is None:
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    case = meeting.visit.case
    if actor.is_resident:
        access_case_for_resident(actor, case.pk)
        role = PARTICIPANT_RESIDENT
    elif actor.is_staff:
        try:
            access_case_to_handle(actor, case.pk)
        except NotFound:
            raise NotFound(VisitError.MEETING_NOT_FOUND) from None
        if not _handled_by(actor, case):
            raise NotFound(VisitError.MEETING_NOT_FOUND)
        role = PARTICIPANT_PRACTITIONER
    else:
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    if case.status == CaseStatus.CLOSED or not meeting.is_open(clock.now()):
        raise VisitError.MEETING_NOT_OPEN.error()
    return meeting, role
