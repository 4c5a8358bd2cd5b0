"""The audit app's part of /api/v1 (registered in vardnav/api/main.py)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from ninja import Query, Router

from vardnav.audit.access import EXTRACT_DEFAULT_LIMIT, EXTRACT_MAX_LIMIT, access_log_extract
from vardnav.audit.schemas import AccessLogPageOut
from vardnav.core.http import ApiRequest, json_response
from vardnav.identity.api_auth import session_auth

router = Router(tags=["audit"])


@router.get("/me/access-log", response=AccessLogPageOut, auth=session_auth, summary="My log extract (loggutdrag)")
def my_access_log(
    request: ApiRequest,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = Query(EXTRACT_DEFAULT_LIMIT, ge=1, le=EXTRACT_MAX_LIMIT),  # type: ignore[type-arg]  # ninja's Query default
    after: str | None = Query(None, max_length=200),  # type: ignore[type-arg]  # ninja's Query default
) -> HttpResponse:
    """Which care units and staff accessed the logged-in resident's data, and when (PDL 8 kap. 5 §).

    A guardian acting for a child gets the child's extract: the subject is whoever
    the resident is acting for. Newest first; pass `next_cursor` as `after`.
    """
    actor = request.auth
    page = access_log_extract(
        actor, actor.subject_person_id, since=since, until=until, limit=limit, after=after, labels=False
    )
    items = [
        {
            "occurred_at": item.occurred_at,
            "action": item.action,
            "action_label": str(item.action_label),
            "object_type": item.object_type,
            "purpose": item.purpose,
            "unit": {"id": item.unit_id, "name": item.unit_name, "hsa_id": item.unit_hsa_id}
            if item.unit_id is not None
            else None,
            "staff": {"id": item.staff_id, "name": item.staff_name, "hsa_id": item.staff_hsa_id}
            if item.staff_id is not None
            else None,
        }
        for item in page.items
    ]
    # Plain dicts straight to JSON; AccessLogPageOut stays the documented response (OpenAPI).
    return json_response({"items": items, "next_cursor": page.next_cursor})
