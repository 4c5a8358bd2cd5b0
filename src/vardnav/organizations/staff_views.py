"""The staff settings area (issue 11, item 13): what provider administrators and heads of unit
keep without the Django admin.

Thin by design: organizations.access decides who may open which unit and
provider, the `do_*` actions (organizations, catalog, prescriptions) check
permission again, validate, change and write the audit log with old and new
values; these views only render forms and put a refusal next to its field.

- Heads of unit (ORG-4) keep their units: roles, "Övrig information" (ORG-5),
  opening hours and which e-services the unit offers.
- Provider administrators keep every unit of their provider, the provider's
  policies (ORG-2, CASE-8, RX-5) and the e-services' questionnaires (ORG-3),
  built question by question and published as a new version.
- Anyone else gets a 403 page; the Django admin stays for the platform superuser.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vardnav.cases.forms import QuestionnaireForm
from vardnav.catalog import builder
from vardnav.catalog.access import kinds_not_yet_offered
from vardnav.catalog.actions import (
    do_create_service,
    do_offer_service,
    do_publish_questionnaire,
    do_save_questionnaire,
    do_update_service,
    do_withdraw_service,
)
from vardnav.catalog.models import Service, UnitService
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.core.pagination import decode_cursor, encode_cursor
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations import access
from vardnav.organizations.actions.listings import do_end_listing, do_list_person
from vardnav.organizations.actions.providers import do_update_provider
from vardnav.organizations.actions.roles import do_grant_role, do_revoke_role
from vardnav.organizations.actions.staff import STAFF_EDITABLE_FIELDS, do_create_staff, do_update_staff
from vardnav.organizations.actions.units import (
    do_activate_eservices,
    do_create_unit,
    do_deactivate_eservices,
    do_set_other_information,
    do_update_unit,
)
from vardnav.organizations.checks import check_required_text
from vardnav.organizations.forms import (
    ITEM_TYPE_LABELS,
    EditStaffForm,
    GrantRoleForm,
    ItemForm,
    NewListingForm,
    NewServiceForm,
    NewStaffForm,
    NewUnitForm,
    OpeningHoursForm,
    OtherInformationForm,
    ProviderPoliciesForm,
    QuestionnaireTitleForm,
    ServiceDetailsForm,
    UnitDetailsForm,
    UnitServicesForm,
)
from vardnav.organizations.models import CareProvider, Listing, Role, ServiceOffering, Staff, Unit, UnitKind
from vardnav.people.actions import do_sync_person_from_register
from vardnav.prescriptions.actions import do_set_renewal_policy, get_renewal_policy

SAVED_SESSION_KEY = "settings-saved"


def _posted(request: StaffRequest) -> Any:
    """The POSTed data, also when it is empty (every box unticked), or None on a GET."""
    return request.POST if request.method == "POST" else None


def _forbidden(request: StaffRequest) -> HttpResponse:
    return render(request, "organizations/settings/forbidden.html", {}, status=403)


def _settings_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
    """Staff who keep settings only (provider administrators, heads of unit); a 403 page for other staff."""

    def wrapper(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.may_keep_settings(request.actor):
            return _forbidden(request)
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            return _forbidden(request)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return staff_required(wrapper)


def _saved(request: StaffRequest, message: str, to: str) -> HttpResponse:
    """After a change: back to a page that says what was saved (once), in its status region."""
    request.session[SAVED_SESSION_KEY] = message
    return redirect(to)


def _context(request: StaffRequest, **extra: Any) -> dict[str, Any]:
    return {"saved": request.session.pop(SAVED_SESSION_KEY, ""), "submission_key": uuid.uuid4().hex, **extra}


def _once(request: StaffRequest, operation: str, payload: dict[str, Any], perform: Callable[[], object]) -> None:
    """Run a change once per form key: a double click or a resubmitted page does not add a question twice."""

    def outcome() -> tuple[int, dict[str, Any]]:
        perform()
        return 200, {}

    key = check_idempotency_key(request.POST.get("submission_key") or None)
    run_idempotent(request.actor, key, operation, payload, outcome)


# The settings area's frame, for the settings pages other apps add (integrations' tokens).
settings_page = _settings_page
settings_context = _context
saved_redirect = _saved
run_once = _once


# --- the hub --------------------------------------------------------------------------------


@never_cache
@require_GET
@_settings_page
def home(request: StaffRequest) -> HttpResponse:
    units = list(access.administered_units(request.actor))
    is_provider_admin = request.staff.is_provider_admin
    return render(
        request,
        "organizations/settings/home.html",
        _context(
            request,
            units=units,
            provider=request.staff.provider if is_provider_admin else None,
        ),
    )


# --- a unit -----------------------------------------------------------------------------------


@never_cache
@require_GET
@_settings_page
def unit(request: StaffRequest, unit_id: int) -> HttpResponse:
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    return render(request, "organizations/settings/unit.html", _context(request, unit=the_unit))


def _staff_choices(the_unit: Unit) -> list[tuple[str, str]]:
    return [
        (str(member.pk), f"{member.surname}, {member.given_name} ({member.get_profession_display().lower()})")
        for member in access.grantable_staff(the_unit)
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def roles(request: StaffRequest, unit_id: int) -> HttpResponse:
    """ORG-4: who holds which role at the unit; give a role, take one away."""
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    choices = _staff_choices(the_unit)
    form = GrantRoleForm(_posted(request), staff_choices=choices)
    if request.method == "POST" and form.is_valid():
        staff_id, role = form.cleaned_data["staff"], form.cleaned_data["role"]
        if not staff_id:
            form.add_error("staff", _("Välj vem som ska få rollen."))
        if not role:
            form.add_error("role", _("Välj vilken roll medarbetaren ska få."))
        if not form.errors:
            member = access.provider_staff(the_unit.provider_id, int(staff_id))
            if member is None:
                raise Http404
            try:
                _once(
                    request,
                    "settings.grant_role",
                    {"unit": the_unit.pk, "staff": member.pk, "role": role},
                    lambda: do_grant_role(request.actor, staff=member, unit=the_unit, role=role),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                message = _("%(name)s har fått rollen %(role)s.") % {
                    "name": f"{member.given_name} {member.surname}",
                    "role": str(Role(role).label).lower(),
                }
                return _saved(request, message, reverse("staffsettings:roles", args=[the_unit.pk]))
    grants = list(access.unit_role_grants(the_unit))
    return render(
        request,
        "organizations/settings/roles.html",
        _context(request, unit=the_unit, form=form, grants=grants, revoke_error=""),
        status=422 if form.errors else 200,
    )


@require_POST
@_settings_page
def revoke_role(request: StaffRequest, unit_id: int, grant_id: int) -> HttpResponse:
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    grant = access.access_unit_role_grant(the_unit, grant_id)
    try:
        do_revoke_role(request.actor, grant)
    except DomainError as error:
        form = GrantRoleForm(staff_choices=_staff_choices(the_unit))
        return render(
            request,
            "organizations/settings/roles.html",
            _context(
                request,
                unit=the_unit,
                form=form,
                grants=list(access.unit_role_grants(the_unit)),
                revoke_error=" ".join(error_lines(error)),
            ),
            status=422,
        )
    message = _("%(name)s har inte längre rollen %(role)s.") % {
        "name": f"{grant.staff.given_name} {grant.staff.surname}",
        "role": str(Role(grant.role).label).lower(),
    }
    return _saved(request, message, reverse("staffsettings:roles", args=[the_unit.pk]))


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def other_information(request: StaffRequest, unit_id: int) -> HttpResponse:
    """ORG-5: the rich-text editor (vendored Quill, exactly the rule's toolbar); the server sanitises what it saves.

    The preview shows only the saved text, as the unit page will show it.
    """
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    form = OtherInformationForm(_posted(request), initial={"other_information_html": the_unit.other_information_html})
    if request.method == "POST" and form.is_valid():
        try:
            do_set_other_information(request.actor, the_unit, form.cleaned_data["other_information_html"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request, _("Övrig information är sparad."), reverse("staffsettings:other_information", args=[unit_id])
            )
    # Saved text only: it was sanitised to the editor's allow-list when it was saved (ORG-5).
    preview = mark_safe(the_unit.other_information_html)  # noqa: S308
    return render(
        request,
        "organizations/settings/other_information.html",
        _context(request, unit=the_unit, form=form, preview=preview),
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def opening_hours(request: StaffRequest, unit_id: int) -> HttpResponse:
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    form = OpeningHoursForm(_posted(request), rows=the_unit.opening_hours)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_unit(request.actor, the_unit, opening_hours=form.rows())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request, _("Öppettiderna är sparade."), reverse("staffsettings:opening_hours", args=[unit_id])
            )
    return render(
        request,
        "organizations/settings/opening_hours.html",
        _context(request, unit=the_unit, form=form),
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def unit_services(request: StaffRequest, unit_id: int) -> HttpResponse:
    """ORG-2: a unit of a per-unit provider chooses its e-services, and where residents may attach files (ATT-4)."""
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    per_unit = the_unit.provider.service_offering == ServiceOffering.PER_UNIT
    services = list(Service.objects.filter(provider_id=the_unit.provider_id, is_active=True).order_by("name", "pk"))
    offerings = {o.service_id: o for o in UnitService.objects.filter(unit=the_unit)}
    choices = [(str(service.pk), service.name) for service in services]
    initial = {
        "offered": [str(pk) for pk in offerings],
        "attachments": [str(pk) for pk, offering in offerings.items() if offering.attachments_allowed],
    }
    form = UnitServicesForm(_posted(request), service_choices=choices, initial=initial)
    if request.method == "POST" and per_unit and form.is_valid():
        offered = {int(pk) for pk in form.cleaned_data["offered"]}
        with_files = {int(pk) for pk in form.cleaned_data["attachments"]}
        try:
            for service in services:
                if service.pk in offered:
                    current = offerings.get(service.pk)
                    wanted = service.pk in with_files
                    if current is None or current.attachments_allowed != wanted:
                        do_offer_service(request.actor, the_unit, service, attachments_allowed=wanted)
                elif service.pk in offerings:
                    do_withdraw_service(request.actor, the_unit, service)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request,
                _("Mottagningens e-tjänster är sparade."),
                reverse("staffsettings:unit_services", args=[unit_id]),
            )
    return render(
        request,
        "organizations/settings/unit_services.html",
        _context(request, unit=the_unit, form=form, per_unit=per_unit, services=services),
        status=422 if form.errors else 200,
    )


# --- a unit's listed residents (listning) ----------------------------------------------------------


def listing_row(listing: Listing) -> dict[str, Any]:
    """What the unit's administrators see of a listed resident: name (not for protected identity,
    PRIV-1) and the personal number with its last four digits hidden."""
    person = listing.person
    return {
        "listing": listing,
        "name": "" if person.protected_identity else person.full_name,
        "protected": person.protected_identity,
        "number": f"{person.personal_number[:8]}-****",
    }


def listings_page(the_unit: Unit, after: str | None) -> tuple[list[Listing], str]:
    """One page of the unit's current listings and the cursor of the next page ("" on the last); page and API."""
    rows = access.unit_listings(the_unit, decode_cursor(after))
    more = len(rows) > access.LISTINGS_PAGE_SIZE
    rows = rows[: access.LISTINGS_PAGE_SIZE]
    return rows, encode_cursor(rows[-1].listed_at, rows[-1].pk) if more else ""


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def listings(request: StaffRequest, unit_id: int) -> HttpResponse:
    """The residents listed at a vårdcentral: list one by personal number, end a listing (ORG-4's unit head too)."""
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    is_primary_care = the_unit.kind == UnitKind.PRIMARY_CARE
    form = NewListingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            number = check_required_text(
                form.cleaned_data["personal_number"], field="personal_number", label=_("Personnummer"), max_length=20
            )
            person = do_sync_person_from_register(number)
            do_list_person(request.actor, person, the_unit)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request, _("Invånaren är listad på mottagningen."), reverse("staffsettings:listings", args=[unit_id])
            )
    try:
        listings_shown, cursor = listings_page(the_unit, request.GET.get("after"))
    except DomainError:
        raise Http404 from None
    rows = [listing_row(listing) for listing in listings_shown]
    return render(
        request,
        "organizations/settings/listings.html",
        _context(request, unit=the_unit, form=form, rows=rows, cursor=cursor, is_primary_care=is_primary_care),
        status=422 if form.errors else 200,
    )


@require_POST
@_settings_page
def end_listing(request: StaffRequest, unit_id: int, listing_id: int) -> HttpResponse:
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    do_end_listing(request.actor, access.access_unit_listing(the_unit, listing_id))
    return _saved(request, _("Listningen är avslutad."), reverse("staffsettings:listings", args=[unit_id]))


# --- the provider ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def policies(request: StaffRequest) -> HttpResponse:
    """The provider's policies, including RX-5's narcotics renewal policy (provider administrators only)."""
    provider = access.access_administered_provider(request.actor)
    renewal = get_renewal_policy(provider.pk)
    initial = {
        "service_offering": provider.service_offering,
        "case_retention_days": provider.case_retention_days,
        "narcotics": renewal.narcotics,
    }
    form = ProviderPoliciesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _save_policies(request, provider, data, renewal.narcotics)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(request, _("Vårdgivarens regler är sparade."), reverse("staffsettings:policies"))
    return render(
        request,
        "organizations/settings/policies.html",
        _context(request, provider=provider, form=form),
        status=422 if form.errors else 200,
    )


def _save_policies(request: StaffRequest, provider: CareProvider, data: dict[str, Any], narcotics_now: str) -> None:
    changes: dict[str, Any] = {}
    if data["service_offering"] != provider.service_offering:
        changes["service_offering"] = data["service_offering"]
    if str(data["case_retention_days"]).strip() != str(provider.case_retention_days):
        changes["case_retention_days"] = data["case_retention_days"]
    with transaction.atomic():
        if changes:
            do_update_provider(request.actor, provider, **changes)
        if data["narcotics"] != narcotics_now:
            do_set_renewal_policy(request.actor, provider, narcotics=data["narcotics"])


# --- the provider's staff and units (issue 11, item 13: no Django admin for them) ---------------------


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def staff_members(request: StaffRequest) -> HttpResponse:
    """The provider's staff, and a new staff member; roles are then given at a unit (ORG-4)."""
    provider = access.access_administered_provider(request.actor)
    form = NewStaffForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _once(
                request,
                "settings.create_staff",
                {"provider": provider.pk, **data},
                lambda: do_create_staff(
                    request.actor,
                    provider=provider,
                    hsa_id=data["hsa_id"],
                    given_name=data["given_name"],
                    surname=data["surname"],
                    profession=data["profession"],
                ),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("%(name)s är tillagd. Ge hen en roll på en mottagning under Roller.") % {
                "name": f"{data['given_name'].strip()} {data['surname'].strip()}"
            }
            return _saved(request, message, reverse("staffsettings:staff"))
    return render(
        request,
        "organizations/settings/staff.html",
        _context(request, provider=provider, form=form, members=list(access.provider_staff_list(provider.pk))),
        status=422 if form.errors else 200,
    )


# Everything the action lets a provider administrator change but the HSA-id, which is who the person is.
STAFF_EDIT_FIELDS = tuple(sorted(STAFF_EDITABLE_FIELDS - {"hsa_id"}))


def _staff_initial(member: Staff) -> dict[str, Any]:
    initial = {field: getattr(member, field) for field in STAFF_EDIT_FIELDS}
    initial["specialist_training_percent"] = (
        "" if member.specialist_training_percent is None else str(member.specialist_training_percent)
    )
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def staff_member(request: StaffRequest, staff_id: int) -> HttpResponse:
    """Change a staff member: name, profession, qualification (ORG-8), administrator, active or not."""
    provider = access.access_administered_provider(request.actor)
    member = access.provider_staff(provider.pk, staff_id)
    if member is None:
        raise Http404
    initial = _staff_initial(member)
    form = EditStaffForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        percent = str(data["specialist_training_percent"]).strip()
        data["specialist_training_percent"] = percent or None
        changes = {
            field: data[field]
            for field in STAFF_EDIT_FIELDS
            if str(data[field] or "").strip() != str(initial[field] or "")
        }
        try:
            if changes:
                do_update_staff(request.actor, member, **changes)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request,
                _("Uppgifterna om %(name)s är sparade.") % {"name": f"{member.given_name} {member.surname}"},
                reverse("staffsettings:staff"),
            )
    return render(
        request,
        "organizations/settings/staff_member.html",
        _context(request, provider=provider, member=member, form=form),
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def new_unit(request: StaffRequest) -> HttpResponse:
    """A new unit of the provider, with e-services switched on at once if the administrator wants (ORG-1)."""
    provider = access.access_administered_provider(request.actor)
    form = NewUnitForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                created = do_create_unit(
                    request.actor,
                    provider=provider,
                    name=data["name"],
                    slug=data["slug"] or data["name"],
                    hsa_id=data["hsa_id"],
                    kind=data["kind"],
                    street_address=data["street_address"],
                    postal_code=data["postal_code"],
                    city=data["city"],
                    phone=data["phone"],
                )
                if data["activate"]:
                    do_activate_eservices(request.actor, created)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request,
                _("Mottagningen %(name)s är skapad.") % {"name": created.name},
                reverse("staffsettings:unit", args=[created.pk]),
            )
    return render(
        request,
        "organizations/settings/new_unit.html",
        _context(request, provider=provider, form=form),
        status=422 if form.errors else 200,
    )


UNIT_DETAIL_FIELDS = ("name", "hsa_id", "slug", "kind", "street_address", "postal_code", "city", "phone")


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def unit_details(request: StaffRequest, unit_id: int) -> HttpResponse:
    """The unit's name, HSA-id, web address, kind, address and phone: all a provider once kept in the Django admin."""
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    initial = {field: getattr(the_unit, field) for field in UNIT_DETAIL_FIELDS}
    form = UnitDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            field: form.cleaned_data[field]
            for field in UNIT_DETAIL_FIELDS
            # A field the form did not send (an older form without the HSA-id) stays as it is.
            if field in request.POST and form.cleaned_data[field].strip() != initial[field]
        }
        try:
            if changes:
                do_update_unit(request.actor, the_unit, **changes)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request, _("Mottagningens uppgifter är sparade."), reverse("staffsettings:unit_details", args=[unit_id])
            )
    return render(
        request,
        "organizations/settings/unit_details.html",
        _context(request, unit=the_unit, form=form),
        status=422 if form.errors else 200,
    )


@require_POST
@_settings_page
def unit_activation(request: StaffRequest, unit_id: int) -> HttpResponse:
    """ORG-1: switch the unit's e-services on (with its HSA-id, free of charge) or off."""
    the_unit = access.access_unit_to_administer(request.actor, unit_id)
    try:
        if request.POST.get("active") == "1":
            do_activate_eservices(request.actor, the_unit)
            message = _("E-tjänsterna är startade på mottagningen.")
        else:
            do_deactivate_eservices(request.actor, the_unit)
            message = _("E-tjänsterna är stängda på mottagningen.")
    except DomainError as error:
        return render(
            request,
            "organizations/settings/unit.html",
            _context(request, unit=the_unit, error=" ".join(error_lines(error))),
            status=422,
        )
    return _saved(request, message, reverse("staffsettings:unit", args=[unit_id]))


# --- e-services: their details and who may use them (issue 11, items 4 and 13) ----------------------

SERVICE_DETAIL_FIELDS = (
    "name",
    "description",
    "handling_time_value",
    "handling_time_unit",
    "min_age",
    "max_age",
    "sex",
)


@never_cache
@require_GET
@_settings_page
def services(request: StaffRequest) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    return render(
        request,
        "organizations/settings/services.html",
        _context(request, provider=provider, services=list(builder.services_with_questionnaires(provider.pk))),
    )


NEW_SERVICE_INITIAL = {"handling_time_value": "2", "handling_time_unit": "working_days", "routed_role": "receiver"}


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def new_service(request: StaffRequest) -> HttpResponse:
    """A new e-service (issue 11, item 13): its kind, details and who may use it; then its questionnaire is built."""
    provider = access.access_administered_provider(request.actor)
    form = NewServiceForm(_posted(request), initial=NEW_SERVICE_INITIAL, kinds=kinds_not_yet_offered(provider.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = do_create_service(
                request.actor,
                provider,
                kind=data["kind"],
                name=data["name"],
                description=data["description"],
                handling_time_value=data["handling_time_value"],
                handling_time_unit=data["handling_time_unit"],
                routed_role=data["routed_role"],
                listing_bound=data["listing_bound"],
                min_age=data["min_age"],
                max_age=data["max_age"],
                sex=data["sex"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("E-tjänsten %(name)s är skapad. Bygg och publicera nu dess frågeformulär.") % {
                "name": created.name
            }
            return _saved(request, message, reverse("staffsettings:service", args=[created.pk]))
    return render(
        request,
        "organizations/settings/new_service.html",
        _context(request, provider=provider, form=form),
        status=422 if form.errors else 200,
    )


def _service_initial(service: Service) -> dict[str, Any]:
    initial = {field: getattr(service, field) for field in SERVICE_DETAIL_FIELDS}
    return {key: "" if value is None else value for key, value in initial.items()}


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def service_details(request: StaffRequest, service_id: int) -> HttpResponse:
    """Name, description, handling time (CASE-2) and who may use the service: ages and sex (issue 11, item 4)."""
    service = _builder_service(request, service_id)
    initial = _service_initial(service)
    form = ServiceDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            field: form.cleaned_data[field]
            for field in SERVICE_DETAIL_FIELDS
            if str(form.cleaned_data[field]).strip() != str(initial[field])
        }
        try:
            if changes:
                do_update_service(request.actor, service, **changes)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request,
                _("E-tjänsten %(name)s är sparad.") % {"name": service.name},
                reverse("staffsettings:service", args=[service_id]),
            )
    return render(
        request,
        "organizations/settings/service.html",
        _context(request, service=service, form=form),
        status=422 if form.errors else 200,
    )


# --- questionnaires (ORG-3): the builder instead of raw JSON ----------------------------------------


@never_cache
@require_GET
@_settings_page
def questionnaires(request: StaffRequest) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    services = list(builder.services_with_questionnaires(provider.pk))
    return render(
        request,
        "organizations/settings/questionnaires.html",
        _context(request, provider=provider, services=services),
    )


def _builder_service(request: StaffRequest, service_id: int) -> Service:
    provider = access.access_administered_provider(request.actor)
    return builder.provider_service(provider.pk, service_id)


def _item_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items as the builder lists them: type in words, the condition in words, and where each can move."""
    texts = {item["linkId"]: item for item in items}
    rows = []
    for position, item in enumerate(items):
        condition = ""
        for rule in item.get("enableWhen", []):
            source = texts.get(rule["question"])
            if source is None:
                continue
            if rule.get("operator") == "exists":
                template = (
                    _("Visas bara när ”%(question)s” är besvarad")
                    if rule.get("answer", True)
                    else _("Visas bara när ”%(question)s” inte är besvarad")
                )
                condition = template % {"question": source["text"]}
                continue
            answer = rule.get("answer")
            if answer is True:
                shown = _("Ja")
            elif answer is False:
                shown = _("Nej")
            else:
                shown = next((o["display"] for o in source.get("answerOption", []) if o["code"] == answer), str(answer))
            template = _("Visas bara när ”%(question)s” = %(answer)s")
            if rule.get("operator") == "!=":
                template = _("Visas bara när ”%(question)s” inte är %(answer)s")
            condition = template % {"question": source["text"], "answer": shown}
        rows.append(
            {
                "item": item,
                "number": position + 1,
                "type_label": ITEM_TYPE_LABELS.get(item["type"], item["type"]),
                "condition": condition,
                "first": position == 0,
                "last": position == len(items) - 1,
            }
        )
    return rows


def _builder_page(
    request: StaffRequest,
    service: Service,
    *,
    title_form: QuestionnaireTitleForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    state = builder.builder_state(service)
    title_form = title_form or QuestionnaireTitleForm(initial={"title": state.title})
    return render(
        request,
        "organizations/settings/builder.html",
        _context(
            request,
            service=service,
            state=state,
            rows=_item_rows(state.items),
            title_form=title_form,
            error=error,
        ),
        status=status,
    )


@never_cache
@require_GET
@_settings_page
def questionnaire(request: StaffRequest, service_id: int) -> HttpResponse:
    return _builder_page(request, _builder_service(request, service_id))


def _save(request: StaffRequest, service: Service, items: list[dict[str, Any]], title: str | None = None) -> None:
    state = builder.builder_state(service)
    do_save_questionnaire(request.actor, service, title=title if title is not None else state.title, items=items)


@require_POST
@_settings_page
def questionnaire_title(request: StaffRequest, service_id: int) -> HttpResponse:
    service = _builder_service(request, service_id)
    form = QuestionnaireTitleForm(request.POST)
    if form.is_valid():
        try:
            _save(request, service, builder.builder_state(service).items, title=form.cleaned_data["title"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _saved(
                request, _("Rubriken är sparad i utkastet."), reverse("staffsettings:questionnaire", args=[service_id])
            )
    return _builder_page(request, service, title_form=form, status=422)


def _spec(form: ItemForm) -> builder.ItemSpec:
    data = form.cleaned_data
    return builder.ItemSpec(
        type=data["type"],
        text=data["text"],
        help=data["help"],
        required=data["required"],
        options=tuple(line for line in data["options"].splitlines() if line.strip()),
        repeats=data["repeats"],
        condition=data["condition"],
    )


def _item_initial(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": item["type"],
        "text": item["text"],
        "help": item.get("help", ""),
        "required": item.get("required", False),
        "options": "\n".join(option["display"] for option in item.get("answerOption", [])),
        "repeats": item.get("repeats", False),
        "condition": builder.condition_of(item),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@_settings_page
def questionnaire_item(request: StaffRequest, service_id: int, link_id: str | None = None) -> HttpResponse:
    """Add a question at the end (link_id None) or change one; saved in the draft, never in a published version."""
    service = _builder_service(request, service_id)
    items = builder.builder_state(service).items
    position = next((index for index, item in enumerate(items) if item["linkId"] == link_id), None)
    if link_id is not None and position is None:
        raise Http404
    initial = _item_initial(items[position]) if position is not None else {"type": "string"}
    form = ItemForm(
        _posted(request),
        initial=initial,
        condition_choices=builder.condition_choices(items, before=position),
    )
    if request.method == "POST" and form.is_valid():
        spec = _spec(form)
        try:
            if position is None:
                _once(
                    request,
                    "settings.questionnaire_add_item",
                    {"service": service.pk, **form.cleaned_data},
                    lambda: _save(request, service, builder.add_item(items, spec)),
                )
            else:
                _save(request, service, builder.replace_item(items, position, spec))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Frågan är tillagd i utkastet.") if position is None else _("Frågan är ändrad i utkastet.")
            return _saved(request, message, reverse("staffsettings:questionnaire", args=[service_id]))
    return render(
        request,
        "organizations/settings/builder_item.html",
        _context(request, service=service, form=form, editing=position is not None, number=(position or 0) + 1),
        status=422 if form.errors else 200,
    )


@require_POST
@_settings_page
def questionnaire_move(request: StaffRequest, service_id: int, link_id: str) -> HttpResponse:
    service = _builder_service(request, service_id)
    items = builder.builder_state(service).items
    position = next((index for index, item in enumerate(items) if item["linkId"] == link_id), None)
    if position is None:
        raise Http404
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        _save(request, service, builder.move_item(items, position, step))
    except DomainError as error:
        return _builder_page(request, service, error=" ".join(error_lines(error)), status=422)
    message = _("Fråga %(number)s är flyttad %(direction)s.") % {
        "number": position + 1,
        "direction": _("upp") if step < 0 else _("ner"),
    }
    response = _saved(request, message, reverse("staffsettings:questionnaire", args=[service_id]))
    # Keyboard users keep their place: the moved question's own button takes focus again.
    response["Location"] += f"#fraga-{link_id}"
    return response


@require_POST
@_settings_page
def questionnaire_remove(request: StaffRequest, service_id: int, link_id: str) -> HttpResponse:
    service = _builder_service(request, service_id)
    items = builder.builder_state(service).items
    position = next((index for index, item in enumerate(items) if item["linkId"] == link_id), None)
    if position is None:
        raise Http404
    try:
        _save(request, service, builder.remove_item(items, position))
    except DomainError as error:
        return _builder_page(request, service, error=" ".join(error_lines(error)), status=422)
    return _saved(
        request, _("Frågan är borttagen ur utkastet."), reverse("staffsettings:questionnaire", args=[service_id])
    )


@never_cache
@require_GET
@_settings_page
def questionnaire_preview(request: StaffRequest, service_id: int) -> HttpResponse:
    """The working version as the resident's form shows it (nothing is sent from here)."""
    service = _builder_service(request, service_id)
    state = builder.builder_state(service)
    form = QuestionnaireForm(state.items, auto_id="preview-%s")
    return render(
        request,
        "organizations/settings/builder_preview.html",
        _context(request, service=service, state=state, form=form),
    )


@require_POST
@_settings_page
def questionnaire_publish(request: StaffRequest, service_id: int) -> HttpResponse:
    """Publish the draft as the new version; the earlier version is kept, unchanged, for its answers."""
    service = _builder_service(request, service_id)
    state = builder.builder_state(service)
    if state.draft is None:
        return _builder_page(request, service, error=_("Det finns inget utkast att publicera."), status=422)
    try:
        published = do_publish_questionnaire(request.actor, state.draft)
    except DomainError as error:
        return _builder_page(request, service, error=" ".join(error_lines(error)), status=422)
    message = _("Version %(version)s är publicerad. Nya ärenden får de här frågorna.") % {"version": published.version}
    return _saved(request, message, reverse("staffsettings:questionnaire", args=[service_id]))
