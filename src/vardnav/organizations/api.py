"""The organizations app's part of /api/v1 (registered in vardnav/api/main.py).

`/api/v1/staff/settings/…`: what the staff settings area's pages do (issue 11,
item 13), for provider administrators and heads of unit. The same `do_*`
actions as the pages decide who may and what is valid; a unit or service the
actor does not keep is the same 404 as a missing one, and staff who keep no
settings get 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from vardnav.catalog import builder
from vardnav.catalog.actions import (
    do_create_service,
    do_publish_questionnaire,
    do_save_questionnaire,
    do_update_service,
)
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, Service
from vardnav.core.actor import Actor
from vardnav.core.errors import CoreError, DomainError, NotFound, PermissionDenied
from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import staff_auth
from vardnav.organizations import access
from vardnav.organizations.actions.listings import do_end_listing, do_list_person
from vardnav.organizations.actions.providers import do_update_provider
from vardnav.organizations.actions.roles import do_grant_role, do_revoke_role
from vardnav.organizations.actions.staff import do_create_staff, do_update_staff
from vardnav.organizations.actions.units import do_set_other_information, do_update_unit
from vardnav.organizations.checks import check_required_text
from vardnav.organizations.models import CareProvider, Listing, RoleGrant, Staff, Unit
from vardnav.organizations.staff_views import listing_row, listings_page
from vardnav.people.actions import do_sync_person_from_register
from vardnav.prescriptions.actions import do_set_renewal_policy, get_renewal_policy

router = Router(tags=["staff settings"])

UnitId = Path(..., ge=1, le=MAX_ID)


def _keeper(request: ApiRequest) -> Actor:
    """Provider administrators and heads of unit only (the settings area's rule)."""
    if not access.may_keep_settings(request.auth):
        raise PermissionDenied()
    actor: Actor = request.auth
    return actor


def _provider(request: ApiRequest) -> CareProvider:
    return access.access_administered_provider(_keeper(request))


def _service(request: ApiRequest, service_id: int) -> Service:
    return builder.provider_service(_provider(request).pk, service_id)


# --- schemas (names unique across the API: Settings…) ----------------------------------------------


class SettingsUnitOut(Schema):
    id: int
    name: str
    kind: str
    hsa_id: str
    eservices_active: bool
    other_information_html: str
    opening_hours: list[dict[str, str]]


class SettingsRoleOut(Schema):
    id: int
    staff_id: int
    staff_name: str
    role: str
    role_label: str
    granted_at: dt.datetime


class SettingsRoleIn(Schema):
    staff_id: int = Field(..., ge=1, le=MAX_ID)
    role: str = Field(..., max_length=40)


class SettingsOtherInformationIn(Schema):
    html: str = Field(..., max_length=100_000)


class SettingsOpeningHoursRow(Schema):
    days: str = Field(..., max_length=60)
    hours: str = Field(..., max_length=60)


class SettingsOpeningHoursIn(Schema):
    rows: list[SettingsOpeningHoursRow] = Field(..., max_length=7)


class SettingsServiceOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    handling_time_value: int
    handling_time_unit: str
    min_age: int | None
    max_age: int | None
    sex: str
    listing_bound: bool
    is_active: bool


class SettingsServicePatch(Schema):
    """Omitted fields stay; null removes an age limit; "" for sex means everyone."""

    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    handling_time_value: int | None = Field(None, ge=0, le=10_000)
    handling_time_unit: str | None = Field(None, max_length=20)
    min_age: int | None = Field(None, ge=-1, le=1000)
    max_age: int | None = Field(None, ge=-1, le=1000)
    sex: str | None = Field(None, max_length=10)


class SettingsServiceIn(Schema):
    """A new e-service; omitted fields take the defaults (the kind's name, 2 working days, the receivers)."""

    kind: str = Field(..., max_length=40)
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    handling_time_value: int = Field(2, ge=0, le=10_000)
    handling_time_unit: str = Field("working_days", max_length=20)
    routed_role: str = Field("receiver", max_length=20)
    listing_bound: bool = False
    min_age: int | None = Field(None, ge=-1, le=1000)
    max_age: int | None = Field(None, ge=-1, le=1000)
    sex: str = Field("", max_length=10)


class SettingsQuestionnaireVersionOut(Schema):
    version: int
    status: str
    title: str
    items: list[dict[str, Any]]
    published_at: dt.datetime | None


class SettingsQuestionnaireOut(Schema):
    service_id: int
    draft: SettingsQuestionnaireVersionOut | None
    published: SettingsQuestionnaireVersionOut | None


class SettingsQuestionnaireIn(Schema):
    title: str = Field(..., max_length=500)
    items: list[dict[str, Any]] = Field(..., max_length=200)


class SettingsPoliciesOut(Schema):
    service_offering: str
    case_retention_days: int
    narcotics: str


class SettingsPoliciesPatch(Schema):
    service_offering: str | None = Field(None, max_length=20)
    case_retention_days: int | None = Field(None, ge=-1, le=100_000)
    narcotics: str | None = Field(None, max_length=20)


class SettingsStaffOut(Schema):
    id: int
    given_name: str
    surname: str
    hsa_id: str
    profession: str
    qualification: str
    specialist_training_percent: int | None
    is_provider_admin: bool
    is_active: bool


class SettingsStaffPatch(Schema):
    """Omitted fields stay. ORG-8: qualification "specialist", "in_training" (with a percent) or "other"."""

    given_name: str | None = Field(None, max_length=200)
    surname: str | None = Field(None, max_length=200)
    profession: str | None = Field(None, max_length=40)
    qualification: str | None = Field(None, max_length=40)
    specialist_training_percent: int | None = Field(None, ge=-1, le=1000)
    is_provider_admin: bool | None = None
    is_active: bool | None = None


class SettingsUnitPatch(Schema):
    """Omitted fields stay; slug is the last part of the unit page's web address."""

    name: str | None = Field(None, max_length=300)
    hsa_id: str | None = Field(None, max_length=64)
    slug: str | None = Field(None, max_length=100)
    kind: str | None = Field(None, max_length=40)
    street_address: str | None = Field(None, max_length=300)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=60)


class SettingsListingOut(Schema):
    id: int
    name: str = Field(description="Empty for a resident with protected identity")
    protected_identity: bool
    personal_number_masked: str
    listed_at: dt.datetime


class SettingsListingsOut(Schema):
    items: list[SettingsListingOut]
    next: str | None = Field(description="Cursor for the next page (pass as after=)")


class SettingsListingIn(Schema):
    personal_number: str = Field(..., max_length=20)


class SettingsStaffIn(Schema):
    given_name: str = Field(..., max_length=200)
    surname: str = Field(..., max_length=200)
    hsa_id: str = Field(..., max_length=64)
    profession: str = Field(..., max_length=40)


def _unit(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "kind": unit.kind,
        "hsa_id": unit.hsa_id,
        "eservices_active": unit.eservices_active,
        "other_information_html": unit.other_information_html,
        "opening_hours": unit.opening_hours or [],
    }


def _role(grant: RoleGrant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "staff_id": grant.staff_id,
        "staff_name": f"{grant.staff.given_name} {grant.staff.surname}",
        "role": grant.role,
        "role_label": str(grant.get_role_display()),
        "granted_at": grant.granted_at,
    }


def _version(questionnaire: Questionnaire | None) -> dict[str, Any] | None:
    if questionnaire is None:
        return None
    return {
        "version": questionnaire.version,
        "status": questionnaire.status,
        "title": questionnaire.title,
        "items": questionnaire.items,
        "published_at": questionnaire.published_at,
    }


def _questionnaires(service: Service) -> dict[str, Any]:
    state = builder.builder_state(service)
    return {"service_id": service.pk, "draft": _version(state.draft), "published": _version(state.published)}


def _policies(provider: CareProvider) -> dict[str, Any]:
    return {
        "service_offering": provider.service_offering,
        "case_retention_days": provider.case_retention_days,
        "narcotics": get_renewal_policy(provider.pk).narcotics,
    }


def _staff(member: Staff) -> dict[str, Any]:
    return {
        "id": member.pk,
        "given_name": member.given_name,
        "surname": member.surname,
        "hsa_id": member.hsa_id,
        "profession": member.profession,
        "qualification": member.qualification,
        "specialist_training_percent": member.specialist_training_percent,
        "is_provider_admin": member.is_provider_admin,
        "is_active": member.is_active,
    }


def _listing(listing: Listing) -> dict[str, Any]:
    row = listing_row(listing)
    return {
        "id": listing.pk,
        "name": row["name"],
        "protected_identity": row["protected"],
        "personal_number_masked": row["number"],
        "listed_at": listing.listed_at,
    }


# --- units --------------------------------------------------------------------------------------


@router.get(
    "/staff/settings/units", response=list[SettingsUnitOut], auth=staff_auth, summary="Units whose settings I keep"
)
def settings_units(request: ApiRequest) -> list[dict[str, Any]]:
    return [_unit(unit) for unit in access.administered_units(_keeper(request))]


@router.get(
    "/staff/settings/units/{unit_id}/roles",
    response=list[SettingsRoleOut],
    auth=staff_auth,
    summary="Who holds which role at the unit (ORG-4)",
)
def settings_roles(request: ApiRequest, unit_id: int = UnitId) -> list[dict[str, Any]]:
    unit = access.access_unit_to_administer(_keeper(request), unit_id)
    return [_role(grant) for grant in access.unit_role_grants(unit)]


@router.post(
    "/staff/settings/units/{unit_id}/roles",
    response={201: SettingsRoleOut},
    auth=staff_auth,
    summary="Give a staff member a role at the unit (ORG-4)",
)
def settings_grant_role(request: ApiRequest, payload: SettingsRoleIn, unit_id: int = UnitId) -> Status[dict[str, Any]]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    member = access.provider_staff(unit.provider_id, payload.staff_id)
    if member is None:
        raise NotFound()
    grant = do_grant_role(actor, staff=member, unit=unit, role=payload.role)
    return Status(201, _role(access.access_unit_role_grant(unit, grant.pk)))


@router.delete(
    "/staff/settings/units/{unit_id}/roles/{grant_id}",
    response={204: None},
    auth=staff_auth,
    summary="Take a role away (ORG-4)",
)
def settings_revoke_role(
    request: ApiRequest, unit_id: int = UnitId, grant_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[None]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    do_revoke_role(actor, access.access_unit_role_grant(unit, grant_id))
    return Status(204, None)


@router.put(
    "/staff/settings/units/{unit_id}/other-information",
    response=SettingsUnitOut,
    auth=staff_auth,
    summary="Set the unit's Övrig information (ORG-5: sanitised to the editor's allow-list)",
)
def settings_other_information(
    request: ApiRequest, payload: SettingsOtherInformationIn, unit_id: int = UnitId
) -> dict[str, Any]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    return _unit(do_set_other_information(actor, unit, payload.html))


@router.put(
    "/staff/settings/units/{unit_id}/opening-hours",
    response=SettingsUnitOut,
    auth=staff_auth,
    summary="Set the unit's opening hours",
)
def settings_opening_hours(
    request: ApiRequest, payload: SettingsOpeningHoursIn, unit_id: int = UnitId
) -> dict[str, Any]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    rows = [{"days": row.days.strip(), "hours": row.hours.strip()} for row in payload.rows]
    return _unit(do_update_unit(actor, unit, opening_hours=rows))


@router.patch(
    "/staff/settings/units/{unit_id}",
    response=SettingsUnitOut,
    auth=staff_auth,
    summary="Change the unit's name, HSA-id, web address, kind, address or phone",
)
def settings_change_unit(request: ApiRequest, payload: SettingsUnitPatch, unit_id: int = UnitId) -> dict[str, Any]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    changes = {field: value for field, value in payload.dict(exclude_unset=True).items() if value is not None}
    return _unit(do_update_unit(actor, unit, **changes))


@router.get(
    "/staff/settings/units/{unit_id}/listings",
    response=SettingsListingsOut,
    auth=staff_auth,
    summary="Residents listed at the unit now, newest first (keyset-paginated)",
)
def settings_listings(request: ApiRequest, unit_id: int = UnitId, after: str | None = None) -> dict[str, Any]:
    unit = access.access_unit_to_administer(_keeper(request), unit_id)
    rows, cursor = listings_page(unit, after)
    return {"items": [_listing(listing) for listing in rows], "next": cursor or None}


@router.post(
    "/staff/settings/units/{unit_id}/listings",
    response={201: SettingsListingOut},
    auth=staff_auth,
    summary="List a resident at the unit by personal number (from the population register)",
)
def settings_add_listing(
    request: ApiRequest, payload: SettingsListingIn, unit_id: int = UnitId
) -> Status[dict[str, Any]]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    number = check_required_text(
        payload.personal_number, field="personal_number", label=_("Personnummer"), max_length=20
    )
    try:
        person = do_sync_person_from_register(number)
    except DomainError as error:
        if error.code is CoreError.INVALID_PERSONAL_NUMBER:
            # Well-formed text that is no valid personnummer: a domain rule no schema states, so 400, not 422.
            error.status = 400
        raise
    listing = do_list_person(actor, person, unit)
    return Status(201, _listing(listing))


@router.delete(
    "/staff/settings/units/{unit_id}/listings/{listing_id}",
    response={204: None},
    auth=staff_auth,
    summary="End a listing at the unit",
)
def settings_end_listing(
    request: ApiRequest, unit_id: int = UnitId, listing_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[None]:
    actor = _keeper(request)
    unit = access.access_unit_to_administer(actor, unit_id)
    do_end_listing(actor, access.access_unit_listing(unit, listing_id))
    return Status(204, None)


# --- the provider: staff, policies, e-services and questionnaires ----------------------------------


@router.get("/staff/settings/staff", response=list[SettingsStaffOut], auth=staff_auth, summary="The provider's staff")
def settings_staff(request: ApiRequest) -> list[dict[str, Any]]:
    return [_staff(member) for member in access.provider_staff_list(_provider(request).pk)]


@router.post("/staff/settings/staff", response={201: SettingsStaffOut}, auth=staff_auth, summary="Add a staff member")
def settings_add_staff(request: ApiRequest, payload: SettingsStaffIn) -> Status[dict[str, Any]]:
    provider = _provider(request)
    member = do_create_staff(
        request.auth,
        provider=provider,
        hsa_id=payload.hsa_id,
        given_name=payload.given_name,
        surname=payload.surname,
        profession=payload.profession,
    )
    return Status(201, _staff(member))


@router.patch(
    "/staff/settings/staff/{staff_id}",
    response=SettingsStaffOut,
    auth=staff_auth,
    summary="Change a staff member: name, profession, qualification (ORG-8), administrator, active",
)
def settings_change_staff(
    request: ApiRequest, payload: SettingsStaffPatch, staff_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    provider = _provider(request)
    member = access.provider_staff(provider.pk, staff_id)
    if member is None:
        raise NotFound()
    changes = payload.dict(exclude_unset=True)
    for field in ("given_name", "surname", "profession", "qualification", "is_provider_admin", "is_active"):
        if field in changes and changes[field] is None:
            del changes[field]  # these have no "none": null leaves them as they are
    return _staff(do_update_staff(request.auth, member, **changes))


@router.get(
    "/staff/settings/policies", response=SettingsPoliciesOut, auth=staff_auth, summary="The provider's policies"
)
def settings_policies(request: ApiRequest) -> dict[str, Any]:
    return _policies(_provider(request))


@router.patch(
    "/staff/settings/policies",
    response=SettingsPoliciesOut,
    auth=staff_auth,
    summary="Change the provider's policies (ORG-2, CASE-8, RX-5)",
)
def settings_change_policies(request: ApiRequest, payload: SettingsPoliciesPatch) -> dict[str, Any]:
    provider = _provider(request)
    changes = payload.dict(exclude_unset=True)
    narcotics = changes.pop("narcotics", None)
    with transaction.atomic():
        if changes:
            do_update_provider(request.auth, provider, **changes)
        if narcotics is not None:
            do_set_renewal_policy(request.auth, provider, narcotics=narcotics)
    return _policies(provider)


@router.get(
    "/staff/settings/services",
    response=list[SettingsServiceOut],
    auth=staff_auth,
    summary="The provider's e-services with their details",
)
def settings_services(request: ApiRequest) -> list[Service]:
    return list(builder.services_with_questionnaires(_provider(request).pk))


@router.post(
    "/staff/settings/services",
    response={201: SettingsServiceOut},
    auth=staff_auth,
    summary="Add an e-service (no questionnaire yet: build and publish it, then switch it on at units)",
)
def settings_add_service(request: ApiRequest, payload: SettingsServiceIn) -> Status[Service]:
    return Status(201, do_create_service(request.auth, _provider(request), **payload.dict()))


@router.patch(
    "/staff/settings/services/{service_id}",
    response=SettingsServiceOut,
    auth=staff_auth,
    summary="Change an e-service's name, description, handling time or who may use it (ages, sex)",
)
def settings_change_service(
    request: ApiRequest, payload: SettingsServicePatch, service_id: int = Path(..., ge=1, le=MAX_ID)
) -> Service:
    service = _service(request, service_id)
    changes = payload.dict(exclude_unset=True)
    if "sex" in changes and changes["sex"] is None:
        changes["sex"] = ""
    for field in ("name", "description", "handling_time_value", "handling_time_unit"):
        if field in changes and changes[field] is None:
            del changes[field]  # these have no "none": null leaves them as they are
    return do_update_service(request.auth, service, **changes)


@router.get(
    "/staff/settings/services/{service_id}/questionnaire",
    response=SettingsQuestionnaireOut,
    auth=staff_auth,
    summary="The e-service's draft and published questionnaire (ORG-3)",
)
def settings_questionnaire(request: ApiRequest, service_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _questionnaires(_service(request, service_id))


@router.put(
    "/staff/settings/services/{service_id}/questionnaire",
    response=SettingsQuestionnaireOut,
    auth=staff_auth,
    summary="Save the draft (items as FHIR Questionnaire.item, enableWhen for conditions)",
)
def settings_save_questionnaire(
    request: ApiRequest, payload: SettingsQuestionnaireIn, service_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    service = _service(request, service_id)
    do_save_questionnaire(request.auth, service, title=payload.title, items=payload.items)
    return _questionnaires(service)


@router.post(
    "/staff/settings/services/{service_id}/questionnaire/publish",
    response=SettingsQuestionnaireOut,
    auth=staff_auth,
    summary="Publish the draft as the new version (ORG-3)",
)
def settings_publish_questionnaire(request: ApiRequest, service_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    service = _service(request, service_id)
    draft = builder.builder_state(service).draft
    if draft is None:
        raise CatalogError.NOT_A_DRAFT.error()
    do_publish_questionnaire(request.auth, draft)
    return _questionnaires(service)
