"""The resident's log extract page (loggutdrag) under Mina sidor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vardnav.audit.access import InvalidCursor, access_log_extract
from vardnav.identity.decorators import resident_required


@resident_required
def log_extract(request: HttpRequest) -> HttpResponse:
    """One keyset page at a time; a stale or edited `after` shows the first page with a notice."""
    actor = request.actor  # type: ignore[attr-defined]
    error = None
    try:
        page = access_log_extract(actor, actor.subject_person_id, after=request.GET.get("after") or None)
    except InvalidCursor as exc:
        error = exc.message
        page = access_log_extract(actor, actor.subject_person_id)
    return render(
        request,
        "audit/log_extract.html",
        {"page": page, "error": error, "is_later_page": bool(request.GET.get("after")) and error is None},
    )
