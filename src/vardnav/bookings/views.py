"""Resident and public booking pages: a unit's times, booking, Mina bokningar, cancelling by code.

Thin views: access_* → do_* → render. Free times are public; booking needs a
BankID login (BOOK-2) and comes back to the chosen time after it. A hidden
one-time key in the booking forms makes a double click or a resent POST land
on the same booking. The cancellation code is shown once, on the page the
resident lands on right after booking, and is kept nowhere in clear.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vardnav.bookings import access, actions, texts
from vardnav.bookings.errors import BookingError
from vardnav.bookings.forms import BookForm, CancelCodeForm, ChooseBookingForm, NewTimeForm
from vardnav.bookings.models import Booking, Slot, UnitBookingSettings
from vardnav.bookings.ratelimits import check_cancel_code_rate
from vardnav.cases.hooks import SubmissionContext
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.identity.decorators import resident_required
from vardnav.identity.session import get_actor
from vardnav.organizations.access import public_unit_by_slug
from vardnav.organizations.models import Unit
from vardnav.people.access import GUARDIAN_ACCESS_AGE_LIMIT, children_of
from vardnav.people.models import Person

CODE_SESSION_KEY = "bookings.code.{id}"


def _unit(slug: str) -> Unit:
    try:
        return public_unit_by_slug(slug)
    except NotFound:
        raise Http404 from None


def _days(times: list[Slot]) -> list[tuple[Any, list[Slot]]]:
    """Times grouped by their day in Swedish local time."""
    return [(day, list(group)) for day, group in groupby(times, key=lambda t: texts.local(t.starts_at).date())]


def drop_in_units() -> list[UnitBookingSettings]:
    """ID-7: where someone who cannot book online can go instead (bounded list, one query)."""
    return list(
        UnitBookingSettings.objects.select_related("unit").filter(drop_in=True).order_by("unit__name", "unit_id")[:50]
    )


def unit_booking(request: HttpRequest, slug: str) -> HttpResponse:
    """A unit's bookable visit types and, for the chosen one, its free times over the coming weeks."""
    unit = _unit(slug)
    settings = access.booking_settings_for(unit)
    visit_types = list(access.bookable_visit_types(unit))
    chosen = None
    page = None
    chosen_id = request.GET.get("besokstyp", "")
    if chosen_id.isdigit():
        try:
            chosen = access.access_bookable_visit_type(unit, int(chosen_id))
        except NotFound:
            raise Http404 from None
        try:
            page = access.free_times(chosen, after=request.GET.get("after") or None)
        except DomainError:
            page = access.free_times(chosen)
    return render(
        request,
        "bookings/unit_booking.html",
        {
            "unit": unit,
            "settings": settings,
            "visit_types": visit_types,
            "chosen": chosen,
            "page": page,
            "days": _days(page.items) if page else [],
            "payment": texts.payment_text(unit),
            "drop_in_units": drop_in_units(),
            "minimum_age": actions.minimum_age_months(chosen, unit) if chosen else 0,
        },
    )


def _person_choices(actor: Actor) -> list[tuple[int, str]]:
    """The resident and their children under 16 (the register's guardianships)."""
    assert actor.person_id is not None  # resident_required
    me = Person.objects.get(pk=actor.person_id)
    today = clock.today()
    choices = [(me.pk, _("Mig själv (%(name)s)") % {"name": me.full_name} if me.full_name else _("Mig själv"))]
    for child in children_of(me):
        if child.age_on(today) < GUARDIAN_ACCESS_AGE_LIMIT:
            choices.append(
                (
                    child.pk,
                    _("%(name)s, %(age)s år") % {"name": child.full_name or _("Barn"), "age": child.age_on(today)},
                )
            )
    return choices


def _run_once(request: ActorRequest, payload: dict[str, Any], act: Callable[[], actions.BookingResult]) -> int:
    """Run a booking once per form key; returns the booking id and shows the new code once (session)."""
    shown: list[str] = []

    def perform() -> tuple[int, dict[str, Any]]:
        result = act()
        shown.append(result.code)
        return 201, {"id": result.booking.pk}

    key = check_idempotency_key(request.POST.get("submission_key") or None)
    result = run_idempotent(request.actor, key, "bookings.book", payload, perform)
    if shown and not result.replayed:
        request.session[CODE_SESSION_KEY.format(id=result.body["id"])] = shown[0]
    return int(result.body["id"])


@resident_required
@require_http_methods(["GET", "POST"])
def book(request: ActorRequest, time_id: int) -> HttpResponse:
    """Confirm a chosen time: for whom, then book (BOOK-2: only after BankID login)."""
    actor = request.actor
    try:
        time = access.access_free_time(time_id)
    except NotFound:
        raise Http404 from None
    if request.method == "GET" and not access.is_free(time):
        return render(
            request,
            "bookings/book.html",
            {
                "time": time,
                "unit": time.unit,
                "page_errors": [str(BookingError.TIME_TAKEN.message)],
                "payment": texts.payment_text(time.unit),
            },
        )
    choices = _person_choices(actor)
    form = BookForm(request.POST or None, choices=choices, initial={"person": actor.acting_for_id or actor.person_id})
    page_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        person_id = form.cleaned_data["person"]
        try:
            booking_id = _run_once(
                request,
                {"booking_time": time.pk, "person": person_id},
                lambda: actions.do_book(actor, time_id=time.pk, person_id=person_id),
            )
            return redirect("bookings:detail", booking_id=booking_id)
        except DomainError as error:
            if error.field in form.fields:
                apply_domain_error(form, error)
            else:
                page_errors = error_lines(error)
    return render(
        request,
        "bookings/book.html",
        {
            "time": time,
            "unit": time.unit,
            "form": form,
            "page_errors": page_errors,
            "payment": texts.payment_text(time.unit),
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        },
    )


@resident_required
def my_bookings(request: ActorRequest) -> HttpResponse:
    listed = access.my_bookings(request.actor)
    return render(
        request,
        "bookings/my_bookings.html",
        {"upcoming": listed.upcoming, "past": listed.past, "waiting": access.my_waiting_entries(request.actor)},
    )


@resident_required
@require_POST
def join_waiting_list(request: ActorRequest) -> HttpResponse:
    """Stand in line for a visit type (for oneself, or the child one acts for); then Mina bokningar shows it."""
    actor = request.actor
    raw = request.POST.get("visit_type", "")
    try:
        visit_type = access.access_bookable_visit_type_by_id(int(raw) if raw.isdigit() and len(raw) < 18 else 0)
    except NotFound:
        raise Http404 from None
    try:
        actions.do_join_waiting_list(actor, visit_type=visit_type, person_id=actor.acting_for_id)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
        return redirect(f"{reverse('bookings:unit_booking', args=[visit_type.unit.slug])}?besokstyp={visit_type.pk}")
    messages.success(request, _("Du står i kö. Du får en notis när en tid blir ledig."))
    return redirect("bookings:my_bookings")


@resident_required
@require_POST
def leave_waiting_list(request: ActorRequest, entry_id: int) -> HttpResponse:
    try:
        entry = access.access_waiting_entry(request.actor, entry_id)
    except NotFound:
        raise Http404 from None
    actions.do_leave_waiting_list(request.actor, entry)
    messages.success(request, _("Du har lämnat väntelistan."))
    return redirect("bookings:my_bookings")


def _detail_context(booking: Booking) -> dict[str, Any]:
    return {
        "booking": booking,
        "unit": booking.unit,
        "deadline": access.cancellation_deadline(booking),
        "may_change": access.may_change_digitally(booking),
        "is_future": booking.starts_at > clock.now(),
        "payment": texts.payment_text(booking.unit),
    }


@resident_required
def detail(request: ActorRequest, booking_id: int) -> HttpResponse:
    try:
        booking = access.access_booking(request.actor, booking_id)
    except NotFound:
        raise Http404 from None
    code = request.session.pop(CODE_SESSION_KEY.format(id=booking.pk), None)
    return render(request, "bookings/detail.html", {**_detail_context(booking), "code": code})


@resident_required
@require_POST
def cancel(request: ActorRequest, booking_id: int) -> HttpResponse:
    try:
        booking = access.access_booking(request.actor, booking_id)
    except NotFound:
        raise Http404 from None
    try:
        actions.do_cancel(request.actor, booking)
    except DomainError as error:
        return render(
            request, "bookings/detail.html", {**_detail_context(booking), "page_errors": error_lines(error)}, status=409
        )
    return redirect("bookings:detail", booking_id=booking.pk)


@resident_required
@require_http_methods(["GET", "POST"])
def rebook(request: ActorRequest, booking_id: int) -> HttpResponse:
    """Choose another free time of the same visit type; the old time is freed in the same transaction."""
    actor = request.actor
    try:
        booking = access.access_booking(actor, booking_id)
    except NotFound:
        raise Http404 from None
    page_errors: list[str] = []
    if request.method == "POST":
        raw = request.POST.get("time", "")
        try:
            if not raw.isdigit():
                raise BookingError.TIME_NOT_FOUND.error(field="time")
            new_id = _run_once(
                request,
                {"rebook": booking.pk, "booking_time": int(raw)},
                lambda: actions.do_rebook(actor, booking, time_id=int(raw)),
            )
            return redirect("bookings:detail", booking_id=new_id)
        except DomainError as error:
            page_errors = error_lines(error)
    page = None
    if access.may_change_digitally(booking):
        try:
            page = access.free_times(booking.visit_type, after=request.GET.get("after") or None)
        except DomainError:
            page = access.free_times(booking.visit_type)
    return render(
        request,
        "bookings/rebook.html",
        {
            **_detail_context(booking),
            "page": page,
            "days": _days(page.items) if page else [],
            "page_errors": page_errors,
            "submission_key": uuid.uuid4().hex,
        },
    )


@require_http_methods(["GET", "POST"])
def cancel_by_code(request: HttpRequest) -> HttpResponse:
    """Avboka tid: anyone with the code cancels without logging in (BOOK-2), rate-limited per client address."""
    form = CancelCodeForm(request.POST or None)
    cancelled = None
    status = 200
    if request.method == "POST":
        try:
            check_cancel_code_rate(request)
            if form.is_valid():
                actor = getattr(request, "actor", None) or get_actor(request)
                booking = actions.do_cancel_by_code(actor, form.cleaned_data["code"])
                cancelled = {"when": texts.format_moment(booking.starts_at), "unit": booking.unit}
                form = CancelCodeForm()
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status if error.status == 429 else 200
            response = render(request, "bookings/cancel_by_code.html", {"form": form}, status=status)
            for name, value in error.headers.items():
                response[name] = value
            return response
    return render(request, "bookings/cancel_by_code.html", {"form": form, "cancelled": cancelled}, status=status)


# --- the "Boka om tid" and "Avboka tid" e-services (a step on the case form page, through cases.hooks) ---

REQUEST_FORM_PARAM = "formular"  # ?formular=1: the request form to the inbox, for a visit booked outside Vårdnav
STEP_FIELD = "step"


class _NotChosen(Exception):
    """The form names no booking or time that may be changed: nothing is run (and no key is spent)."""


def _booking_label(booking: Booking) -> str:
    label = f"{texts.format_moment(booking.starts_at)} – {booking.visit_type.name}"
    if booking.booked_by_id:
        label += f" ({booking.person.full_name or _('ditt barn')})"
    return label


def eservice_step(request: ActorRequest, context: SubmissionContext, *, rebook: bool) -> HttpResponse | None:
    """BOOK-3: the resident's upcoming Vårdnav bookings at the unit, acted on directly; None for the request form.

    Avboka cancels the chosen booking (do_cancel: cut-off under the row lock, the freed time
    offered to the waiting list); Boka om moves it to a free time of the same visit type
    (do_rebook: one transaction). Past the cut-off nothing is saved and the resident is told
    to call the unit. Each write runs once per form key (a resent form lands on the same
    result). No case is made: the booking itself (its status, how it was cancelled, what it
    was rebooked as) is what the unit's appointment book shows. A resident with no Vårdnav
    booking at the unit gets the request form, as does one who follows the link for a visit
    booked elsewhere.
    """
    if request.GET.get(REQUEST_FORM_PARAM) == "1":
        return None
    posted = request.method == "POST"
    if posted and request.POST.get(STEP_FIELD) != "booking":
        return None
    bookings = access.upcoming_at_unit(request.actor, context.subject.pk, context.unit)
    if not bookings and not posted:
        return None
    changeable = [booking for booking in bookings if access.may_change_digitally(booking)]
    too_late = [booking for booking in bookings if booking not in changeable]
    source = request.POST if posted else (request.GET if "booking" in request.GET else None)
    choose = ChooseBookingForm(source, choices=[(b.pk, _booking_label(b)) for b in changeable])
    chosen = next((b for b in changeable if choose.is_valid() and b.pk == choose.cleaned_data["booking"]), None)
    late = next((b for b in too_late if source is not None and str(b.pk) == source.get("booking")), None)
    if late is not None:  # it passed the cut-off since the page was shown: call the unit (nothing is saved)
        try:
            actions.check_before_cutoff(late)
        except DomainError as error:
            choose.errors["booking"] = choose.error_class([error.message])
    page_context: dict[str, Any] = {
        "service": context.service,
        "unit": context.unit,
        "rebook": rebook,
        "choose": choose,
        "too_late": too_late,
        "chosen": chosen,
        "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        "request_form_url": f"{request.path}?{REQUEST_FORM_PARAM}=1",
        "payment": texts.payment_text(context.unit),
    }
    try:
        if rebook and (chosen is not None or posted):
            return _rebook_step(request, chosen, page_context)
        if posted:
            return _cancel_step(request, chosen, choose)
    except _NotChosen:
        if not bookings:  # cancelled meanwhile (e.g. in another tab): show the page anew
            return redirect(request.path)
    return render(request, "bookings/eservice_step.html", page_context, status=422 if choose.errors else 200)


def _cancel_step(request: ActorRequest, chosen: Booking | None, choose: ChooseBookingForm) -> HttpResponse:
    """Avboka, the chosen booking: cancelled at once; the booking's page says so."""

    def perform() -> tuple[int, dict[str, Any]]:
        if chosen is None:
            raise _NotChosen
        actions.do_cancel(request.actor, chosen)
        return 200, {"id": chosen.pk, "when": texts.format_moment(chosen.starts_at)}

    try:
        result = run_idempotent(
            request.actor,
            check_idempotency_key(request.POST.get("submission_key") or None),
            "bookings.eservice_cancel",
            {"booking": request.POST.get("booking", "")},
            perform,
        )
    except DomainError as error:
        apply_domain_error(choose, error)
        raise _NotChosen from None
    messages.success(request, _("Din tid %(time)s är avbokad.") % {"time": result.body["when"]})
    return redirect("bookings:detail", booking_id=result.body["id"])


def _rebook_step(request: ActorRequest, chosen: Booking | None, page_context: dict[str, Any]) -> HttpResponse:
    """Boka om, the chosen booking: its visit type's free times; the chosen one replaces the booking."""
    posted = request.method == "POST"
    choices: list[tuple[int, str]] = []
    page = None
    if chosen is not None:
        try:
            page = access.free_times(chosen.visit_type, after=request.GET.get("after") or None)
        except DomainError:
            page = access.free_times(chosen.visit_type)
        choices = [(time.pk, texts.format_moment(time.starts_at)) for time in page.items]
    form = NewTimeForm(request.POST if posted else None, choices=choices)
    if posted:

        def act() -> actions.BookingResult:
            if chosen is None or not form.is_valid():
                raise _NotChosen
            return actions.do_rebook(request.actor, chosen, time_id=form.cleaned_data["time"])

        try:
            new_id = _run_once(
                request, {"rebook": request.POST.get("booking", ""), "booking_time": request.POST.get("time")}, act
            )
        except DomainError as error:
            apply_domain_error(form, error)
        except _NotChosen:
            if chosen is None:
                raise
        else:
            messages.success(request, _("Din tid är ombokad. Den tidigare tiden är avbokad."))
            return redirect("bookings:detail", booking_id=new_id)
    next_times = f"?booking={chosen.pk}&after={page.next_cursor}" if chosen and page and page.next_cursor else None
    return render(
        request,
        "bookings/eservice_step.html",
        {**page_context, "time_form": form, "next_times": next_times},
        status=422 if form.errors else 200,
    )
