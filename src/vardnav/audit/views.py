"""The resident's log extract page (loggutdrag) under Mina sidor, and its PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vardnav.audit.access import (
    ExtractPeriod,
    InvalidCursor,
    access_log_extract,
    check_extract_period,
    whole_log_extract,
)
from vardnav.audit.pdf import render_log_extract
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.identity.decorators import resident_required


def _period(request: HttpRequest) -> tuple[ExtractPeriod, dict[str, list[str]]]:
    """The chosen period, or none and the refusal at its fields."""
    try:
        return check_extract_period(request.GET.get("fran"), request.GET.get("till")), {}
    except DomainError as error:
        return ExtractPeriod(None, None), error.field_errors()


@resident_required
@require_GET
def log_extract(request: HttpRequest) -> HttpResponse:
    """One keyset page at a time, optionally for a period; a stale or edited `after` shows the first page."""
    return _extract_page(request)


def _extract_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    period, period_errors = _period(request)
    error = None
    try:
        page = access_log_extract(
            actor,
            actor.subject_person_id,
            since=period.since,
            until=period.until,
            after=request.GET.get("after") or None,
        )
    except InvalidCursor as exc:
        error = exc.message
        page = access_log_extract(actor, actor.subject_person_id, since=period.since, until=period.until)
    return render(
        request,
        "audit/log_extract.html",
        {
            "page": page,
            "error": error,
            "is_later_page": bool(request.GET.get("after")) and error is None,
            "period": period,
            "period_errors": period_errors,
            "fran": (request.GET.get("fran") or "")[:10],
            "till": (request.GET.get("till") or "")[:10],
        },
        status=422 if period_errors else 200,
    )


@resident_required
@require_GET
@never_cache
def log_extract_pdf(request: HttpRequest) -> HttpResponse:
    """The extract for the period as a PDF download; the file name says nothing about whom it concerns."""
    actor = request.actor  # type: ignore[attr-defined]
    period, period_errors = _period(request)
    if period_errors:
        return _extract_page(request)
    extract = whole_log_extract(actor, actor.subject_person_id, period)
    body = render_log_extract(extract, period, generated_at=clock.now())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="loggutdrag.pdf"'
    return response
