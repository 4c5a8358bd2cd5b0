"""Fetching bookings, times and visit types for an actor.

Why here: every booking is fetched through `access_*`, with the same 404 for
"does not exist" and "not yours". A booking is health data (it tells that a
person has a care contact with a unit, and a visit type can tell why), so a
staff member's opening of a booking is audited as a read (REC-1); the unit's
day view lists times and visit types without saying who booked them, and
costs a fixed number of queries whatever the number of bookings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from vardnav.audit.actions import record_staff_read
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import (
    Booking,
    BookingStatus,
    CancellationPolicy,
    CancelledVia,
    CutoffCounting,
    Slot,
    SlotStatus,
    SummonsLetter,
    UnitBookingSettings,
    VisitType,
    WaitingListEntry,
    WaitingStatus,
)
from vardnav.bookings.policy import DEFAULT_HOURS, DEFAULT_NOTICE_HOURS, cutoff_before, policy_for
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.core.pagination import decode_cursor, encode_cursor
from vardnav.organizations.access import acting_staff, is_platform, is_provider_admin, staff_roles_at
from vardnav.organizations.models import Role, RoleGrant, Unit, UnitKind
from vardnav.people.access import GUARDIAN_ACCESS_AGE_LIMIT

FREE_TIMES_PAGE = 60
MY_BOOKINGS_LIMIT = 50
DAY_VIEW_LIMIT = 300
STAFF_READ_PURPOSE = "Öppnade en bokning i tidboken"


# --- the unit's offer (public) ----------------------------------------------------------------


def booking_settings_for(unit: Unit) -> UnitBookingSettings:
    """The unit's settings, or unsaved ones saying it takes neither online bookings nor drop-in."""
    found = UnitBookingSettings.objects.filter(unit=unit).first()
    return found if found is not None else UnitBookingSettings(unit=unit)


def bookable_visit_types(unit: Unit) -> QuerySet[VisitType]:
    """The visit types a resident may book online at the unit (none when it takes no online bookings)."""
    return VisitType.objects.filter(
        unit=unit, is_active=True, online_bookable=True, unit__booking_settings__online_booking=True
    ).order_by("name", "pk")


def access_bookable_visit_type(unit: Unit, visit_type_id: int) -> VisitType:
    visit_type = bookable_visit_types(unit).filter(pk=visit_type_id).first()
    if visit_type is None:
        raise NotFound(BookingError.VISIT_TYPE_NOT_OFFERED)
    return visit_type


def access_bookable_visit_type_by_id(visit_type_id: int) -> VisitType:
    """A visit type bookable online at its unit, by id alone (the waiting list's form)."""
    visit_type = (
        VisitType.objects.select_related("unit")
        .filter(pk=visit_type_id, is_active=True, online_bookable=True, unit__booking_settings__online_booking=True)
        .first()
    )
    if visit_type is None:
        raise NotFound(BookingError.VISIT_TYPE_NOT_OFFERED)
    return visit_type


@dataclass
class FreeTimePage:
    items: list[Slot]
    next_cursor: str | None


def _active_booking() -> Exists:
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED))


def free_times(
    visit_type: VisitType, *, after: str | None = None, limit: int = FREE_TIMES_PAGE, weeks: int | None = None
) -> FreeTimePage:
    """Free published times of the visit type from now over the unit's weeks ahead, keyset-paginated, one query."""
    now = clock.now()
    if weeks is None:
        settings = booking_settings_for(visit_type.unit)
        weeks = settings.weeks_ahead
    queryset = (
        Slot.objects.select_related("staff")
        .filter(
            visit_type=visit_type,
            status=SlotStatus.PUBLISHED,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(weeks=weeks),
        )
        .exclude(_active_booking())
    )
    position = decode_cursor(after)
    if position:
        moment, pk = position
        queryset = queryset.filter(Q(starts_at__gt=moment) | Q(starts_at=moment, id__gt=pk))
    rows = list(queryset.order_by("starts_at", "id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return FreeTimePage(rows, encode_cursor(rows[-1].starts_at, rows[-1].pk) if more else None)


def access_free_time(time_id: int) -> Slot:
    """A published, future time with no active booking; the same 404 for anything else that is not there."""
    time = (
        Slot.objects.select_related("visit_type", "unit__provider", "staff")
        .filter(pk=time_id, status=SlotStatus.PUBLISHED)
        .first()
    )
    if time is None:
        raise NotFound(BookingError.TIME_NOT_FOUND)
    return time


def is_free(slot: Slot) -> bool:
    """Published, in the future, and not booked."""
    if slot.status != SlotStatus.PUBLISHED or slot.starts_at <= clock.now():
        return False
    return not Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).exists()


# --- the resident's bookings ------------------------------------------------------------------


def _resident_scope(actor: Actor) -> Q:
    """Bookings for the resident themself, and those they booked for a child who is still under 16."""
    if not actor.is_resident or actor.person_id is None:
        return Q(pk__in=[])
    today = clock.today()
    try:
        limit_birth = today.replace(year=today.year - GUARDIAN_ACCESS_AGE_LIMIT)
    except ValueError:  # 29 February
        limit_birth = today.replace(year=today.year - GUARDIAN_ACCESS_AGE_LIMIT, day=28)
    return Q(person_id=actor.person_id) | Q(booked_by_id=actor.person_id, person__birth_date__gt=limit_birth)


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("unit__provider", "visit_type", "slot__staff", "person")


def access_booking(actor: Actor, booking_id: int) -> Booking:
    booking = _bookings().filter(_resident_scope(actor), pk=booking_id).first()
    if booking is None:
        raise NotFound(BookingError.BOOKING_NOT_FOUND)
    return booking


@dataclass
class MyBookings:
    upcoming: list[Booking]
    past: list[Booking]


def my_bookings(actor: Actor) -> MyBookings:
    """Mina bokningar: active upcoming bookings soonest first, then the latest past and cancelled ones (bounded)."""
    now = clock.now()
    scope = _bookings().filter(_resident_scope(actor))
    upcoming = list(
        scope.filter(status=BookingStatus.BOOKED, starts_at__gte=now).order_by("starts_at", "id")[:MY_BOOKINGS_LIMIT]
    )
    past = list(
        scope.filter(Q(starts_at__lt=now) | Q(status=BookingStatus.CANCELLED)).order_by("-starts_at", "-id")[
            :MY_BOOKINGS_LIMIT
        ]
    )
    return MyBookings(upcoming, past)


def upcoming_at_unit(actor: Actor, person_id: int, unit: Unit) -> list[Booking]:
    """The "Boka om tid"/"Avboka tid" e-services' choice: the person's active future bookings at the unit that
    the resident may see (their own, or those they booked for a child under 16), soonest first (bounded, one query)."""
    return list(
        _bookings()
        .filter(
            _resident_scope(actor),
            person_id=person_id,
            unit=unit,
            status=BookingStatus.BOOKED,
            starts_at__gt=clock.now(),
        )
        .order_by("starts_at", "id")[:MY_BOOKINGS_LIMIT]
    )


def cancellation_deadline(booking: Booking) -> dt.datetime:
    return cutoff_before(booking.starts_at, policy_for(booking.unit))


def may_change_digitally(booking: Booking) -> bool:
    """BOOK-3: an active, future booking before its unit's cut-off."""
    return booking.status == BookingStatus.BOOKED and clock.now() <= cancellation_deadline(booking)


# --- staff ---------------------------------------------------------------------------------------


@dataclass
class DayRow:
    slot: Slot
    booking_id: int | None
    # A free time whose last booking the resident cancelled or moved (Mina bokningar, the code or the
    # "Avboka tid"/"Boka om tid" e-services): the unit sees the change in its book, no case is made.
    freed_by_resident_id: int | None = None


RESIDENT_CHANGES = (CancelledVia.RESIDENT, CancelledVia.CODE, CancelledVia.REBOOKED)


def _day_rows(times: list[Slot]) -> list[DayRow]:
    """Each time with its active booking, or the booking the resident last cancelled on it: one query."""
    marks = Booking.objects.filter(slot__in=times).filter(
        Q(status=BookingStatus.BOOKED) | Q(status=BookingStatus.CANCELLED, cancelled_via__in=RESIDENT_CHANGES)
    )
    booked: dict[int, int] = {}
    freed: dict[int, int] = {}
    for slot_id, booking_id, status in marks.order_by("id").values_list("slot_id", "id", "status"):
        (booked if status == BookingStatus.BOOKED else freed)[slot_id] = booking_id
    return [DayRow(slot, booked.get(slot.pk), None if slot.pk in booked else freed.get(slot.pk)) for slot in times]


def unit_day(actor: Actor, day: dt.date) -> list[DayRow]:
    """The unit's published times on a local day with whether each is booked: two queries, no names."""
    if actor.unit_id is None or not staff_roles_at(actor, actor.unit_id):
        raise NotFound()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=STOCKHOLM)
    end = start + dt.timedelta(days=1)
    times = list(
        Slot.objects.select_related("visit_type", "staff")
        .filter(unit_id=actor.unit_id, status=SlotStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")[:DAY_VIEW_LIMIT]
    )
    return _day_rows(times)


WEEK_VIEW_LIMIT = 7 * DAY_VIEW_LIMIT


@dataclass
class WeekDay:
    day: dt.date
    rows: list[DayRow]

    @property
    def booked(self) -> int:
        return sum(1 for row in self.rows if row.booking_id)


def unit_week(actor: Actor, monday: dt.date) -> list[WeekDay]:
    """The unit's week from `monday` (local days), each day's times with whether booked: two queries, no names."""
    if actor.unit_id is None or not staff_roles_at(actor, actor.unit_id):
        raise NotFound()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=STOCKHOLM)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=STOCKHOLM)
    times = list(
        Slot.objects.select_related("visit_type", "staff")
        .filter(unit_id=actor.unit_id, status=SlotStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")[:WEEK_VIEW_LIMIT]
    )
    days = [WeekDay(monday + dt.timedelta(days=n), []) for n in range(7)]
    for row in _day_rows(times):
        index = (row.slot.starts_at.astimezone(STOCKHOLM).date() - monday).days
        days[index].rows.append(row)
    return days


def access_slot_for_staff(actor: Actor, slot_id: int) -> Slot:
    """A published time at the unit the staff member works in now."""
    if actor.unit_id is None or not staff_roles_at(actor, actor.unit_id):
        raise NotFound(BookingError.TIME_NOT_FOUND)
    slot = (
        Slot.objects.select_related("visit_type", "staff", "unit")
        .filter(pk=slot_id, unit_id=actor.unit_id, status=SlotStatus.PUBLISHED)
        .first()
    )
    if slot is None:
        raise NotFound(BookingError.TIME_NOT_FOUND)
    return slot


def access_booking_for_staff(actor: Actor, booking_id: int) -> Booking:
    """A booking at the unit the staff member works in now; opening it is an audited read of health data."""
    if actor.unit_id is None or not staff_roles_at(actor, actor.unit_id):
        raise NotFound(BookingError.BOOKING_NOT_FOUND)
    booking = _bookings().filter(pk=booking_id, unit_id=actor.unit_id).first()
    if booking is None:
        raise NotFound(BookingError.BOOKING_NOT_FOUND)
    record_staff_read(actor, booking, subject_person_id=booking.person_id, purpose=STAFF_READ_PURPOSE)
    return booking


# --- summons letters to post (PRIV-4) -------------------------------------------------------------
# A kallelse to a protected-identity resident is also posted, via Skatteverket's forwarding address. Whoever may
# summon at the unit the staff member works in now (its booking admin or head, the provider's administrator) takes
# the unit's queue, prints it and marks it posted. The list shows the booking's date and time, never the visit type
# or the address.

SUMMONS_LETTER_LIMIT = 200
SUMMONS_LETTER_ROLES = (Role.BOOKING_ADMIN, Role.UNIT_ADMIN)


def keeps_summons_letters(actor: Actor) -> bool:
    """Whoever may summon at the unit the staff member works in now."""
    if actor.unit_id is None:
        return False
    if staff_roles_at(actor, actor.unit_id) & set(SUMMONS_LETTER_ROLES):
        return True
    provider_id = Unit.objects.filter(pk=actor.unit_id).values_list("provider_id", flat=True).first()
    return provider_id is not None and is_provider_admin(actor, provider_id)


def _summons_letter_unit(actor: Actor) -> int:
    if not keeps_summons_letters(actor):
        raise PermissionDenied(BookingError.STAFF_ROLE_REQUIRED)
    assert actor.unit_id is not None
    return actor.unit_id


def _queued_summons_letters(unit_id: int) -> QuerySet[SummonsLetter]:
    return (
        SummonsLetter.objects.filter(
            booking__unit_id=unit_id, booking__status=BookingStatus.BOOKED, posted_at__isnull=True
        )
        .select_related("booking")
        .order_by("created_at", "id")
    )


def queued_summons_letters(actor: Actor, *, limit: int = SUMMONS_LETTER_LIMIT) -> list[SummonsLetter]:
    """The unit's summons letters waiting to be posted, oldest first; one query (after the role check).
    A letter for a booking cancelled before it was posted is not sent."""
    return list(_queued_summons_letters(_summons_letter_unit(actor))[:limit])


def access_queued_summons_letters(actor: Actor, letter_ids: list[int]) -> list[SummonsLetter]:
    """The named letters of the unit still waiting to be posted (others are not the actor's)."""
    return list(_queued_summons_letters(_summons_letter_unit(actor)).filter(pk__in=letter_ids))


# --- the waiting list ------------------------------------------------------------------------------


def _waiting_scope(actor: Actor) -> Q:
    if not actor.is_resident or actor.person_id is None:
        return Q(pk__in=[])
    return Q(person_id=actor.person_id) | Q(booked_by_id=actor.person_id)


def my_waiting_entries(actor: Actor) -> list[WaitingListEntry]:
    """The resident's open places in waiting lists (for themself and children they asked for), one query."""
    return list(
        WaitingListEntry.objects.select_related("visit_type__unit", "offered_slot")
        .filter(_waiting_scope(actor))
        .exclude(status=WaitingStatus.DONE)
        .order_by("-id")[:MY_BOOKINGS_LIMIT]
    )


def access_waiting_entry(actor: Actor, entry_id: int) -> WaitingListEntry:
    entry = (
        WaitingListEntry.objects.select_related("visit_type__unit")
        .filter(_waiting_scope(actor), pk=entry_id)
        .exclude(status=WaitingStatus.DONE)
        .first()
    )
    if entry is None:
        raise NotFound(BookingError.WAITING_ENTRY_NOT_FOUND)
    return entry


# --- the booking settings pages (issue 11, item 13) ---------------------------------------------------
# Who keeps a unit's visit types and booking settings: the provider's administrator for every unit of the
# provider, the unit's head and its booking admin (BOOKING_SETTINGS_ROLES) for their own units. Like the
# settings area's other pages this does not depend on the unit chosen at login.

BOOKING_SETTINGS_ROLES = (Role.BOOKING_ADMIN, Role.UNIT_ADMIN)


def booking_settings_units(actor: Actor) -> QuerySet[Unit]:
    """The units whose visit types and booking settings the actor keeps, by name (one query)."""
    staff = acting_staff(actor)
    if staff is None:
        return Unit.objects.none()
    units = Unit.objects.filter(provider_id=staff.provider_id)
    if not staff.is_provider_admin:
        units = units.filter(
            Exists(RoleGrant.objects.filter(staff=staff, unit=OuterRef("pk"), role__in=BOOKING_SETTINGS_ROLES))
        )
    return units.order_by("name", "pk")


def keeps_booking_settings(actor: Actor, unit: Unit) -> bool:
    """The platform, the provider's administrator, or the unit's head or booking admin."""
    return is_platform(actor) or booking_settings_units(actor).filter(pk=unit.pk).exists()


def access_unit_for_booking_settings(actor: Actor, unit_id: int) -> Unit:
    """A unit whose booking settings the actor keeps; any other is the same 404 as a missing one."""
    unit = booking_settings_units(actor).select_related("provider").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def unit_visit_types(unit: Unit) -> QuerySet[VisitType]:
    """Every visit type of the unit, active first, with whether it has bookings (one query)."""
    return (
        VisitType.objects.filter(unit=unit)
        .annotate(has_bookings=Exists(Booking.objects.filter(visit_type=OuterRef("pk"))))
        .order_by("-is_active", "name", "pk")
    )


def access_unit_visit_type(unit: Unit, visit_type_id: int) -> VisitType:
    """One of the unit's visit types; one of another unit is the same 404 as a missing one."""
    visit_type = VisitType.objects.select_related("unit").filter(unit=unit, pk=visit_type_id).first()
    if visit_type is None:
        raise NotFound(BookingError.VISIT_TYPE_NOT_FOUND)
    return visit_type


@dataclass(frozen=True)
class PolicyRow:
    """BOOK-3: one unit kind's cut-off at the provider: its own rule, or the default."""

    unit_kind: str
    label: str
    notice_hours: int
    counting: str
    is_default: bool


def provider_policies(provider_id: int) -> list[PolicyRow]:
    """The cut-off of every unit kind at the provider, saved or default (one query)."""
    saved = {policy.unit_kind: policy for policy in CancellationPolicy.objects.filter(provider_id=provider_id)}
    rows = []
    for kind in UnitKind:
        if kind == UnitKind.PATIENT_BOARD:  # an inbox for complaints: nothing to book there
            continue
        policy = saved.get(kind.value)
        if policy is None:
            hours = DEFAULT_NOTICE_HOURS.get(kind, DEFAULT_HOURS)
            rows.append(PolicyRow(kind.value, str(kind.label), hours, CutoffCounting.HOURS, True))
        else:
            rows.append(PolicyRow(kind.value, str(kind.label), policy.notice_hours, policy.counting, False))
    return rows
