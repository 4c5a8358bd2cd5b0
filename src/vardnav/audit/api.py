"""The audit app's part of /api/v1 (registered in vardnav/api/main.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router

from vardnav.audit.access import EXTRACT_DEFAULT_LIMIT, EXTRACT_MAX_LIMIT, access_log_extract
from vardnav.audit.schemas import AccessLogPageOut
from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import session_auth

router = Router(tags=["audit"])


@router.get("/me/access-log", response=AccessLogPageOut, auth=session_auth, summary="My log extract (loggutdrag)")
def my_access_log(
    request: ApiRequest,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = Query(EXTRACT_DEFAULT_LIMIT, ge=1, le=EXTRACT_MAX_LIMIT),  # type: ignore[type-arg]  # ninja's Query default
    after: str | None = Query(None, max_length=200),  # type: ignore[type-arg]  # ninja's Query default
) -> AccessLogPageOut:
    """Which care units and staff accessed the logged-in resident's data, and when (PDL 8 kap. 5 §).

    A guardian acting for a child gets the child's extract: the subject is whoever
    the resident is acting for. Newest first; pass `next_cursor` as `after`.
    """
    actor = request.auth
    page = access_log_extract(actor, actor.subject_person_id, since=since, until=until, limit=limit, after=after)
    return AccessLogPageOut.of(page)
