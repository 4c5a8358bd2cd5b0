"""The vaccination card under Mina sidor: the card, a child's card, adding a dose given elsewhere, travel advice.

Thin views: access_* → do_* → render. A guardian reaches each child's card
(under 16) from their own card page; a guardian acting for a child sees the
child's card directly. Writes run once per form key (core.idempotency).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.identity.access import children_for_choice
from vardnav.identity.decorators import resident_required
from vardnav.vaccinations import access, actions, schedules
from vardnav.vaccinations.forms import SelfReportForm, TravelForm


def _child_id(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() else None


def _card_page(request: ActorRequest, child_id: int | None) -> HttpResponse:
    try:
        card = access.read_card_for_resident(request.actor, child_id)
    except NotFound:
        raise Http404 from None
    own = child_id is None and request.actor.acting_for_id is None
    children = [choice for choice in children_for_choice(request.actor) if choice.selectable] if own else []
    return render(
        request,
        "vaccinations/card.html",
        {
            "card": card,
            "own": own,
            "child_id": child_id,
            "children": children,
            "today": clock.today(),
            "schedules_compiled_on": schedules.schedules_compiled_on(),
        },
    )


@resident_required
@require_GET
def card(request: ActorRequest) -> HttpResponse:
    return _card_page(request, None)


@resident_required
@require_GET
def child_card(request: ActorRequest, child_id: int) -> HttpResponse:
    return _card_page(request, child_id)


@resident_required
@require_http_methods(["GET", "POST"])
def add_self_reported(request: ActorRequest) -> HttpResponse:
    """VAC-3: a dose given elsewhere, for the resident or (?barn=) one of their children under 16."""
    child_id = _child_id(request.GET.get("barn") or request.POST.get("barn"))
    try:
        subject = access.access_card_subject(request.actor, child_id)
    except NotFound:
        raise Http404 from None
    form = SelfReportForm(request.POST if request.method == "POST" else None)
    back = reverse("vaccinations:child_card", args=[child_id]) if child_id else reverse("vaccinations:card")
    if request.method == "POST":
        form.is_valid()
        payload = {key: request.POST.get(key, "") for key in ("vaccine", "product", "dose_number", "given_on", "place")}

        def perform() -> tuple[int, dict[str, Any]]:
            vaccination = actions.do_add_self_reported(
                request.actor,
                subject,
                vaccine=payload["vaccine"],
                product=payload["product"],
                dose_number=payload["dose_number"],
                given_on=payload["given_on"],
                place=payload["place"],
            )
            return 201, {"id": vaccination.pk}

        try:
            key = check_idempotency_key(request.POST.get("submission_key") or None)
            run_idempotent(request.actor, key, "vaccinations.self_report", {**payload, "subject": subject.pk}, perform)
        except DomainError as error:
            if error.status == 404:
                raise Http404 from None
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Vaccinationen är tillagd på kortet som egen uppgift."))
            return redirect(back)
    return render(
        request,
        "vaccinations/add.html",
        {
            "form": form,
            "subject": subject,
            "child_id": child_id,
            "back": back,
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        },
        status=422 if form.errors else 200,
    )


@resident_required
@require_GET
def travel(request: ActorRequest) -> HttpResponse:
    """VAC-4: the vaccines to consider for a trip, from the shipped table, before the visit."""
    form = TravelForm(request.GET or None)
    advice = None
    if request.GET:
        form.is_valid()
        try:
            advice = actions.travel_advice(request.GET.get("destination"), request.GET.get("trip_days"))
        except DomainError as error:
            apply_domain_error(form, error)
    try:
        card = access.card(access.access_card_subject(request.actor))
    except NotFound:
        raise Http404 from None
    have = {row.vaccine.code: row for row in card.rows}
    return render(
        request,
        "vaccinations/travel.html",
        {"form": form, "advice": advice, "have": have, "table": schedules.travel_table()},
        status=422 if form.errors else 200,
    )
