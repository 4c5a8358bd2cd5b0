"""Bookings in /api/v1/bookings: free times, booking, my bookings, cancelling, rebooking.

The same actions as the pages. Booking and rebooking take an Idempotency-Key:
a retried request replays the first answer and books nothing twice. The
cancellation code is in the first answer only (it is stored nowhere in
clear, so a replay cannot repeat it; it is also in the confirmation e-mail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status

from vardnav.bookings import access, actions, letters
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, Slot, SummonsLetter, VisitType, WaitingListEntry
from vardnav.bookings.ratelimits import check_cancel_code_rate
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import NotFound
from vardnav.core.http import ApiRequest, pdf_download
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.identity.session import get_actor
from vardnav.organizations.access import access_unit
from vardnav.organizations.models import Staff

router = Router(tags=["bookings"])


class VisitTypeOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str = Field(description="The name in English; empty when the unit gave none (show `name`)")
    duration_minutes: int
    profession: str
    minimum_age_months: int


class UnitBookingOut(Schema):
    unit_id: int
    online_booking: bool
    drop_in: bool
    drop_in_hours: list[dict[str, str]]
    visit_types: list[VisitTypeOut]


class FreeTimeOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class FreeTimePageOut(Schema):
    items: list[FreeTimeOut]
    next_cursor: str | None


class BookIn(Schema):
    slot_id: int = Field(ge=1, le=MAX_ID)
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="A child under 16; leave out to book for yourself")


class RebookIn(Schema):
    slot_id: int = Field(ge=1, le=MAX_ID)


class BookingOut(Schema):
    id: int
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    unit_id: int
    unit: str
    visit_type: str
    person_id: int
    cancellation_deadline: dt.datetime
    may_change_digitally: bool


class BookedOut(BookingOut):
    cancel_code: str | None = Field(None, description="Shown once: in the first answer only")


class MyBookingsOut(Schema):
    upcoming: list[BookingOut]
    past: list[BookingOut]


class DaySlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    visit_type: str
    staff_id: int | None
    resource: str
    booking_id: int | None


class SeriesIn(Schema):
    visit_type_id: int = Field(ge=1, le=MAX_ID)
    staff_id: int = Field(ge=1, le=MAX_ID)
    first_day: dt.date
    last_day: dt.date
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        min_length=1, max_length=7, description="0 = Monday … 6 = Sunday"
    )
    start: dt.time
    end: dt.time


class SeriesOut(Schema):
    created: int


class CancelByCodeIn(Schema):
    code: str = Field(max_length=40)


class CancelledOut(Schema):
    status: str
    starts_at: dt.datetime
    unit: str


class WaitingIn(Schema):
    visit_type_id: int = Field(ge=1, le=MAX_ID)
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="A child under 16; leave out for yourself")


class WaitingOut(Schema):
    id: int
    status: str
    visit_type_id: int
    visit_type: str
    unit: str
    person_id: int
    offered_slot_id: int | None


def _waiting(entry: WaitingListEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "status": entry.status,
        "visit_type_id": entry.visit_type_id,
        "visit_type": entry.visit_type.display_name,
        "unit": entry.visit_type.unit.name,
        "person_id": entry.person_id,
        "offered_slot_id": entry.offered_slot_id,
    }


def _booking(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "status": booking.status,
        "starts_at": booking.starts_at,
        "ends_at": booking.slot.ends_at,
        "unit_id": booking.unit_id,
        "unit": booking.unit.name,
        "visit_type": booking.visit_type.display_name,
        "person_id": booking.person_id,
        "cancellation_deadline": access.cancellation_deadline(booking),
        "may_change_digitally": access.may_change_digitally(booking),
    }


def _json(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, dt.datetime) else value for key, value in body.items()}


def _book_once(
    actor: Actor, key: str | None, payload: dict[str, Any], act: Callable[[], actions.BookingResult]
) -> Status[dict[str, Any]]:
    shown: list[str] = []

    def perform() -> tuple[int, dict[str, Any]]:
        result = act()
        shown.append(result.code)
        return 201, _json(_booking(result.booking))

    result = run_idempotent(actor, check_idempotency_key(key), "bookings.book", payload, perform)
    return Status(result.status, {**result.body, "cancel_code": shown[0] if shown and not result.replayed else None})


@router.get("/bookings/units/{unit_id}", response=UnitBookingOut, auth=None, summary="How a unit takes visits (BOOK-1)")
def unit_booking(request: ApiRequest, unit_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    unit = access_unit(unit_id)
    settings = access.booking_settings_for(unit)
    return {
        "unit_id": unit.pk,
        "online_booking": settings.online_booking,
        "drop_in": settings.drop_in,
        "drop_in_hours": settings.drop_in_hours,
        "visit_types": list(access.bookable_visit_types(unit)),
    }


@router.get(
    "/bookings/units/{unit_id}/visit-types/{visit_type_id}/free-times",
    response=FreeTimePageOut,
    auth=None,
    summary="Free times of a visit type over the coming weeks",
)
def free_times(
    request: ApiRequest,
    unit_id: int = Path(..., ge=1, le=MAX_ID),
    visit_type_id: int = Path(..., ge=1, le=MAX_ID),
    after: str | None = None,
) -> dict[str, Any]:
    visit_type = access.access_bookable_visit_type(access_unit(unit_id), visit_type_id)
    page = access.free_times(visit_type, after=after)
    items: list[Slot] = page.items
    return {
        "items": [{"id": t.pk, "starts_at": t.starts_at, "ends_at": t.ends_at} for t in items],
        "next_cursor": page.next_cursor,
    }


@router.post("/bookings", response={201: BookedOut}, auth=resident_auth, summary="Book a free time (BOOK-2)")
def book(
    request: ApiRequest, payload: BookIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    actor = request.auth
    return _book_once(
        actor,
        idempotency_key,
        payload.dict(),
        lambda: actions.do_book(actor, time_id=payload.slot_id, person_id=payload.person_id),
    )


@router.post(
    "/bookings/cancel-by-code",
    response=CancelledOut,
    auth=None,
    summary="Cancel with the cancellation code, without logging in (BOOK-2)",
)
def cancel_by_code(request: ApiRequest, payload: CancelByCodeIn) -> dict[str, Any]:
    check_cancel_code_rate(request)
    actor = getattr(request, "actor", None) or get_actor(request)
    booking = actions.do_cancel_by_code(actor, payload.code)
    return {"status": booking.status, "starts_at": booking.starts_at, "unit": booking.unit.name}


@router.get("/bookings/mine", response=MyBookingsOut, auth=resident_auth, summary="Mina bokningar")
def mine(request: ApiRequest) -> dict[str, Any]:
    listed = access.my_bookings(request.auth)
    return {"upcoming": [_booking(b) for b in listed.upcoming], "past": [_booking(b) for b in listed.past]}


@router.get("/bookings/waiting-list", response=list[WaitingOut], auth=resident_auth, summary="My waiting lists")
def my_waiting(request: ApiRequest) -> list[dict[str, Any]]:
    return [_waiting(entry) for entry in access.my_waiting_entries(request.auth)]


@router.post(
    "/bookings/waiting-list",
    response={201: WaitingOut},
    auth=resident_auth,
    summary="Be told when a time of a visit type opens",
)
def join_waiting_list(request: ApiRequest, payload: WaitingIn) -> Status[dict[str, Any]]:
    visit_type = access.access_bookable_visit_type_by_id(payload.visit_type_id)
    entry = actions.do_join_waiting_list(request.auth, visit_type=visit_type, person_id=payload.person_id)
    return Status(201, _waiting(access.access_waiting_entry(request.auth, entry.pk)))


@router.delete(
    "/bookings/waiting-list/{entry_id}", response={204: None}, auth=resident_auth, summary="Leave a waiting list"
)
def leave_waiting_list(request: ApiRequest, entry_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[None]:
    actions.do_leave_waiting_list(request.auth, access.access_waiting_entry(request.auth, entry_id))
    return Status(204, None)


@router.get("/bookings/{booking_id}", response=BookingOut, auth=resident_auth, summary="One of my bookings")
def one(request: ApiRequest, booking_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _booking(access.access_booking(request.auth, booking_id))


@router.post(
    "/bookings/{booking_id}/cancel", response=BookingOut, auth=resident_auth, summary="Cancel my booking (BOOK-3)"
)
def cancel(
    request: ApiRequest,
    booking_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> dict[str, Any]:
    """The API side of Mina bokningar and the "Avboka tid" e-service; a repeat with the same key answers the same."""
    actor = request.auth
    booking = access.access_booking(actor, booking_id)

    def perform() -> tuple[int, dict[str, Any]]:
        actions.do_cancel(actor, booking)
        return 200, _json(_booking(access.access_booking(actor, booking_id)))

    return run_idempotent(
        actor, check_idempotency_key(idempotency_key), "bookings.cancel", {"booking": booking_id}, perform
    ).body


@router.post(
    "/bookings/{booking_id}/rebook",
    response={201: BookedOut},
    auth=resident_auth,
    summary="Move my booking to another free time (BOOK-3)",
)
def rebook(
    request: ApiRequest,
    payload: RebookIn,
    booking_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    actor = request.auth
    booking = access.access_booking(actor, booking_id)
    return _book_once(
        actor,
        idempotency_key,
        {"rebook": booking_id, **payload.dict()},
        lambda: actions.do_rebook(actor, booking, time_id=payload.slot_id),
    )


# --- staff -------------------------------------------------------------------------------------


def _unit_visit_type_and_staff(actor: Actor, visit_type_id: int, staff_id: int) -> tuple[VisitType, Staff]:
    if actor.unit_id is None:
        raise NotFound(BookingError.VISIT_TYPE_NOT_OFFERED)
    visit_type = VisitType.objects.select_related("unit").filter(pk=visit_type_id, unit_id=actor.unit_id).first()
    staff = Staff.objects.filter(pk=staff_id, provider_id=actor.provider_id).first()
    if visit_type is None:
        raise NotFound(BookingError.VISIT_TYPE_NOT_OFFERED)
    if staff is None:
        raise BookingError.STAFF_NOT_AT_UNIT.error(field="staff_id")
    return visit_type, staff


@router.get("/staff/bookings/day", response=list[DaySlotOut], auth=staff_auth, summary="The unit's day (tidbok)")
def staff_day(request: ApiRequest, date: dt.date | None = None) -> list[dict[str, Any]]:
    return [_day_row(row) for row in access.unit_day(request.auth, date or clock.today())]


@router.post(
    "/staff/bookings/series",
    response={201: SeriesOut},
    auth=staff_auth,
    summary="Publish a series of times for a practitioner",
)
def publish_series(request: ApiRequest, payload: SeriesIn) -> Status[dict[str, Any]]:
    actor = request.auth
    visit_type, staff = _unit_visit_type_and_staff(actor, payload.visit_type_id, payload.staff_id)
    series = actions.Series(
        visit_type=visit_type,
        staff=staff,
        first_day=payload.first_day,
        last_day=payload.last_day,
        weekdays=frozenset(payload.weekdays),
        start=payload.start,
        end=payload.end,
    )
    return Status(201, {"created": actions.do_publish_series(actor, series)})


class WeekDayOut(Schema):
    date: dt.date
    times: list[DaySlotOut]


class ExtraTimeIn(Schema):
    visit_type_id: int = Field(ge=1, le=MAX_ID)
    staff_id: int = Field(ge=1, le=MAX_ID)
    starts_at: dt.datetime = Field(description="With its UTC offset, e.g. 2027-01-12T09:00:00+01:00")


class StaffTimeOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    visit_type_id: int
    staff_id: int | None


class SummonIn(Schema):
    slot_id: int = Field(ge=1, le=MAX_ID)
    personal_number: str = Field(max_length=20, description="The resident's personal identity number")


class SummonedOut(Schema):
    booking_id: int
    starts_at: dt.datetime
    person_id: int


def _day_row(row: access.DayRow) -> dict[str, Any]:
    return {
        "id": row.slot.pk,
        "starts_at": row.slot.starts_at,
        "ends_at": row.slot.ends_at,
        "visit_type": row.slot.visit_type.display_name,
        "staff_id": row.slot.staff_id,
        "resource": row.slot.resource,
        "booking_id": row.booking_id,
    }


@router.get(
    "/staff/bookings/week",
    response=list[WeekDayOut],
    auth=staff_auth,
    summary="The unit's week from the Monday of `date` (tidbok)",
)
def staff_week(request: ApiRequest, date: dt.date | None = None) -> list[dict[str, Any]]:
    chosen = date or clock.today()
    days = access.unit_week(request.auth, chosen - dt.timedelta(days=chosen.weekday()))
    return [{"date": day.day, "times": [_day_row(row) for row in day.rows]} for day in days]


@router.post(
    "/staff/bookings/times",
    response={201: StaffTimeOut},
    auth=staff_auth,
    summary="Publish one extra time for a practitioner",
)
def publish_extra_time(request: ApiRequest, payload: ExtraTimeIn) -> Status[dict[str, Any]]:
    actor = request.auth
    visit_type, staff = _unit_visit_type_and_staff(actor, payload.visit_type_id, payload.staff_id)
    starts_at = payload.starts_at
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=STOCKHOLM)
    slot = actions.do_publish_single(actor, visit_type=visit_type, staff=staff, starts_at=starts_at)
    return Status(
        201,
        {
            "id": slot.pk,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "visit_type_id": slot.visit_type_id,
            "staff_id": slot.staff_id,
        },
    )


@router.post(
    "/staff/bookings/summons",
    response={201: SummonedOut},
    auth=staff_auth,
    summary="Book a time for a resident by personal number (kallelse); the resident is told in the app",
)
def summon(request: ApiRequest, payload: SummonIn) -> Status[dict[str, Any]]:
    actor = request.auth
    slot = access.access_slot_for_staff(actor, payload.slot_id)
    result = actions.do_summon(actor, time_id=slot.pk, personal_number=payload.personal_number)
    return Status(
        201,
        {"booking_id": result.booking.pk, "starts_at": result.booking.starts_at, "person_id": result.booking.person_id},
    )


# --- summons letters to post (PRIV-4) ------------------------------------------------------------


class SummonsLetterOut(Schema):
    id: int
    booking_id: int
    starts_at: dt.datetime = Field(description="The booked time (never the visit type)")
    via_forwarding: bool = Field(description="Addressed to Skatteverket's forwarding address (always true)")
    created_at: dt.datetime
    posted_at: dt.datetime | None


class SummonsLettersPostedIn(Schema):
    letters: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=500, description="The ids of the letters posted"
    )


def _summons_letter(letter: SummonsLetter) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "booking_id": letter.booking_id,
        "starts_at": letter.booking.starts_at,
        "via_forwarding": letter.via_forwarding,
        "created_at": letter.created_at,
        "posted_at": letter.posted_at,
    }


@router.get(
    "/staff/bookings/summons-letters",
    response=list[SummonsLetterOut],
    auth=staff_auth,
    summary="The unit's summons letters waiting to be printed and posted (no address, no visit type)",
)
def summons_letters(request: ApiRequest) -> list[dict[str, Any]]:
    return [_summons_letter(letter) for letter in access.queued_summons_letters(request.auth)]


@router.get(
    "/staff/bookings/summons-letters/batch",
    auth=staff_auth,
    summary="The unit's queued summons letters as one PDF to print, one page per letter (audited)",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The letters"}}},
)
def summons_letters_batch(request: ApiRequest) -> HttpResponse:
    _letters, printed = letters.do_download_summons_letters(request.auth)
    return pdf_download(printed, f"kallelsebrev-{clock.today().isoformat()}.pdf")


@router.post(
    "/staff/bookings/summons-letters/posted",
    response=list[SummonsLetterOut],
    auth=staff_auth,
    summary="Mark printed summons letters as posted",
)
def summons_letters_posted(request: ApiRequest, payload: SummonsLettersPostedIn) -> list[dict[str, Any]]:
    return [_summons_letter(letter) for letter in letters.do_mark_summons_letters_posted(request.auth, payload.letters)]
