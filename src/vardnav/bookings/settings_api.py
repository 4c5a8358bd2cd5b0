"""`/api/v1/staff/bookings/settings/…`: what the booking settings pages do (issue 11, item 13).

A unit's visit types and booking settings (BOOK-1) for the provider's administrator and the unit's head
and booking admin; the provider's cut-off rules per unit kind (BOOK-3) for its administrator. The same
`do_*` actions as the pages decide who may and what is valid (problem+json with the pages' Swedish
messages); a unit the actor does not keep is the same 404 as a missing one, staff who keep none get 403.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from vardnav.bookings import access, actions
from vardnav.bookings.models import UnitBookingSettings, VisitType
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import staff_auth
from vardnav.organizations.access import access_administered_provider, acting_staff
from vardnav.organizations.models import Unit

router = Router(tags=["staff booking settings"])

UnitId = Path(..., ge=1, le=MAX_ID)
PREFIX = "/staff/bookings/settings"


def _keeper(request: ApiRequest) -> Actor:
    actor: Actor = request.auth
    staff = acting_staff(actor)
    if staff is None or not (staff.is_provider_admin or access.booking_settings_units(actor).exists()):
        raise PermissionDenied()
    return actor


def _unit(request: ApiRequest, unit_id: int) -> tuple[Actor, Unit]:
    actor = _keeper(request)
    return actor, access.access_unit_for_booking_settings(actor, unit_id)


# --- schemas (names unique across the API: BookingSettings…) --------------------------------------------


class BookingSettingsUnitOut(Schema):
    id: int
    name: str


class BookingSettingsHoursRow(Schema):
    days: str = Field(max_length=200)
    hours: str = Field(max_length=200)


class BookingSettingsOut(Schema):
    unit_id: int
    online_booking: bool
    drop_in: bool
    drop_in_hours: list[dict[str, str]]
    reminder_hours: int = Field(description="A reminder goes this many hours before the visit (0: none)")
    weeks_ahead: int = Field(description="How many weeks ahead free times are shown")


class BookingSettingsIn(Schema):
    online_booking: bool
    drop_in: bool
    drop_in_hours: list[BookingSettingsHoursRow] = Field(default_factory=list, max_length=50)
    reminder_hours: int = Field(ge=0, le=10_000)
    weeks_ahead: int = Field(ge=0, le=10_000)


class BookingSettingsVisitTypeOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    duration_minutes: int
    profession: str
    minimum_age_months: int
    online_bookable: bool
    is_active: bool


class BookingSettingsVisitTypeIn(Schema):
    kind: str = Field(max_length=40)
    name: str = Field(max_length=500)
    name_en: str = Field("", max_length=500)
    duration_minutes: int = Field(ge=0, le=10_000)
    profession: str = Field(max_length=40)
    minimum_age_months: int = Field(0, ge=0, le=10_000)
    online_bookable: bool = True
    is_active: bool = True


class BookingSettingsVisitTypePatch(Schema):
    name: str | None = Field(None, max_length=500)
    name_en: str | None = Field(None, max_length=500)
    duration_minutes: int | None = Field(None, ge=0, le=10_000)
    profession: str | None = Field(None, max_length=40)
    minimum_age_months: int | None = Field(None, ge=0, le=10_000)
    online_bookable: bool | None = None
    is_active: bool | None = Field(None, description="false: residents no longer see it (never deleted)")


class BookingSettingsPolicyOut(Schema):
    unit_kind: str
    notice_hours: int
    counting: str = Field(description="hours, or working_days (one whole weekday per 24 hours)")
    is_default: bool


class BookingSettingsPolicyIn(Schema):
    notice_hours: int = Field(ge=0, le=10_000)
    counting: str = Field("hours", max_length=40)


def _settings(settings: UnitBookingSettings) -> dict[str, Any]:
    return {
        "unit_id": settings.unit_id,
        "online_booking": settings.online_booking,
        "drop_in": settings.drop_in,
        "drop_in_hours": settings.drop_in_hours,
        "reminder_hours": settings.reminder_hours,
        "weeks_ahead": settings.weeks_ahead,
    }


def _policies(provider_id: int) -> list[dict[str, Any]]:
    return [
        {
            "unit_kind": row.unit_kind,
            "notice_hours": row.notice_hours,
            "counting": row.counting,
            "is_default": row.is_default,
        }
        for row in access.provider_policies(provider_id)
    ]


# --- units ------------------------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/units",
    response=list[BookingSettingsUnitOut],
    auth=staff_auth,
    summary="Units whose visit types and booking settings I keep",
)
def booking_settings_units(request: ApiRequest) -> list[Unit]:
    return list(access.booking_settings_units(_keeper(request)))


@router.get(
    f"{PREFIX}/units/{{unit_id}}",
    response=BookingSettingsOut,
    auth=staff_auth,
    summary="The unit's booking settings (BOOK-1)",
)
def booking_settings(request: ApiRequest, unit_id: int = UnitId) -> dict[str, Any]:
    _actor, unit = _unit(request, unit_id)
    return _settings(access.booking_settings_for(unit))


@router.put(
    f"{PREFIX}/units/{{unit_id}}",
    response=BookingSettingsOut,
    auth=staff_auth,
    summary="Set the unit's booking settings: online booking, drop-in and its hours, reminders (BOOK-1)",
)
def booking_settings_set(request: ApiRequest, payload: BookingSettingsIn, unit_id: int = UnitId) -> dict[str, Any]:
    actor, unit = _unit(request, unit_id)
    saved = actions.do_set_booking_settings(
        actor,
        unit=unit,
        online_booking=payload.online_booking,
        drop_in=payload.drop_in,
        drop_in_hours=[row.dict() for row in payload.drop_in_hours],
        reminder_hours=payload.reminder_hours,
        weeks_ahead=payload.weeks_ahead,
    )
    return _settings(saved)


# --- visit types --------------------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/units/{{unit_id}}/visit-types",
    response=list[BookingSettingsVisitTypeOut],
    auth=staff_auth,
    summary="The unit's visit types, active and inactive",
)
def booking_settings_visit_types(request: ApiRequest, unit_id: int = UnitId) -> list[VisitType]:
    _actor, unit = _unit(request, unit_id)
    return list(access.unit_visit_types(unit))


@router.post(
    f"{PREFIX}/units/{{unit_id}}/visit-types",
    response={201: BookingSettingsVisitTypeOut},
    auth=staff_auth,
    summary="Add a visit type to the unit (name in Swedish and, if given, English)",
)
def booking_settings_add_visit_type(
    request: ApiRequest, payload: BookingSettingsVisitTypeIn, unit_id: int = UnitId
) -> Status[VisitType]:
    actor, unit = _unit(request, unit_id)
    return Status(201, actions.do_create_visit_type(actor, unit=unit, **payload.dict()))


@router.patch(
    f"{PREFIX}/units/{{unit_id}}/visit-types/{{visit_type_id}}",
    response=BookingSettingsVisitTypeOut,
    auth=staff_auth,
    summary="Change a visit type, or make it inactive (a visit type is never deleted)",
)
def booking_settings_change_visit_type(
    request: ApiRequest,
    payload: BookingSettingsVisitTypePatch,
    unit_id: int = UnitId,
    visit_type_id: int = Path(..., ge=1, le=MAX_ID),
) -> VisitType:
    actor, unit = _unit(request, unit_id)
    visit_type = access.access_unit_visit_type(unit, visit_type_id)
    return actions.do_update_visit_type(actor, visit_type, **payload.dict(exclude_none=True))


# --- the provider's cut-off rules (BOOK-3) ------------------------------------------------------------------


@router.get(
    f"{PREFIX}/cancellation-policies",
    response=list[BookingSettingsPolicyOut],
    auth=staff_auth,
    summary="The provider's cut-off for digital cancellation and rebooking, per unit kind (BOOK-3)",
)
def booking_settings_policies(request: ApiRequest) -> list[dict[str, Any]]:
    return _policies(access_administered_provider(_keeper(request)).pk)


@router.put(
    f"{PREFIX}/cancellation-policies/{{unit_kind}}",
    response=BookingSettingsPolicyOut,
    auth=staff_auth,
    summary="Set the provider's cut-off for one unit kind, in hours or whole weekdays (BOOK-3)",
)
def booking_settings_set_policy(
    request: ApiRequest, payload: BookingSettingsPolicyIn, unit_kind: str = Path(..., max_length=40)
) -> dict[str, Any]:
    actor = _keeper(request)
    provider = access_administered_provider(actor)
    policy = actions.do_set_cancellation_policy(
        actor, provider=provider, unit_kind=unit_kind, notice_hours=payload.notice_hours, counting=payload.counting
    )
    return {
        "unit_kind": policy.unit_kind,
        "notice_hours": policy.notice_hours,
        "counting": policy.counting,
        "is_default": False,
    }
