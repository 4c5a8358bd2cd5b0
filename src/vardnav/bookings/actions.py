"""State changes of bookings: book, cancel, rebook, publish times, a unit's booking settings.

Each do_* checks permission, runs in one transaction with its audit entry and
queues its e-mail in the same transaction (the outbox), so a booking that
commits has its confirmation on the way and one that does not has nothing.
"No double booking" is the database's partial unique constraint on an active
booking per time; the insert runs in a savepoint so the loser of a race gets
a clear refusal and nothing half-saved.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.bookings import checks, codes, texts
from vardnav.bookings.access import keeps_booking_settings
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import (
    Booking,
    BookingStatus,
    CancellationPolicy,
    CancelledVia,
    Slot,
    SlotStatus,
    SummonsLetter,
    UnitBookingSettings,
    VisitKind,
    VisitType,
    WaitingListEntry,
    WaitingStatus,
)
from vardnav.bookings.policy import cutoff_before, policy_for
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import PermissionDenied
from vardnav.notifications.actions import notify_resident, public_url, written_for
from vardnav.notifications.models import NoticeKind, OutgoingChannel
from vardnav.notifications.outbox import queue_message
from vardnav.organizations.access import is_platform, is_provider_admin, require_provider_admin, staff_roles_at
from vardnav.organizations.models import CareProvider, Role, RoleGrant, Staff, Unit, UnitKind
from vardnav.people.access import GUARDIAN_ACCESS_AGE_LIMIT, guardians_of, is_guardian_of
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.letters import letter_address
from vardnav.people.models import Person

# BOOK-4: at a vaccination clinic care matters are for children from 2 years,
# vaccines from the youngest age the vaccine allows (never below 9 months).
VACCINATION_CLINIC_CARE_MIN_MONTHS = 24
VACCINATION_CLINIC_VACCINE_MIN_MONTHS = 9
# How long an offered time from the waiting list is the first in line's before it goes to the next.
WAITING_OFFER_HOLD = dt.timedelta(hours=2)
MAX_SERIES_TIMES = 2000
MAX_SERIES_DAYS = 26 * 7
# Who keeps the unit's appointment book (publish, block, book for a resident, cancel for the unit): the
# booking admin (tidbokningsansvarig) and the head of unit. Receivers and handlers see the book only.
BOOKING_ROLES = {Role.BOOKING_ADMIN, Role.UNIT_ADMIN}
PUBLISHING_ROLES = BOOKING_ROLES


@dataclass
class BookingResult:
    booking: Booking
    code: str  # the cancellation code in clear: show it once, never store it


# --- who the visit is for, and may they come ---------------------------------------------------


def check_booking_subject(actor: Actor, person_id: int | None) -> tuple[Person, bool]:
    """The person the visit is for: the resident, or (as guardian) their child under 16; and whether a child."""
    if not actor.is_resident or actor.person_id is None:
        raise PermissionDenied(BookingError.RESIDENT_REQUIRED)
    if person_id is None or person_id == actor.person_id:
        return Person.objects.get(pk=actor.person_id), False
    child = Person.objects.filter(pk=person_id).first()
    if child is None or not is_guardian_of(actor.person_id, child):
        raise BookingError.NOT_YOUR_CHILD.error(field="person")
    return child, True


def minimum_age_months(visit_type: VisitType, unit: Unit) -> int:
    """BOOK-4: the visit type's own minimum, raised to the vaccination clinic's floor for its kind."""
    minimum = visit_type.minimum_age_months
    if unit.kind == UnitKind.VACCINATION:
        floor = (
            VACCINATION_CLINIC_VACCINE_MIN_MONTHS
            if visit_type.kind == VisitKind.VACCINATION
            else VACCINATION_CLINIC_CARE_MIN_MONTHS
        )
        minimum = max(minimum, floor)
    return minimum


def age_in_months(birth_date: dt.date, day: dt.date) -> int:
    months = (day.year - birth_date.year) * 12 + (day.month - birth_date.month)
    if day.day < birth_date.day:
        months -= 1
    return months


def _age_words(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} år"
    return f"{months} månader"


def check_age(person: Person, visit_type: VisitType, unit: Unit, starts_at: dt.datetime) -> None:
    minimum = minimum_age_months(visit_type, unit)
    if minimum and age_in_months(person.birth_date, starts_at.astimezone(STOCKHOLM).date()) < minimum:
        raise BookingError.TOO_YOUNG.error(field="person", age=_age_words(minimum))


def check_time_bookable(time: Slot) -> None:
    """The time is in the future, and its unit and visit type take online bookings."""
    if time.starts_at <= clock.now():
        raise BookingError.TIME_IN_PAST.error(field="time")
    settings = UnitBookingSettings.objects.filter(unit_id=time.unit_id).first()
    if settings is None or not settings.online_booking:
        raise BookingError.NO_ONLINE_BOOKING.error()
    if not time.visit_type.is_active or not time.visit_type.online_bookable:
        raise BookingError.VISIT_TYPE_NOT_OFFERED.error()


# --- booking --------------------------------------------------------------------------------------


def _new_code_hash() -> tuple[str, str]:
    code = codes.new_code()
    return code, codes.hash_code(code)


def _insert_booking(time: Slot, person: Person, booked_by: Person | None) -> tuple[Booking, str]:
    """Insert the booking in a savepoint; a race lost on the unique constraint is TIME_TAKEN."""
    code, code_hash = _new_code_hash()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=time,
                unit_id=time.unit_id,
                visit_type_id=time.visit_type_id,
                starts_at=time.starts_at,
                person=person,
                booked_by=booked_by,
                cancel_code_hash=code_hash,
                created_at=clock.now(),
            )
    except IntegrityError:
        raise BookingError.TIME_TAKEN.error(field="time") from None
    booking.slot = time
    booking.unit = time.unit
    booking.visit_type = time.visit_type
    return booking, code


def _queue_confirmation(booker: Person, subject: Person, booking: Booking, code: str, *, for_child: bool) -> None:
    """The confirmation e-mail with its .ics file, when the booker has a confirmed address.

    Nothing is sent for a protected identity (the booker's or the child's,
    PRIV-3): the code is then only on the confirmation page.
    """
    if booker.protected_identity or subject.protected_identity:
        return
    if not booker.email or booker.email_confirmed_at is None:
        return
    cancel_url = public_url(texts.cancel_page_path())
    deadline = cutoff_before(booking.starts_at, policy_for(booking.unit))
    with written_for(booker):
        email_subject = texts.confirmation_subject()
        body = texts.confirmation_body(
            booking, code=code, cancel_url=cancel_url, deadline=deadline, for_child=for_child, masked=True
        )
        secret_body = texts.confirmation_body(
            booking, code=code, cancel_url=cancel_url, deadline=deadline, for_child=for_child
        )
        calendar_ics = texts.calendar_file(booking, cancel_url=cancel_url)
    queue_message(
        event_key=f"booking:{booking.pk}:{uuid.uuid4().hex}:email",
        channel=OutgoingChannel.EMAIL,
        recipient=booker.email,
        subject=email_subject,
        body=body,
        secret_body=secret_body,
        calendar_ics=calendar_ics,
    )


def do_book(actor: Actor, *, time_id: int, person_id: int | None = None) -> BookingResult:
    """Book a free time for the resident or their child under 16 (BOOK-2: a logged-in resident only)."""
    subject, for_child = check_booking_subject(actor, person_id)
    assert actor.person_id is not None  # check_booking_subject refused anyone else
    with transaction.atomic():
        time = (
            Slot.objects.select_related("visit_type", "unit__provider")
            .filter(pk=time_id, status=SlotStatus.PUBLISHED)
            .first()
        )
        if time is None:
            raise BookingError.TIME_NOT_FOUND.error(field="time")
        check_time_bookable(time)
        check_age(subject, time.visit_type, time.unit, time.starts_at)
        booker = Person.objects.get(pk=actor.person_id) if for_child else subject
        booking, code = _insert_booking(time, subject, booker if for_child else None)
        do_record(actor, AuditEvent.BOOKING_CREATE, booking, subject_person_id=subject.pk, unit_id=time.unit_id)
        _queue_confirmation(booker, subject, booking, code, for_child=for_child)
        _notice(booker, booking, NoticeKind.BOOKING_CONFIRMED, in_app_only=True)
        _end_waiting(time.visit_type_id, subject.pk)
    return BookingResult(booking, code)


def _notice(recipient: Person, booking: Booking, kind: NoticeKind, *, in_app_only: bool) -> None:
    """An in-app notice leading to the booking; `in_app_only` when an e-mail with the details already goes."""
    notify_resident(
        recipient,
        kind,
        link=reverse("bookings:detail", args=[booking.pk]),
        login_link=reverse("bookings:my_bookings"),
        protected=in_app_only or booking.person.protected_identity,
    )


def _end_waiting(visit_type_id: int, person_id: int) -> None:
    """Booking the visit type ends the person's place on its waiting list."""
    WaitingListEntry.objects.filter(visit_type_id=visit_type_id, person_id=person_id).exclude(
        status=WaitingStatus.DONE
    ).update(status=WaitingStatus.DONE)


def offer_freed_time(slot: Slot) -> WaitingListEntry | None:
    """A booked time was freed: offer it to the first still waiting for its visit type (call inside the change).

    The time stays bookable by anyone: the first to confirm gets it, and the
    one-active-booking constraint decides a race.
    """
    if slot.status != SlotStatus.PUBLISHED or slot.starts_at <= clock.now():
        return None
    entry = (
        WaitingListEntry.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("person", "booked_by")
        .filter(visit_type_id=slot.visit_type_id, status=WaitingStatus.WAITING)
        .exclude(offered_slot=slot)  # who let this time pass is not offered it again
        .order_by("created_at", "id")
        .first()
    )
    if entry is None:
        return None
    entry.status = WaitingStatus.OFFERED
    entry.offered_slot = slot
    entry.offered_at = clock.now()
    entry.save(update_fields=["status", "offered_slot", "offered_at"])
    recipient = entry.booked_by or entry.person
    notify_resident(
        recipient,
        NoticeKind.BOOKING_OFFER,
        link=reverse("bookings:book", args=[slot.pk]),
        login_link=reverse("bookings:book", args=[slot.pk]),
        protected=entry.person.protected_identity,
    )
    return entry


def do_pass_on_offers(*, limit: int = 500) -> int:
    """Offers not taken within WAITING_OFFER_HOLD go to the next in line; returns how many offers ended.

    The one who let the time pass stays in line with their place (back to waiting; the
    time they missed stays noted in `offered_slot`, so it is not offered to them again)
    and is first for the next time that opens. Run by `manage.py send_booking_reminders`.
    """
    now = clock.now()
    with transaction.atomic():
        stale = list(
            WaitingListEntry.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("offered_slot")
            .filter(status=WaitingStatus.OFFERED, offered_at__lte=now - WAITING_OFFER_HOLD)
            .order_by("offered_at", "id")[:limit]
        )
        for entry in stale:
            entry.status = WaitingStatus.WAITING
            entry.save(update_fields=["status"])
        slots: dict[int, Slot] = {
            entry.offered_slot.pk: entry.offered_slot for entry in stale if entry.offered_slot is not None
        }
        still_free = set(slots) - set(
            Booking.objects.filter(slot_id__in=slots, status=BookingStatus.BOOKED).values_list("slot_id", flat=True)
        )
        for slot_id in sorted(still_free):
            offer_freed_time(slots[slot_id])
    return len(stale)


# --- cancelling and rebooking --------------------------------------------------------------------


def check_before_cutoff(booking: Booking) -> None:
    """BOOK-3: after the unit's cut-off the resident is told to call the unit."""
    deadline = cutoff_before(booking.starts_at, policy_for(booking.unit))
    if clock.now() > deadline:
        raise BookingError.PAST_CUTOFF.error(
            deadline=texts.format_moment(deadline), phone=booking.unit.phone or booking.unit.name
        )


def _locked(booking_id: int) -> Booking:
    return Booking.objects.select_for_update().select_related("unit__provider", "slot").get(pk=booking_id)


def _cancel(booking: Booking, via: str) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise BookingError.ALREADY_CANCELLED.error()
    check_before_cutoff(booking)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = clock.now()
    booking.cancelled_via = via
    booking.save(update_fields=["status", "cancelled_at", "cancelled_via"])


def do_cancel(actor: Actor, booking: Booking) -> Booking:
    """The resident (or the guardian who booked) cancels on Mina bokningar; `booking` comes from access_booking."""
    with transaction.atomic():
        locked = _locked(booking.pk)
        _cancel(locked, CancelledVia.RESIDENT)
        do_record(actor, AuditEvent.BOOKING_CANCEL, locked, subject_person_id=locked.person_id, unit_id=locked.unit_id)
        offer_freed_time(locked.slot)
    return locked


def do_cancel_by_code(actor: Actor, code: str) -> Booking:
    """Anyone holding the code cancels, without logging in (BOOK-2); the code is single-use.

    The caller rate-limits guesses (bookings.ratelimits) before this runs.
    """
    if not str(code or "").strip():
        raise BookingError.CODE_REQUIRED.error(field="code")
    normalised = codes.normalise_code(code)
    if normalised is None:
        raise BookingError.INVALID_CODE.error(field="code")
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("unit__provider", "slot")
            .filter(cancel_code_hash=codes.hash_code(normalised))
            .first()
        )
        if booking is None or not codes.code_matches(normalised, booking.cancel_code_hash):
            raise BookingError.INVALID_CODE.error(field="code")
        if booking.status != BookingStatus.BOOKED:
            raise BookingError.INVALID_CODE.error(field="code")  # single use: a spent code is no code
        _cancel(booking, CancelledVia.CODE)
        do_record(
            actor,
            AuditEvent.BOOKING_CANCEL_BY_CODE,
            booking,
            subject_person_id=booking.person_id,
            unit_id=booking.unit_id,
        )
        offer_freed_time(booking.slot)
    return booking


def do_rebook(actor: Actor, booking: Booking, *, time_id: int) -> BookingResult:
    """Move a booking to another free time of the same visit type: both or nothing (one transaction)."""
    with transaction.atomic():
        old = _locked(booking.pk)
        if old.status != BookingStatus.BOOKED:
            raise BookingError.ALREADY_CANCELLED.error()
        check_before_cutoff(old)
        time = (
            Slot.objects.select_related("visit_type", "unit__provider")
            .filter(pk=time_id, status=SlotStatus.PUBLISHED)
            .first()
        )
        if time is None:
            raise BookingError.TIME_NOT_FOUND.error(field="time")
        if time.visit_type_id != old.visit_type_id:
            raise BookingError.REBOOK_OTHER_VISIT_TYPE.error(field="time")
        check_time_bookable(time)
        subject = Person.objects.get(pk=old.person_id)
        for_child = old.booked_by_id is not None
        booker = Person.objects.get(pk=old.booked_by_id) if old.booked_by_id is not None else subject
        old.status = BookingStatus.CANCELLED
        old.cancelled_at = clock.now()
        old.cancelled_via = CancelledVia.REBOOKED
        old.save(update_fields=["status", "cancelled_at", "cancelled_via"])
        new, code = _insert_booking(time, subject, old.booked_by if for_child else None)
        old.rebooked_as = new
        old.save(update_fields=["rebooked_as"])
        do_record(
            actor,
            AuditEvent.BOOKING_REBOOK,
            new,
            subject_person_id=subject.pk,
            unit_id=time.unit_id,
            extra={"previous_booking": old.pk},
        )
        _queue_confirmation(booker, subject, new, code, for_child=for_child)
        offer_freed_time(old.slot)
    return BookingResult(new, code)


# --- staff: cancelling for the unit, no-shows ---------------------------------------------------


def _require_unit_staff(actor: Actor, booking: Booking) -> None:
    if booking.unit_id != actor.unit_id or not staff_roles_at(actor, booking.unit_id):
        raise PermissionDenied()


def do_cancel_by_staff(actor: Actor, booking: Booking) -> Booking:
    """The unit cancels a booking (no cut-off applies to the unit); whoever booked is told, without health data."""
    from vardnav.bookings.reminders import tell_booker

    _require_unit_staff(actor, booking)
    _require_publisher(actor, booking.unit)
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("unit", "person", "booked_by", "slot")
            .get(pk=booking.pk)
        )
        if locked.status != BookingStatus.BOOKED:
            raise BookingError.ALREADY_CANCELLED.error()
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = clock.now()
        locked.cancelled_via = CancelledVia.STAFF
        locked.save(update_fields=["status", "cancelled_at", "cancelled_via"])
        do_record(
            actor,
            AuditEvent.BOOKING_CANCEL_BY_STAFF,
            locked,
            subject_person_id=locked.person_id,
            unit_id=locked.unit_id,
        )
        tell_booker(
            locked,
            kind="cancelled",
            compose=lambda: (
                _("Din bokade tid är avbokad"),
                _(
                    "Mottagningen har avbokat din tid %(time)s på %(place)s. "
                    "Ring mottagningen på %(phone)s om du behöver en ny tid."
                )
                % {
                    "time": texts.format_moment(locked.starts_at),
                    "place": texts.place_text(locked.unit),
                    "phone": locked.unit.phone or locked.unit.name,
                },
            ),
        )
        _notice(
            locked.booked_by or locked.person,
            locked,
            NoticeKind.BOOKING_CANCELLED,
            in_app_only=True,
        )
        offer_freed_time(locked.slot)
    return locked


def do_mark_no_show(actor: Actor, booking: Booking) -> Booking:
    """The resident did not come: recorded once the visit has started."""
    _require_unit_staff(actor, booking)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != BookingStatus.BOOKED:
            raise BookingError.ALREADY_CANCELLED.error()
        if locked.starts_at > clock.now():
            raise BookingError.NO_SHOW_TOO_EARLY.error()
        locked.status = BookingStatus.NO_SHOW
        locked.save(update_fields=["status"])
        do_record(actor, AuditEvent.BOOKING_NO_SHOW, locked, subject_person_id=locked.person_id, unit_id=locked.unit_id)
    return locked


# --- staff: publishing times and the unit's settings --------------------------------------------------


def _require_publisher(actor: Actor, unit: Unit) -> None:
    """The platform, the provider's administrator, or staff with a publishing role at the unit they work in now."""
    if is_platform(actor) or is_provider_admin(actor, unit.provider_id):
        return
    if unit.pk != actor.unit_id or not (staff_roles_at(actor, unit.pk) & PUBLISHING_ROLES):
        raise PermissionDenied(BookingError.STAFF_ROLE_REQUIRED)


@dataclass(frozen=True)
class Series:
    visit_type: VisitType
    staff: Staff
    first_day: dt.date
    last_day: dt.date
    weekdays: frozenset[int]  # 0 = Monday
    start: dt.time
    end: dt.time


def series_starts(series: Series) -> list[dt.datetime]:
    """Every start of the series in UTC: back-to-back visits of the visit type's length, local wall-clock time."""
    if series.last_day < series.first_day:
        raise BookingError.SERIES_DAYS.error(field="last_day")
    if (series.last_day - series.first_day).days > MAX_SERIES_DAYS:
        raise BookingError.SERIES_DAYS_TOO_MANY.error(field="last_day", weeks=MAX_SERIES_DAYS // 7)
    if not series.weekdays:
        raise BookingError.SERIES_WEEKDAYS.error(field="weekdays")
    if series.end <= series.start:
        raise BookingError.SERIES_HOURS.error(field="end")
    length = dt.timedelta(minutes=series.visit_type.duration_minutes)
    starts: list[dt.datetime] = []
    day = series.first_day
    while day <= series.last_day:
        if day.weekday() in series.weekdays:
            moment = dt.datetime.combine(day, series.start)
            close = dt.datetime.combine(day, series.end)
            while moment + length <= close:
                starts.append(moment.replace(tzinfo=STOCKHOLM).astimezone(dt.UTC))
                moment += length
                if len(starts) > MAX_SERIES_TIMES:
                    raise BookingError.SERIES_TOO_LARGE.error(field="last_day", limit=MAX_SERIES_TIMES)
        day += dt.timedelta(days=1)
    return starts


def do_publish_series(actor: Actor, series: Series) -> int:
    """Publish a series of times for a practitioner; returns how many new times it made.

    Starts in the past and starts the practitioner already has are skipped,
    so publishing the same series twice adds nothing.
    """
    unit = series.visit_type.unit
    _require_publisher(actor, unit)
    if not RoleGrant.objects.filter(staff=series.staff, unit=unit, staff__is_active=True).exists():
        raise BookingError.STAFF_NOT_AT_UNIT.error(field="staff")
    now = clock.now()
    length = dt.timedelta(minutes=series.visit_type.duration_minutes)
    starts = [start for start in series_starts(series) if start > now]
    with transaction.atomic():
        taken = set(
            Slot.objects.filter(staff=series.staff, status=SlotStatus.PUBLISHED, starts_at__in=starts).values_list(
                "starts_at", flat=True
            )
        )
        new = [
            Slot(
                unit=unit,
                visit_type=series.visit_type,
                staff=series.staff,
                starts_at=start,
                ends_at=start + length,
                created_by_id=actor.staff_id,
                created_at=now,
            )
            for start in starts
            if start not in taken
        ]
        Slot.objects.bulk_create(new, batch_size=500)
        do_record(
            actor,
            AuditEvent.SLOTS_PUBLISH,
            series.visit_type,
            unit_id=unit.pk,
            extra={"staff": series.staff.pk, "created": len(new)},
        )
    return len(new)


def do_block_time(
    actor: Actor, *, unit: Unit, staff: Staff, starts_at: dt.datetime, ends_at: dt.datetime
) -> tuple[int, int]:
    """Withdraw a practitioner's free times in a period (blocked time); returns (withdrawn, still booked).

    Booked times are left as they are: the unit cancels them one by one, so each
    resident is told (do_cancel_by_staff).
    """
    _require_publisher(actor, unit)
    if ends_at <= starts_at:
        raise BookingError.SERIES_HOURS.error(field="end")
    with transaction.atomic():
        in_period = Slot.objects.select_for_update().filter(
            unit=unit, staff=staff, status=SlotStatus.PUBLISHED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        booked_ids = set(
            Booking.objects.filter(slot__in=in_period, status=BookingStatus.BOOKED).values_list("slot_id", flat=True)
        )
        withdrawn = in_period.exclude(pk__in=booked_ids).update(status=SlotStatus.WITHDRAWN)
        do_record(
            actor,
            AuditEvent.SLOTS_WITHDRAW,
            staff,
            unit_id=unit.pk,
            extra={"withdrawn": withdrawn, "still_booked": len(booked_ids)},
        )
    return withdrawn, len(booked_ids)


def _require_settings_keeper(actor: Actor, unit: Unit) -> None:
    """The unit's visit types and booking settings: the platform, the provider's administrator, the unit's
    head or booking admin (whichever unit they chose at login, like the settings area's other pages)."""
    if not keeps_booking_settings(actor, unit):
        raise PermissionDenied(BookingError.STAFF_ROLE_REQUIRED)


def _check_name_free(unit: Unit, name: str, *, other_than: int | None = None) -> None:
    taken = VisitType.objects.filter(unit=unit, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        raise BookingError.VISIT_TYPE_NAME_TAKEN.error(field="name")


def _save_visit_type(visit_type: VisitType, fields: list[str] | None = None) -> None:
    """Save in a savepoint: a name taken by a concurrent request is the same refusal as one taken before."""
    try:
        with transaction.atomic():
            visit_type.save(update_fields=fields)
    except IntegrityError:
        raise BookingError.VISIT_TYPE_NAME_TAKEN.error(field="name") from None


def do_create_visit_type(
    actor: Actor,
    *,
    unit: Unit,
    kind: str,
    name: str,
    duration_minutes: int | str,
    profession: str,
    minimum_age_months: int | str = 0,
    online_bookable: bool = True,
    name_en: str = "",
    is_active: bool = True,
) -> VisitType:
    """A new visit type of the unit (besökstyp), with its name in Swedish and, if given, English."""
    _require_settings_keeper(actor, unit)
    values = checks.check_visit_type_values(
        {
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "duration_minutes": duration_minutes,
            "profession": profession,
            "minimum_age_months": minimum_age_months,
            "online_bookable": online_bookable,
            "is_active": is_active,
        }
    )
    _check_name_free(unit, values["name"])
    with transaction.atomic():
        visit_type = VisitType(unit=unit, **values)
        _save_visit_type(visit_type)
        do_record(actor, AuditEvent.VISIT_TYPE_CREATE, visit_type, unit_id=unit.pk)
    return visit_type


def do_set_booking_settings(
    actor: Actor,
    *,
    unit: Unit,
    online_booking: bool,
    drop_in: bool,
    drop_in_hours: list[dict[str, str]],
    reminder_hours: int | str | None = None,
    weeks_ahead: int | str | None = None,
) -> UnitBookingSettings:
    """BOOK-1: whether the unit takes online bookings and/or drop-in, the drop-in hours, reminders, how far ahead."""
    _require_settings_keeper(actor, unit)
    rows = checks.check_drop_in_hours(drop_in_hours, drop_in=drop_in)
    reminder = checks.check_reminder_hours(reminder_hours) if reminder_hours is not None else None
    weeks = checks.check_weeks_ahead(weeks_ahead) if weeks_ahead is not None else None
    with transaction.atomic():
        settings, _created = UnitBookingSettings.objects.select_for_update().get_or_create(unit=unit)
        before = {"online_booking": settings.online_booking, "drop_in": settings.drop_in}
        settings.online_booking = bool(online_booking)
        settings.drop_in = bool(drop_in)
        settings.drop_in_hours = rows
        if reminder is not None:
            settings.reminder_hours = reminder
        if weeks is not None:
            settings.weeks_ahead = weeks
        settings.save(update_fields=["online_booking", "drop_in", "drop_in_hours", "reminder_hours", "weeks_ahead"])
        do_record(
            actor,
            AuditEvent.BOOKING_SETTINGS_SET,
            settings,
            unit_id=unit.pk,
            extra={
                "before": before,
                "online_booking": settings.online_booking,
                "drop_in": settings.drop_in,
                "reminder_hours": settings.reminder_hours,
                "weeks_ahead": settings.weeks_ahead,
            },
        )
    return settings


VISIT_TYPE_CHANGEABLE = (
    "name",
    "name_en",
    "duration_minutes",
    "profession",
    "minimum_age_months",
    "online_bookable",
    "is_active",
)


def do_update_visit_type(actor: Actor, visit_type: VisitType, **values: object) -> VisitType:
    """Change a visit type's names, length, profession, minimum age, online booking or whether it is active.

    A visit type is never deleted: its bookings keep pointing at it, so one no longer offered is made
    inactive (residents no longer see it; booked visits stay as they are).
    """
    unit = visit_type.unit
    _require_settings_keeper(actor, unit)
    cleaned = checks.check_visit_type_values({name: values[name] for name in VISIT_TYPE_CHANGEABLE if name in values})
    if "name" in cleaned and cleaned["name"] != visit_type.name:
        _check_name_free(unit, cleaned["name"], other_than=visit_type.pk)
    changed = sorted(name for name, value in cleaned.items() if getattr(visit_type, name) != value)
    with transaction.atomic():
        before = {name: getattr(visit_type, name) for name in changed}
        for name in changed:
            setattr(visit_type, name, cleaned[name])
        if changed:
            _save_visit_type(visit_type, changed)
        do_record(
            actor,
            AuditEvent.VISIT_TYPE_UPDATE,
            visit_type,
            unit_id=visit_type.unit_id,
            extra={"changed": changed, "before": before},
        )
    return visit_type


def do_set_cancellation_policy(
    actor: Actor, *, provider: CareProvider, unit_kind: str, notice_hours: int | str, counting: str
) -> CancellationPolicy:
    """BOOK-3: the provider's cut-off for one unit kind, in hours or whole weekdays."""
    require_provider_admin(actor, provider.pk)
    kind = checks.check_unit_kind(unit_kind)
    hours = checks.check_notice_hours(notice_hours)
    how = checks.check_counting(counting)
    with transaction.atomic():
        policy, _created = CancellationPolicy.objects.select_for_update().get_or_create(
            provider=provider, unit_kind=kind, defaults={"notice_hours": hours, "counting": how}
        )
        before = {"notice_hours": policy.notice_hours, "counting": policy.counting}
        policy.notice_hours = hours
        policy.counting = how
        policy.save(update_fields=["notice_hours", "counting"])
        do_record(
            actor,
            AuditEvent.CANCELLATION_POLICY_SET,
            policy,
            extra={"unit_kind": kind, "notice_hours": hours, "counting": how, "before": before},
        )
    return policy


# --- staff: a single extra time, booking for a resident (kallelse) --------------------------------


def do_publish_single(actor: Actor, *, visit_type: VisitType, staff: Staff, starts_at: dt.datetime) -> Slot:
    """Publish one extra time for a practitioner outside any series."""
    unit = visit_type.unit
    _require_publisher(actor, unit)
    if not RoleGrant.objects.filter(staff=staff, unit=unit, staff__is_active=True).exists():
        raise BookingError.STAFF_NOT_AT_UNIT.error(field="staff")
    now = clock.now()
    if starts_at <= now:
        raise BookingError.EXTRA_TIME_IN_PAST.error(field="day")
    try:
        with transaction.atomic():
            slot = Slot.objects.create(
                unit=unit,
                visit_type=visit_type,
                staff=staff,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=visit_type.duration_minutes),
                created_by_id=actor.staff_id,
                created_at=now,
            )
            do_record(
                actor, AuditEvent.SLOTS_PUBLISH, visit_type, unit_id=unit.pk, extra={"staff": staff.pk, "created": 1}
            )
    except IntegrityError:
        raise BookingError.EXTRA_TIME_EXISTS.error(field="start") from None
    return slot


def check_summoned_person(personal_number: str) -> Person:
    """The person a unit books a time for, refreshed from the population register (any common number format)."""
    if not str(personal_number or "").strip():
        raise BookingError.PERSONAL_NUMBER_REQUIRED.error(field="personal_number")
    return do_sync_person_from_register(personal_number)


def do_summon(actor: Actor, *, time_id: int, personal_number: str) -> BookingResult:
    """Kallelse: staff with a booking role book a published time for a resident, who is told in the app.

    The resident (or, for a child under 16, a guardian from the register) finds the
    booking under Mina bokningar and may rebook or cancel it there; the notice goes
    by e-mail/SMS too where their details and consent allow, never for protected
    identity, and says nothing about the visit.
    """
    time = (
        Slot.objects.select_related("visit_type", "unit__provider")
        .filter(pk=time_id, status=SlotStatus.PUBLISHED)
        .first()
    )
    if time is None:
        raise BookingError.TIME_NOT_FOUND.error(field="time")
    _require_publisher(actor, time.unit)
    if time.starts_at <= clock.now():
        raise BookingError.TIME_IN_PAST.error(field="time")
    person = check_summoned_person(personal_number)
    with transaction.atomic():
        check_age(person, time.visit_type, time.unit, time.starts_at)
        guardian = None
        if person.age_on(clock.today()) < GUARDIAN_ACCESS_AGE_LIMIT:
            guardians = guardians_of(person)
            guardian = guardians[0] if guardians else None
        booking, code = _insert_booking(time, person, guardian)
        booking.person = person
        do_record(
            actor,
            AuditEvent.BOOKING_SUMMON,
            booking,
            subject_person_id=person.pk,
            unit_id=time.unit_id,
        )
        _notice(guardian or person, booking, NoticeKind.BOOKING_SUMMONS, in_app_only=False)
        _queue_summons_letter(booking, person)
        _end_waiting(time.visit_type_id, person.pk)
    return BookingResult(booking, code)


def _queue_summons_letter(booking: Booking, person: Person) -> SummonsLetter | None:
    """PRIV-4: a protected person, told in the app only, also gets the kallelse by post, and only via
    Skatteverket's forwarding address; none when the register gives none (call inside the summons)."""
    addressing = letter_address(person)  # the register decides who is protected, as for invoices
    if addressing is None or not addressing.via_forwarding:
        return None
    return SummonsLetter.objects.create(
        booking=booking,
        recipient=person,
        address="\n".join(addressing.lines),
        via_forwarding=True,
        created_at=clock.now(),
    )


# --- the waiting list ----------------------------------------------------------------------------


def do_join_waiting_list(actor: Actor, *, visit_type: VisitType, person_id: int | None = None) -> WaitingListEntry:
    """Ask to be told when a time of the visit type opens; joining twice keeps the first place."""
    subject, for_child = check_booking_subject(actor, person_id)
    check_age(subject, visit_type, visit_type.unit, clock.now())
    with transaction.atomic():
        entry = (
            WaitingListEntry.objects.select_for_update()
            .filter(visit_type=visit_type, person=subject)
            .exclude(status=WaitingStatus.DONE)
            .first()
        )
        if entry is not None:
            if entry.status == WaitingStatus.OFFERED:  # offered a time someone else took: back in line
                entry.status = WaitingStatus.WAITING
                entry.offered_slot = None
                entry.save(update_fields=["status", "offered_slot"])
            return entry
        try:
            with transaction.atomic():
                entry = WaitingListEntry.objects.create(
                    visit_type=visit_type,
                    person=subject,
                    booked_by_id=actor.person_id if for_child else None,
                    created_at=clock.now(),
                )
        except IntegrityError:  # the same wish at the same moment
            return WaitingListEntry.objects.exclude(status=WaitingStatus.DONE).get(
                visit_type=visit_type, person=subject
            )
        do_record(actor, AuditEvent.WAITING_LIST_JOIN, entry, subject_person_id=subject.pk, unit_id=visit_type.unit_id)
    return entry


def do_leave_waiting_list(actor: Actor, entry: WaitingListEntry) -> WaitingListEntry:
    """The resident no longer wants to be told (`entry` comes from access_waiting_entry)."""
    with transaction.atomic():
        entry.status = WaitingStatus.DONE
        entry.save(update_fields=["status"])
        do_record(
            actor,
            AuditEvent.WAITING_LIST_LEAVE,
            entry,
            subject_person_id=entry.person_id,
            unit_id=entry.visit_type.unit_id,
        )
    return entry
