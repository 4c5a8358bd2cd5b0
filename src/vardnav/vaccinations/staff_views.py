"""The nurse's vaccination pages under /personal/: find the person, their card, register a dose, record travel advice.

Opening a card is an audited read (one entry per opening). Coming from a
booking (?besok=<id>), the travel advice is recorded on that visit (VAC-4).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vardnav.bookings.models import Booking
from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.people.models import Person
from vardnav.vaccinations import access, actions, schedules
from vardnav.vaccinations.forms import FindPersonForm, RegisterForm, TravelRecordForm


def _require_vaccinating(request: StaffRequest) -> None:
    try:
        access.vaccinating_staff(request.actor)
    except DomainError:
        raise DjangoPermissionDenied from None


def _person(request: StaffRequest, person_id: int) -> Person:
    try:
        return access.access_person_for_staff(request.actor, person_id)
    except NotFound:
        raise Http404 from None
    except DomainError:
        raise DjangoPermissionDenied from None


def _visit(request: StaffRequest, person: Person, raw: Any) -> Booking | None:
    """The booking the advice is recorded on: one of this unit's bookings for this person, else none."""
    text = str(raw or "")
    if not text.isdigit() or request.actor.unit_id is None:
        return None
    # The unit's own booking for this person (the card page has already checked the staff member's role here).
    return Booking.objects.filter(pk=int(text), unit_id=request.actor.unit_id, person=person).first()


@staff_required
@require_http_methods(["GET", "POST"])
def find(request: StaffRequest) -> HttpResponse:
    if request.actor.unit_id is None:
        return redirect("staff:choose_unit")
    _require_vaccinating(request)
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            person = actions.do_find_person(request.actor, request.POST.get("personal_number", ""))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("vaccinations:staff_card", person_id=person.pk)
    return render(request, "vaccinations/staff/find.html", {"form": form}, status=422 if form.errors else 200)


def _card_page(
    request: StaffRequest,
    person: Person,
    *,
    register_form: RegisterForm | None = None,
    travel_form: TravelRecordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    card = access.read_card_for_staff(request.actor, person)
    visit = _visit(request, person, request.GET.get("besok") or request.POST.get("besok"))
    travel_form = travel_form or TravelRecordForm(request.GET if "destination" in request.GET else None)
    preview = None
    if "destination" in request.GET and travel_form.is_bound:
        travel_form.is_valid()
        try:
            preview = actions.travel_advice(request.GET.get("destination"), request.GET.get("trip_days"))
        except DomainError as error:
            apply_domain_error(travel_form, error)
            status = 422
    return render(
        request,
        "vaccinations/staff/card.html",
        {
            "card": card,
            "person": person,
            "age": person.age_on(clock.today()),
            "register_form": register_form or RegisterForm(initial={"given_on": clock.today().isoformat()}),
            "travel_form": travel_form,
            "preview": preview,
            "visit": visit,
            "table": schedules.travel_table(),
            "submission_key": uuid.uuid4().hex,
        },
        status=status,
    )


@staff_required
def card(request: StaffRequest, person_id: int) -> HttpResponse:
    if request.actor.unit_id is None:
        return redirect("staff:choose_unit")
    return _card_page(request, _person(request, person_id))


def _once(request: StaffRequest, operation: str, payload: dict[str, Any], act: Any) -> None:
    def perform() -> tuple[int, dict[str, Any]]:
        return 201, {"id": act().pk}

    run_idempotent(
        request.actor, check_idempotency_key(request.POST.get("submission_key") or None), operation, payload, perform
    )


@staff_required
@require_POST
def register(request: StaffRequest, person_id: int) -> HttpResponse:
    """VAC-1: register a dose given now at this unit."""
    person = _person(request, person_id)
    form = RegisterForm(request.POST)
    form.is_valid()
    fields = ("vaccine", "product", "dose_number", "batch", "site", "given_on")
    payload = {key: request.POST.get(key, "") for key in fields}
    try:
        _once(
            request,
            "vaccinations.register",
            {**payload, "person": person.pk},
            lambda: actions.do_register_vaccination(request.actor, person, **payload),
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _card_page(request, person, register_form=form, status=422)
    messages.success(request, _("Vaccinationen är registrerad."))
    return redirect("vaccinations:staff_card", person_id=person.pk)


@staff_required
@require_POST
def record_travel(request: StaffRequest, person_id: int) -> HttpResponse:
    """VAC-4: record the travel advice given at this visit."""
    person = _person(request, person_id)
    form = TravelRecordForm(request.POST)
    form.is_valid()
    visit = _visit(request, person, request.POST.get("besok"))
    payload = {key: request.POST.get(key, "") for key in ("destination", "trip_days", "note")}
    try:
        _once(
            request,
            "vaccinations.travel_advice",
            {**payload, "person": person.pk, "visit": visit.pk if visit else None},
            lambda: actions.do_record_travel_advice(
                request.actor,
                person,
                destination=payload["destination"],
                trip_days=payload["trip_days"],
                note=payload["note"],
                booking_id=visit.pk if visit else None,
            ),
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _card_page(request, person, travel_form=form, status=422)
    messages.success(request, _("Reserådet är antecknat vid besöket."))
    return redirect("vaccinations:staff_card", person_id=person.pk)
