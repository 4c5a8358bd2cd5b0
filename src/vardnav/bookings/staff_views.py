"""Staff pages for bookings: the unit's day, publishing a series of times, opening one booking.

The day view lists times, practitioners, visit types and whether a time is
booked, never who booked it; opening a booking shows the resident and is an
audited read of health data (REC-1), once per opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vardnav.bookings import access, actions, letters, texts
from vardnav.bookings.forms import BlockForm, ExtraTimeForm, PublishForm, SummonForm
from vardnav.bookings.models import Booking, BookingStatus
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.http import pdf_download
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import staff_roles_at
from vardnav.organizations.models import Unit
from vardnav.vaccinations.access import may_vaccinate


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        return clock.today()


@staff_required
def day(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    chosen = _day(request)
    try:
        rows = access.unit_day(actor, chosen)
    except NotFound:
        raise Http404 from None
    unit = Unit.objects.get(pk=actor.unit_id)
    return render(
        request,
        "bookings/staff/day.html",
        {
            "unit": unit,
            "day": chosen,
            "previous": chosen - dt.timedelta(days=1),
            "next": chosen + dt.timedelta(days=1),
            "rows": rows,
            "booked": sum(1 for row in rows if row.booking_id),
            "may_publish": bool(staff_roles_at(actor, actor.unit_id) & actions.PUBLISHING_ROLES),
            "may_post_letters": access.keeps_summons_letters(actor),
            "monday": chosen - dt.timedelta(days=chosen.weekday()),
        },
    )


def _monday(request: HttpRequest) -> dt.date:
    try:
        chosen = dt.date.fromisoformat(request.GET.get("vecka", ""))
    except ValueError:
        chosen = clock.today()
    return chosen - dt.timedelta(days=chosen.weekday())


@staff_required
def week(request: StaffRequest) -> HttpResponse:
    """The unit's week: each day's times and whether booked, never who booked (a fixed number of queries)."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    monday = _monday(request)
    try:
        days = access.unit_week(actor, monday)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "bookings/staff/week.html",
        {
            "unit": Unit.objects.get(pk=actor.unit_id),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "days": days,
            "may_publish": bool(staff_roles_at(actor, actor.unit_id) & actions.PUBLISHING_ROLES),
            "may_post_letters": access.keeps_summons_letters(actor),
            "now": clock.now(),
        },
    )


def _require_booking_role(actor: Actor) -> None:
    assert actor.unit_id is not None
    if not staff_roles_at(actor, actor.unit_id) & actions.PUBLISHING_ROLES:
        raise DjangoPermissionDenied


@staff_required
@require_http_methods(["GET", "POST"])
def extra_time(request: StaffRequest) -> HttpResponse:
    """One extra time outside any series."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    _require_booking_role(actor)
    form = ExtraTimeForm(request.POST or None, unit_id=actor.unit_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = actions.do_publish_single(
                actor,
                visit_type=data["visit_type"],
                staff=data["staff"],
                starts_at=dt.datetime.combine(data["day"], data["start"], tzinfo=STOCKHOLM),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Tiden %(time)s publicerades.") % {"time": texts.format_moment(slot.starts_at)})
            return redirect(f"{reverse('bookings:staff_week')}?vecka={data['day'].isoformat()}")
    return render(request, "bookings/staff/extra_time.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def summon(request: StaffRequest, slot_id: int) -> HttpResponse:
    """Kallelse: book a free time for a resident found by personal number; the resident is told in the app."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    _require_booking_role(actor)
    try:
        slot = access.access_slot_for_staff(actor, slot_id)
    except NotFound:
        raise Http404 from None
    form = SummonForm(request.POST or None)
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.do_summon(actor, time_id=slot.pk, personal_number=form.cleaned_data["personal_number"])
        except DomainError as error:
            if error.field in form.fields:
                apply_domain_error(form, error)
            else:
                page_errors = error_lines(error)
        else:
            messages.success(request, _("Tiden är bokad. Invånaren har fått en kallelse i Vårdnav."))
            return redirect("bookings:staff_booking", booking_id=result.booking.pk)
    return render(
        request,
        "bookings/staff/summon.html",
        {
            "slot": slot,
            "when": texts.format_moment(slot.starts_at),
            "is_free": access.is_free(slot),
            "form": form,
            "page_errors": page_errors,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def publish(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    if not staff_roles_at(actor, actor.unit_id) & actions.PUBLISHING_ROLES:
        raise DjangoPermissionDenied
    form = PublishForm(request.POST or None, unit_id=actor.unit_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = actions.Series(
            visit_type=data["visit_type"],
            staff=data["staff"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekdays=frozenset(data["weekdays"]),
            start=data["start"],
            end=data["end"],
        )
        try:
            created = actions.do_publish_series(actor, series)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(count)s nya tider publicerades.") % {"count": created})
            return redirect("bookings:staff_day")
    return render(request, "bookings/staff/publish.html", {"form": form})


def _staff_change(
    request: HttpRequest, actor: Actor, booking_id: int, change: Callable[[Actor, Booking], Booking]
) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        found = access.access_booking_for_staff(actor, booking_id)
    except NotFound:
        raise Http404 from None
    try:
        change(actor, found)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    return redirect("bookings:staff_booking", booking_id=found.pk)


@staff_required
def staff_cancel(request: StaffRequest, booking_id: int) -> HttpResponse:
    actor = request.actor
    return _staff_change(request, actor, booking_id, actions.do_cancel_by_staff)


@staff_required
def no_show(request: StaffRequest, booking_id: int) -> HttpResponse:
    actor = request.actor
    return _staff_change(request, actor, booking_id, actions.do_mark_no_show)


@staff_required
@require_http_methods(["GET", "POST"])
def block(request: StaffRequest) -> HttpResponse:
    """Blocked time: withdraw a practitioner's free times in a period of one day."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    if not staff_roles_at(actor, actor.unit_id) & actions.PUBLISHING_ROLES:
        raise DjangoPermissionDenied
    form = BlockForm(request.POST or None, unit_id=actor.unit_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            withdrawn, booked = actions.do_block_time(
                actor,
                unit=Unit.objects.get(pk=actor.unit_id),
                staff=data["staff"],
                starts_at=dt.datetime.combine(data["day"], data["start"], tzinfo=STOCKHOLM),
                ends_at=dt.datetime.combine(data["day"], data["end"], tzinfo=STOCKHOLM),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(count)s lediga tider togs bort.") % {"count": withdrawn})
            if booked:
                messages.warning(
                    request,
                    _("%(count)s tider i perioden är bokade. Avboka dem en och en, så får invånarna besked.")
                    % {"count": booked},
                )
            return redirect(f"{reverse('bookings:staff_day')}?dag={data['day'].isoformat()}")
    return render(request, "bookings/staff/block.html", {"form": form})


@staff_required
def booking(request: StaffRequest, booking_id: int) -> HttpResponse:
    actor = request.actor
    try:
        found = access.access_booking_for_staff(actor, booking_id)
    except NotFound:
        raise Http404 from None
    context: dict[str, Any] = {
        "booking": found,
        "person": found.person,
        "when": texts.format_moment(found.starts_at),
        "deadline": access.cancellation_deadline(found),
        "is_booked": found.status == BookingStatus.BOOKED,
        "has_started": found.starts_at <= clock.now(),
        "rebooked_to": texts.format_moment(found.rebooked_as.starts_at) if found.rebooked_as is not None else None,
        # The card answers 403 to staff who may not vaccinate (a booking administrator, a
        # medical secretary), so they are not offered a link they cannot follow.
        "may_vaccinate": may_vaccinate(actor),
    }
    return render(request, "bookings/staff/booking.html", context)


# --- summons letters to post (PRIV-4) ------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def summons_letters(request: StaffRequest) -> HttpResponse:
    """Kallelsebrev att skicka: the unit's queued summons letters (date and time only), to print and mark posted."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    if not access.keeps_summons_letters(actor):
        raise DjangoPermissionDenied
    error = ""
    if request.method == "POST":
        chosen = [int(raw) for raw in request.POST.getlist("letter") if raw.isdigit() and len(raw) < 19]
        try:
            posted = letters.do_mark_summons_letters_posted(actor, chosen)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("%(count)s kallelsebrev är markerade som skickade.") % {"count": len(posted)})
            return redirect("bookings:staff_summons_letters")
    queued = access.queued_summons_letters(actor)
    return render(
        request,
        "bookings/staff/summons_letters.html",
        {"letters": [(letter, texts.format_moment(letter.booking.starts_at)) for letter in queued], "error": error},
        status=422 if error else 200,
    )


@staff_required
def summons_letters_pdf(request: StaffRequest) -> HttpResponse:
    """The unit's queued summons letters as one PDF to print (audited)."""
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    if not access.keeps_summons_letters(actor):
        raise DjangoPermissionDenied
    try:
        _letters, printed = letters.do_download_summons_letters(actor)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
        return redirect("bookings:staff_summons_letters")
    return pdf_download(printed, f"kallelsebrev-{clock.today().isoformat()}.pdf")
