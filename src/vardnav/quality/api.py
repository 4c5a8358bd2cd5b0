"""Quality follow-up in /api/v1 (QA).

Peer review (QA-1) under /api/v1/staff/quality/reviews: the reviewer's queue, one picked case with its content (an
audited read, like the page) and its signed reviews, and signing the assessment. There is no PUT, PATCH or DELETE: a
signed review never changes; a correction is a new review with `corrects`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import staff_auth
from vardnav.quality import access, actions
from vardnav.quality.actions import LEARNING_POINT_MAX_LENGTH
from vardnav.quality.models import PeerReview

router = Router(tags=["quality"])

# --- peer review (QA-1) ---


class PeerReviewQueueItemOut(Schema):
    id: int
    case_number: str
    service: str
    unit: str
    closed_on: dt.date
    assigned_to_me: bool


class PeerReviewOut(Schema):
    id: int
    reviewer: str
    signed_at: dt.datetime
    medically_reasonable: str
    documentation_sufficient: str
    answered_in_time: str
    prescribing_per_guidelines: str
    learning_point: str
    outcome: str
    corrects: int | None
    current: bool


class PeerReviewMessageOut(Schema):
    kind: str
    body: str
    author: str
    created_at: dt.datetime


class PeerReviewNoteOut(Schema):
    kind: str
    body: str
    author: str
    signed_at: dt.datetime


class PeerReviewPickOut(Schema):
    id: int
    case_number: str
    unit: str
    closed_on: dt.date
    handler_profession: str
    case_available: bool
    answers: dict[str, Any]
    messages: list[PeerReviewMessageOut]
    notes: list[PeerReviewNoteOut]
    reviews: list[PeerReviewOut]


class PeerReviewAssessmentIn(Schema):
    medically_reasonable: str = Field("", max_length=20, description="yes, partly or no")
    documentation_sufficient: str = Field("", max_length=20, description="yes, partly or no")
    answered_in_time: str = Field("", max_length=20, description="yes, partly or no")
    prescribing_per_guidelines: str = Field("", max_length=20, description="yes, partly or no")
    learning_point: str = Field("", max_length=LEARNING_POINT_MAX_LENGTH)
    outcome: str = Field("", max_length=20, description="no_remark, remark or deviation")
    corrects: int | None = Field(None, ge=1, le=MAX_ID, description="The review this one corrects")


def _review(review: PeerReview, current: PeerReview | None) -> dict[str, Any]:
    return {
        "id": review.pk,
        "reviewer": f"{review.reviewer.given_name} {review.reviewer.surname}",
        "signed_at": review.signed_at,
        "medically_reasonable": review.medically_reasonable,
        "documentation_sufficient": review.documentation_sufficient,
        "answered_in_time": review.answered_in_time,
        "prescribing_per_guidelines": review.prescribing_per_guidelines,
        "learning_point": review.learning_point,
        "outcome": review.outcome,
        "corrects": review.corrects_id,
        "current": current is not None and review.pk == current.pk,
    }


def _name(staff: Any) -> str:
    return f"{staff.given_name} {staff.surname}" if staff is not None else ""


@router.get(
    "/staff/quality/reviews",
    response=list[PeerReviewQueueItemOut],
    auth=staff_auth,
    summary="The peer reviewer's queue of picked cases (QA-1)",
)
def review_queue(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": row.pick_id,
            "case_number": row.case_number,
            "service": row.service,
            "unit": row.unit,
            "closed_on": row.day,
            "assigned_to_me": row.mine,
        }
        for row in access.review_queue(request.auth).waiting
    ]


@router.get(
    "/staff/quality/reviews/{pick_id}",
    response=PeerReviewPickOut,
    auth=staff_auth,
    summary="One picked case with its content and signed reviews (the viewing is logged)",
)
def review_detail(request: ApiRequest, pick_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    pick = access.access_pick(request.auth, pick_id)
    content = access.read_case_for_review(request.auth, pick)
    reviews = access.reviews_of(pick)
    current = access.current_review(reviews)
    return {
        "id": pick.pk,
        "case_number": pick.case_number,
        "unit": pick.unit.name,
        "closed_on": pick.selection.day,
        "handler_profession": pick.profession,
        "case_available": content.case is not None,
        "answers": content.case.answers if content.case is not None else {},
        "messages": [
            {"kind": m.kind, "body": m.body, "author": _name(m.author_staff), "created_at": m.created_at}
            for m in content.messages
        ],
        "notes": [
            {"kind": n.kind, "body": n.body, "author": _name(n.author), "signed_at": n.signed_at} for n in content.notes
        ],
        "reviews": [_review(review, current) for review in reviews],
    }


@router.post(
    "/staff/quality/reviews/{pick_id}",
    response={201: PeerReviewOut},
    auth=staff_auth,
    summary="Sign the assessment of a picked case, or a correction of its latest review (QA-1)",
)
def sign_review(
    request: ApiRequest, payload: PeerReviewAssessmentIn, pick_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    pick = access.access_pick(request.auth, pick_id)
    review = actions.do_sign_peer_review(request.auth, pick, payload.dict(), corrects_id=payload.corrects)
    return Status(201, _review(review, review))
