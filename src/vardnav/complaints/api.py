"""Complaints in /api/v1/complaints: the follow-up counts and the patient board's unit decision (CMP-2).

Sending a complaint is the case API's (POST /api/v1/cases with the complaint
service), which runs the complaint service's hooks (CMP-3, CMP-4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.params.functions import Path

from vardnav.complaints import access, actions
from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import staff_auth

router = Router(tags=["complaints"])
MAX_ID = 2**63 - 1


class CountOut(Schema):
    month: dt.date
    unit: str
    category: str
    count: int


class FollowUpOut(Schema):
    since: dt.date
    total: int
    rows: list[CountOut]


class UnitIn(Schema):
    hsa_id: str = Field(..., min_length=1, max_length=31)


class AssignmentOut(Schema):
    case_id: int
    unit: str
    hsa_id: str


@router.get(
    "/complaints/follow-up", response=FollowUpOut, auth=staff_auth, summary="Complaint counts (no personal data)"
)
def follow_up(request: ApiRequest) -> dict[str, Any]:
    """By month, unit and category for the provider's administrators and the patient board's staff."""
    counts = access.follow_up(request.auth)
    return {
        "since": counts.since,
        "total": counts.total,
        "rows": [{"month": r.month, "unit": r.unit, "category": r.category, "count": r.count} for r in counts.rows],
    }


@router.post(
    "/complaints/{case_id}/unit",
    response=AssignmentOut,
    auth=staff_auth,
    summary="The patient board sets the unit a complaint concerns (CMP-2)",
)
def set_unit(request: ApiRequest, payload: UnitIn, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    board, case = access.access_board_case(request.auth, case_id)
    assignment = actions.do_set_complaint_unit(request.auth, board, case, payload.hsa_id)
    return {"case_id": case.pk, "unit": assignment.unit.name, "hsa_id": assignment.unit.hsa_id}
