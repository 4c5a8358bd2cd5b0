"""The booking settings pages (issue 11, item 13, and issue 14): what the Django admin used to edit.

Linked from the staff settings area's start page (/personal/installningar/):
- a unit's visit types (besökstyper): list, add, edit, make inactive (never deleted: bookings keep them);
- a unit's booking settings (BOOK-1): online booking, drop-in and its hours, reminders, weeks ahead;
- the provider's cut-off rules per unit kind (BOOK-3).
Unit pages are for the provider's administrator and the unit's head and booking admin
(access.booking_settings_units); the cut-off rules for the provider's administrator. Thin: the `do_*`
actions check permission and input and write the audit entry; a refusal is shown at its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vardnav.bookings import access, actions
from vardnav.bookings.access import PolicyRow
from vardnav.bookings.settings_forms import CancellationPoliciesForm, UnitBookingSettingsForm, VisitTypeForm
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.core.forms import apply_domain_error
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import access_administered_provider
from vardnav.organizations.models import CareProvider, Unit

SAVED_SESSION_KEY = "booking-settings-saved"


def _forbidden(request: StaffRequest) -> HttpResponse:
    return render(request, "organizations/settings/forbidden.html", {}, status=403)


def _settings_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
    """Staff who keep some unit's booking settings (or the provider's); a 403 page for other staff."""

    def wrapper(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.staff.is_provider_admin or access.booking_settings_units(request.actor).exists()):
            return _forbidden(request)
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            return _forbidden(request)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return staff_required(never_cache(wrapper))


def _posted(request: StaffRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _saved(request: StaffRequest, message: str, to: str) -> HttpResponse:
    request.session[SAVED_SESSION_KEY] = message
    return redirect(to)


def _context(request: StaffRequest, **extra: Any) -> dict[str, Any]:
    return {"saved": request.session.pop(SAVED_SESSION_KEY, ""), **extra}


def _unit(request: StaffRequest, unit_id: int) -> Unit:
    return access.access_unit_for_booking_settings(request.actor, unit_id)


# --- a unit's visit types ------------------------------------------------------------------------


@require_GET
@_settings_page
def visit_types(request: StaffRequest, unit_id: int) -> HttpResponse:
    the_unit = _unit(request, unit_id)
    rows = list(access.unit_visit_types(the_unit))
    return render(request, "bookings/settings/visit_types.html", _context(request, unit=the_unit, visit_types=rows))


@require_http_methods(["GET", "POST"])
@_settings_page
def visit_type_add(request: StaffRequest, unit_id: int) -> HttpResponse:
    the_unit = _unit(request, unit_id)
    form = VisitTypeForm(
        _posted(request), creating=True, initial={"online_bookable": True, "is_active": True, "minimum_age_months": "0"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.values()
        try:
            created = actions.do_create_visit_type(
                request.actor,
                unit=the_unit,
                kind=data["kind"],
                **{name: data[name] for name in actions.VISIT_TYPE_CHANGEABLE},
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Besökstypen %(name)s är tillagd.") % {"name": created.name}
            return _saved(request, message, reverse("bookings:settings_visit_types", args=[the_unit.pk]))
    return render(
        request,
        "bookings/settings/visit_type.html",
        _context(request, unit=the_unit, form=form, visit_type=None),
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@_settings_page
def visit_type_edit(request: StaffRequest, unit_id: int, visit_type_id: int) -> HttpResponse:
    the_unit = _unit(request, unit_id)
    visit_type = access.access_unit_visit_type(the_unit, visit_type_id)
    initial = {name: getattr(visit_type, name) for name in actions.VISIT_TYPE_CHANGEABLE}
    form = VisitTypeForm(_posted(request), creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_visit_type(request.actor, visit_type, **form.values())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Besökstypen %(name)s är sparad.") % {"name": visit_type.name}
            return _saved(request, message, reverse("bookings:settings_visit_types", args=[the_unit.pk]))
    return render(
        request,
        "bookings/settings/visit_type.html",
        _context(request, unit=the_unit, form=form, visit_type=visit_type),
        status=422 if form.errors else 200,
    )


# --- a unit's booking settings (BOOK-1) -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_settings_page
def unit_settings(request: StaffRequest, unit_id: int) -> HttpResponse:
    the_unit = _unit(request, unit_id)
    current = access.booking_settings_for(the_unit)
    initial = {
        "online_booking": current.online_booking,
        "drop_in": current.drop_in,
        "reminder_hours": str(current.reminder_hours),
        "weeks_ahead": str(current.weeks_ahead),
    }
    form = UnitBookingSettingsForm(_posted(request), initial=initial, rows=current.drop_in_hours)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_booking_settings(
                request.actor,
                unit=the_unit,
                online_booking=data["online_booking"],
                drop_in=data["drop_in"],
                drop_in_hours=form.rows(),
                reminder_hours=data["reminder_hours"],
                weeks_ahead=data["weeks_ahead"],
            )
        except DomainError as error:
            if error.field == "drop_in_hours":
                form.add_error("days_0", error.message)
            else:
                apply_domain_error(form, error)
        else:
            return _saved(
                request,
                _("Mottagningens inställningar för tidbokning är sparade."),
                reverse("bookings:settings_unit", args=[the_unit.pk]),
            )
    return render(
        request,
        "bookings/settings/unit_settings.html",
        _context(request, unit=the_unit, form=form),
        status=422 if form.errors else 200,
    )


# --- the provider's cut-off rules (BOOK-3) ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_settings_page
def policies(request: StaffRequest) -> HttpResponse:
    provider = access_administered_provider(request.actor)
    rows = access.provider_policies(provider.pk)
    form = CancellationPoliciesForm(_posted(request), policies=rows)
    if request.method == "POST" and form.is_valid():
        try:
            _save_policies(request, provider, rows, form.cleaned_data)
        except _PolicyRefused as refused:
            field = "hours" if refused.error.field == "notice_hours" else "counting"
            form.add_error(f"{field}_{refused.unit_kind}", refused.error.message)
        else:
            return _saved(request, _("Reglerna för avbokning är sparade."), reverse("bookings:settings_policies"))
    return render(
        request,
        "bookings/settings/policies.html",
        _context(request, provider=provider, form=form),
        status=422 if form.errors else 200,
    )


class _PolicyRefused(Exception):
    def __init__(self, unit_kind: str, error: DomainError) -> None:
        self.unit_kind, self.error = unit_kind, error


def _save_policies(request: StaffRequest, provider: CareProvider, rows: list[PolicyRow], data: dict[str, Any]) -> None:
    """Save the rows that changed, all or none."""
    with transaction.atomic():
        for row in rows:
            hours, counting = data[f"hours_{row.unit_kind}"].strip(), data[f"counting_{row.unit_kind}"]
            if hours == str(row.notice_hours) and counting == row.counting:
                continue
            try:
                actions.do_set_cancellation_policy(
                    request.actor, provider=provider, unit_kind=row.unit_kind, notice_hours=hours, counting=counting
                )
            except DomainError as error:
                raise _PolicyRefused(row.unit_kind, error) from error
