"""Digital visits in /api/v1/visits: complaint areas and their triage, starting a visit; the practitioner's queue.

A red-flag answer is refused with problem+json (`red-flag-emergency`: call
112, `red-flag-advice`: call 1177) and nothing is stored (VISIT-1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status

from vardnav.cases.case_routes import case_id_path, staff_case_post
from vardnav.cases.models import CaseStatus, Channel
from vardnav.core import clock
from vardnav.core.errors import PermissionDenied
from vardnav.core.http import ApiRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.organizations.access import access_unit
from vardnav.visits import access, actions
from vardnav.visits.errors import VisitError
from vardnav.visits.models import ComplaintArea, VideoMeeting, Visit

router = Router(tags=["visits"])
MAX_ID = 2**63 - 1
IdempotencyKey = Header(None, alias="Idempotency-Key")
ReferralProfession = Literal["doctor", "nurse", "psychologist", "physiotherapist", "midwife", "sexologist"]


class AreaOut(Schema):
    id: int
    name: str
    summary: str
    unit: str
    profession: str
    profession_label: str
    handled_digitally: bool
    where_to_turn: str
    revisits_allowed: bool


class AreaDetailOut(AreaOut):
    triage_version: int | None
    questions: list[dict[str, Any]]


class VisitStartIn(Schema):
    area_id: int = Field(ge=1, le=MAX_ID)
    answers: dict[str, Any] = Field(default_factory=dict)
    abroad: bool


class VisitStartedOut(Schema):
    case_id: int
    case_number: str
    profession: str
    assigned: bool


class QueueItemOut(Schema):
    case_id: int
    case_number: str
    area: str
    status: str
    due_at: dt.datetime
    abroad: bool
    unread: bool


class QueueOut(Schema):
    on_duty: bool
    items: list[QueueItemOut]
    waiting_unrouted: int


class DutyIn(Schema):
    on_duty: bool


class DutyOut(Schema):
    on_duty: bool
    open_visits: int


class ReferralIn(Schema):
    profession: ReferralProfession
    reason: str = Field(min_length=1, max_length=actions.REFERRAL_REASON_MAX, pattern=r"\S")


class ReferralOut(Schema):
    case_id: int
    profession: str
    assigned_to: str


def _area(area: ComplaintArea) -> dict[str, Any]:
    return {
        "id": area.pk,
        "name": area.title,
        "summary": area.blurb,
        "unit": area.unit.name,
        "profession": area.profession,
        "profession_label": area.get_profession_display(),
        "handled_digitally": area.handled_digitally,
        "where_to_turn": area.turn_to,
        "revisits_allowed": area.revisits_allowed,
    }


@router.get("/visits/areas", response=list[AreaOut], auth=resident_auth, summary="Complaint areas (besvärsområden)")
def areas(request: ApiRequest) -> list[dict[str, Any]]:
    return [_area(area) for area in access.public_areas()]


@router.get(
    "/visits/areas/{area_id}", response=AreaDetailOut, auth=resident_auth, summary="A complaint area and its triage"
)
def area_detail(request: ApiRequest, area_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """The triage questions (the catalogue's questionnaire shape); none for an area handled elsewhere (VISIT-7)."""
    area = access.access_area(area_id)
    triage = access.current_triage(area) if area.handled_digitally else None
    return {
        **_area(area),
        "triage_version": triage.version if triage else None,
        "questions": triage.items if triage else [],
    }


@router.post("/visits", response={201: VisitStartedOut}, auth=resident_auth, summary="Start a digital visit")
def start_visit(
    request: ApiRequest, payload: VisitStartIn, idempotency_key: str | None = IdempotencyKey
) -> Status[dict[str, Any]]:
    area = access.access_area(payload.area_id)
    triage = access.current_triage(area) if area.handled_digitally else None

    def start() -> Outcome:
        if triage is None:
            raise VisitError.NOT_HANDLED_DIGITALLY.error(where=area.where_to_turn)
        started = actions.do_start_visit(
            request.auth, area, triage, answers=payload.answers, abroad=payload.abroad, channel=Channel.API
        )
        return 201, {
            "case_id": started.case.pk,
            "case_number": started.case.number,
            "profession": started.visit.profession,
            "assigned": started.case.assigned_to_id is not None,
        }

    result = run_idempotent(request.auth, idempotency_key, "visits.start", payload.dict(), start)
    return Status(result.status, result.body)


def _queue_item(visit: Visit) -> dict[str, Any]:
    return {
        "case_id": visit.case.pk,
        "case_number": visit.case.number,
        "area": visit.area.title,
        "status": visit.case.status,
        "due_at": visit.case.due_at,
        "abroad": visit.abroad,
        "unread": visit.case.staff_unread,
    }


@router.get("/staff/visits/queue", response=QueueOut, auth=staff_auth, summary="My queue of digital visits")
def queue(request: ApiRequest) -> dict[str, Any]:
    duty = access.duty_of(request.auth)
    found = access.practitioner_queue(request.auth)
    return {
        "on_duty": bool(duty and duty.on_duty),
        "items": [_queue_item(visit) for visit in found.visits],
        "waiting_unrouted": found.waiting_unrouted,
    }


@router.post("/staff/visits/duty", response=DutyOut, auth=staff_auth, summary="Go on or off duty")
def set_duty(request: ApiRequest, payload: DutyIn) -> dict[str, Any]:
    if request.auth.unit_id is None:
        raise PermissionDenied(VisitError.NOT_A_PRACTITIONER)
    duty = actions.do_set_duty(request.auth, access_unit(request.auth.unit_id), on_duty=payload.on_duty)
    return {"on_duty": duty.on_duty, "open_visits": duty.open_visits}


@staff_case_post(
    router,
    "/staff/visits/{case_id}/refer",
    response=ReferralOut,
    status=200,
    summary="Refer a visit to another profession",
)
def refer(request: ApiRequest, payload: ReferralIn, case_id: int = case_id_path()) -> dict[str, Any]:
    visit = access.access_visit_to_handle(request.auth, case_id)
    visit = actions.do_refer_internally(request.auth, visit, profession=payload.profession, reason=payload.reason)
    staff = visit.case.assigned_to
    return {
        "case_id": visit.case.pk,
        "profession": visit.profession,
        "assigned_to": f"{staff.given_name} {staff.surname}" if staff else "",
    }


class HealthProfileIn(Schema):
    allergies: str = Field(max_length=actions.PROFILE_FIELD_MAX)
    medicines: str = Field(max_length=actions.PROFILE_FIELD_MAX)
    conditions: str = Field(max_length=actions.PROFILE_FIELD_MAX)


class HealthProfileOut(Schema):
    allergies: str
    medicines: str
    conditions: str
    confirmed_at: dt.datetime | None


@router.get("/visits/health-profile", response=HealthProfileOut, auth=resident_auth, summary="My health profile")
def my_health_profile(request: ApiRequest) -> dict[str, Any]:
    profile = access.resident_health_profile(request.auth)
    if profile is None:
        return {"allergies": "", "medicines": "", "conditions": "", "confirmed_at": None}
    return {
        "allergies": profile.allergies,
        "medicines": profile.medicines,
        "conditions": profile.conditions,
        "confirmed_at": profile.confirmed_at,
    }


@router.put(
    "/visits/health-profile",
    response=HealthProfileOut,
    auth=resident_auth,
    summary="Save and confirm my health profile",
)
def confirm_health_profile(request: ApiRequest, payload: HealthProfileIn) -> dict[str, Any]:
    profile = actions.do_confirm_health_profile(
        request.auth, allergies=payload.allergies, medicines=payload.medicines, conditions=payload.conditions
    )
    return {
        "allergies": profile.allergies,
        "medicines": profile.medicines,
        "conditions": profile.conditions,
        "confirmed_at": profile.confirmed_at,
    }


class RevisitIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict)
    abroad: bool
    health_profile_confirmed: bool


class WriteAgainIn(Schema):
    body: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class VisitMessageCreatedOut(Schema):
    id: int
    case_id: int


class RevisitOfferIn(Schema):
    kind: Literal["planned", "voluntary"]
    days: int = Field(ge=1, le=actions.MAX_OFFER_DAYS)


class RevisitOfferOut(Schema):
    id: int
    kind: str
    valid_until: dt.datetime


@router.post(
    "/visits/{case_id}/revisit", response={201: VisitStartedOut}, auth=resident_auth, summary="Start a revisit"
)
def start_revisit(
    request: ApiRequest,
    payload: RevisitIn,
    case_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    """VISIT-3: to the same practitioner, within 30 days of closure or an offered period; VISIT-5 first."""
    earlier = access.access_visit_for_resident(request.auth, case_id)

    def start() -> Outcome:
        started = actions.do_start_revisit(
            request.auth,
            earlier,
            answers=payload.answers,
            abroad=payload.abroad,
            profile_confirmed=payload.health_profile_confirmed,
            channel=Channel.API,
        )
        return 201, {
            "case_id": started.case.pk,
            "case_number": started.case.number,
            "profession": started.visit.profession,
            "assigned": started.case.assigned_to_id is not None,
        }

    result = run_idempotent(request.auth, idempotency_key, "visits.revisit", {"case": case_id, **payload.dict()}, start)
    return Status(result.status, result.body)


@router.post(
    "/visits/{case_id}/write-again",
    response={201: VisitMessageCreatedOut},
    auth=resident_auth,
    summary="Write again in a closed visit (no revisits)",
)
def write_again(
    request: ApiRequest, payload: WriteAgainIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    """VISIT-4: areas without revisits; within 4 days of closure, free of charge."""
    visit = access.access_visit_for_resident(request.auth, case_id)
    message = actions.do_write_again(request.auth, visit, body=payload.body)
    return Status(201, {"id": message.pk, "case_id": visit.case.pk})


@staff_case_post(
    router,
    "/staff/visits/{case_id}/revisit-offers",
    response=RevisitOfferOut,
    summary="Offer a planned or voluntary revisit",
)
def offer_revisit(
    request: ApiRequest, payload: RevisitOfferIn, case_id: int = case_id_path()
) -> Status[dict[str, Any]]:
    visit = access.access_visit_to_handle(request.auth, case_id)
    offer = actions.do_offer_revisit(request.auth, visit, kind=payload.kind, days=payload.days)
    return Status(201, {"id": offer.pk, "kind": offer.kind, "valid_until": offer.valid_until})


# --- video meetings (VISIT-8) ------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: Literal["proposed", "cancelled", "ended"]
    answer: Literal["pending", "accepted", "declined"]
    answered_at: dt.datetime | None
    is_open: bool
    page_path: str = Field(description="The meeting page, where the call is joined in the browser")


class MeetingAnswerIn(Schema):
    answer: Literal["accept", "decline"]
    note: str = Field("", max_length=5000, description="Other times that would suit (a message in the chat)")


class MeetingProposalIn(Schema):
    day: str = Field(max_length=20, description="YYYY-MM-DD (Swedish time)")
    time: str = Field(max_length=10, description="HH:MM (Swedish time)")


def _meeting(meeting: VideoMeeting, visit: Visit, *, page: str) -> dict[str, Any]:
    now = clock.now()
    if meeting.cancelled_at is not None:
        status = "cancelled"
    elif now >= meeting.ends_at:
        status = "ended"
    else:
        status = "proposed"
    return {
        "id": meeting.pk,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "status": status,
        "answer": meeting.answer,
        "answered_at": meeting.answered_at,
        "is_open": meeting.is_open(now) and visit.case.status != CaseStatus.CLOSED,
        "page_path": reverse(page, kwargs={"case_id": visit.case.pk}),
    }


@router.get(
    "/visits/{case_id}/meetings",
    response=list[MeetingOut],
    auth=resident_auth,
    summary="The video meetings proposed for my visit",
)
def my_meetings(request: ApiRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict[str, Any]]:
    visit = access.access_visit_for_resident(request.auth, case_id)
    return [_meeting(each, visit, page="visits:meeting") for each in access.visit_meetings(visit)]


@router.post(
    "/visits/{case_id}/meetings/{meeting_id}/answer",
    response=MeetingOut,
    auth=resident_auth,
    summary="Accept a proposed meeting time, or ask for another",
)
def answer_meeting(
    request: ApiRequest,
    payload: MeetingAnswerIn,
    case_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = IdempotencyKey,
) -> Status[dict[str, Any]]:
    visit = access.access_visit_for_resident(request.auth, case_id)
    meeting = access.meeting_of_visit(visit, meeting_id)

    def answer() -> Outcome:
        actions.do_answer_meeting(request.auth, visit, meeting, accept=payload.answer == "accept", note=payload.note)
        return 200, {"meeting": meeting.pk}

    payload_key = {"case": case_id, "meeting": meeting_id, **payload.dict()}
    run_idempotent(request.auth, idempotency_key, "visits.meeting_answer", payload_key, answer)
    # A repeated request gets the meeting as it is now, which is what the first one made it.
    return Status(200, _meeting(access.meeting_of_visit(visit, meeting_id), visit, page="visits:meeting"))


@staff_case_post(
    router,
    "/staff/visits/{case_id}/meetings",
    response=MeetingOut,
    summary="Propose a time for a video meeting (replaces an earlier one)",
)
def propose_meeting(
    request: ApiRequest, payload: MeetingProposalIn, case_id: int = case_id_path()
) -> Status[dict[str, Any]]:
    visit = access.access_visit_to_handle(request.auth, case_id)
    meeting = actions.do_propose_meeting(request.auth, visit, day=payload.day, time=payload.time)
    return Status(201, _meeting(meeting, visit, page="visits:staff_meeting"))


@staff_case_post(
    router,
    "/staff/visits/{case_id}/meetings/{meeting_id}/cancel",
    response=MeetingOut,
    status=200,
    summary="Cancel the proposed video meeting",
)
def cancel_meeting(
    request: ApiRequest, case_id: int = case_id_path(), meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    visit = access.access_visit_to_handle(request.auth, case_id)
    meeting = access.meeting_of_visit(visit, meeting_id)
    cancelled = actions.do_cancel_meeting(request.auth, visit, meeting)
    return _meeting(cancelled, visit, page="visits:staff_meeting")
