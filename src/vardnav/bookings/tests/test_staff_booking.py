"""The booking-admin role, single extra times, the week view, booking for a resident (kallelse) and notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings import access
from vardnav.bookings.actions import (
    do_book,
    do_cancel_by_staff,
    do_create_visit_type,
    do_publish_single,
    do_summon,
)
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus, Slot
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.demo import identities as ids
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.models import Role

pytestmark = pytest.mark.django_db


def _future(days: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(hour), tzinfo=STOCKHOLM)


# --- the booking-admin role -------------------------------------------------------------------


def test_only_booking_admins_and_unit_heads_keep_the_appointment_book_and_the_role_is_granted_like_others(world):
    receiver = world.staff(world.receiver_x, world.unit_x, Role.RECEIVER)
    head = world.staff(world.unit_admin_x, world.unit_x, Role.UNIT_ADMIN)
    values = {"kind": "nurse_visit", "duration_minutes": 20, "profession": "nurse"}
    with pytest.raises(PermissionDenied):
        do_create_visit_type(receiver, unit=world.unit_x, name="Sjuksköterskebesök", **values)
    with pytest.raises(PermissionDenied):
        do_create_visit_type(
            world.staff(world.handler_x, world.unit_x, Role.HANDLER), unit=world.unit_x, name="X", **values
        )
    assert do_create_visit_type(head, unit=world.unit_x, name="Läkarbesök", **values).pk

    do_grant_role(head, staff=world.receiver_x, unit=world.unit_x, role=Role.BOOKING_ADMIN)
    assert AuditEntry.objects.filter(action=AuditEvent.ROLE_GRANT_BOOKING_ADMIN).exists()
    assert do_create_visit_type(receiver, unit=world.unit_x, name="Sjuksköterskebesök", **values).pk


def test_the_settings_page_grants_the_booking_admin_role(client, world):
    log_in_client(client, staff_identity(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN))
    url = reverse("staffsettings:roles", args=[world.unit_x.pk])
    assert "Tidbokningsansvarig" in client.get(url).content.decode()
    response = client.post(url, {"staff": world.handler_x.pk, "role": Role.BOOKING_ADMIN})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert world.handler_x.role_grants.filter(unit=world.unit_x, role=Role.BOOKING_ADMIN).exists()


def test_a_handler_cannot_cancel_a_booking_for_the_unit(
    demo_handler_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, staff_actor
):
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    with pytest.raises(PermissionDenied):
        do_cancel_by_staff(staff_actor(demo_handler_x, demo_unit_x, Role.HANDLER), booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


# --- single extra times and the week view ------------------------------------------------------


def _all_free_times(visit_type) -> list[int]:  # type: ignore[no-untyped-def]
    """Every free time's id, page after page: how many of the demo's times come first depends on the weekday."""
    found, after = [], None
    while True:
        page = access.free_times(visit_type, after=after)
        found += [time.pk for time in page.items]
        if page.next_cursor is None:
            return found
        after = page.next_cursor


def test_a_single_extra_time_is_published_once_and_offered_to_residents(
    nurse_visit, demo_booking_admin_x, demo_unit_x, staff_actor, client
):
    actor = staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER)
    starts = _future(9, 7)
    slot = do_publish_single(actor, visit_type=nurse_visit, staff=demo_booking_admin_x, starts_at=starts)
    assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=nurse_visit.duration_minutes)
    assert slot.pk in _all_free_times(nurse_visit)
    with pytest.raises(DomainError) as twice:
        do_publish_single(actor, visit_type=nurse_visit, staff=demo_booking_admin_x, starts_at=starts)
    assert twice.value.code == BookingError.EXTRA_TIME_EXISTS
    with pytest.raises(DomainError) as past:
        do_publish_single(actor, visit_type=nurse_visit, staff=demo_booking_admin_x, starts_at=_future(-1))
    assert past.value.code == BookingError.EXTRA_TIME_IN_PAST
    assert Slot.objects.filter(visit_type=nurse_visit, starts_at=starts).count() == 1


def test_the_extra_time_form_refuses_a_taken_start_at_its_field(
    nurse_visit, demo_booking_admin_x, demo_unit_x, staff_actor, client
):
    starts = _future(11, 7)
    do_publish_single(
        staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER),
        visit_type=nurse_visit,
        staff=demo_booking_admin_x,
        starts_at=starts,
    )
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    form = {
        "visit_type": nurse_visit.pk,
        "staff": demo_booking_admin_x.pk,
        "day": starts.date().isoformat(),
        "start": "07:00",
    }
    response = client.post(reverse("bookings:staff_extra_time"), form)
    assert response.status_code == 200
    assert "Medarbetaren har redan en publicerad tid som börjar då." in response.content.decode()
    form["start"] = "07:20"
    response = client.post(reverse("bookings:staff_extra_time"), form, follow=True)
    assert "publicerades" in response.content.decode()
    assert Slot.objects.filter(
        visit_type=nurse_visit, starts_at__date=starts.date(), staff=demo_booking_admin_x
    ).count()


def test_a_handler_gets_no_extra_time_page(demo_handler_x, demo_unit_x, client):
    log_in_client(client, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    assert client.get(reverse("bookings:staff_extra_time")).status_code == 403


def test_the_week_view_costs_a_fixed_number_of_queries_and_shows_no_names(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    monday = clock.today() + dt.timedelta(days=21 - clock.today().weekday())
    first = dt.datetime.combine(monday, dt.time(8), tzinfo=STOCKHOLM)
    do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, first).pk)
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    url = reverse("bookings:staff_week") + f"?vecka={(monday + dt.timedelta(days=3)).isoformat()}"

    def more() -> None:
        for day in range(1, 6):
            time = make_time(nurse_visit, first + dt.timedelta(days=day, minutes=20))
            do_book(resident_actor(demo_resident_a), time_id=time.pk)

    assert_same_query_count(lambda: client.get(url), more)
    page = client.get(url).content.decode()
    assert page.count("Bokad – visa") == 6
    assert demo_resident_a.full_name not in page and demo_resident_a.given_name not in page


def test_the_week_across_the_october_change_puts_each_time_on_its_local_day(
    demo_booking_admin_x, demo_unit_x, nurse_visit, make_time, staff_actor
):
    import time_machine

    with time_machine.travel(dt.datetime(2027, 10, 20, 12, tzinfo=STOCKHOLM), tick=False):
        monday = dt.date(2027, 10, 25)  # Sunday 31 October: clocks go back at 03.00
        late_sunday = dt.datetime(2027, 10, 31, 23, 40, tzinfo=STOCKHOLM)
        early_monday = dt.datetime(2027, 10, 25, 0, 10, tzinfo=STOCKHOLM)
        make_time(nurse_visit, late_sunday)
        make_time(nurse_visit, early_monday)
        days = access.unit_week(staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER), monday)
    assert [len(day.rows) for day in days] == [1, 0, 0, 0, 0, 0, 1]
    assert days[6].rows[0].slot.starts_at == late_sunday


# --- kallelse ----------------------------------------------------------------------------------


def test_staff_book_a_time_for_a_resident_who_finds_it_under_mina_bokningar_and_is_told(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, nurse_visit, make_time, staff_actor, with_email, client
):
    with_email(demo_resident_a)
    slot = make_time(nurse_visit)
    result = do_summon(
        staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER), time_id=slot.pk, personal_number=ids.RESIDENT_A
    )
    assert result.booking.person_id == demo_resident_a.pk
    assert AuditEntry.objects.filter(action=AuditEvent.BOOKING_SUMMON, subject_person_id=demo_resident_a.pk).exists()
    notice = Notice.objects.get(person=demo_resident_a, kind=NoticeKind.BOOKING_SUMMONS)
    assert notice.link == reverse("bookings:detail", args=[result.booking.pk])
    (message,) = OutgoingMessage.objects.all()
    assert message.channel == "email" and nurse_visit.name not in message.body and demo_unit_x.name not in message.body

    from tests.sessions import resident_identity

    log_in_client(client, resident_identity(demo_resident_a))
    listed = client.get(reverse("bookings:my_bookings")).content.decode()
    assert reverse("bookings:detail", args=[result.booking.pk]) in listed
    detail = client.get(reverse("bookings:detail", args=[result.booking.pk])).content.decode()
    assert reverse("bookings:rebook", args=[result.booking.pk]) in detail


def test_kallelse_for_protected_identity_is_told_in_the_app_only(
    demo_booking_admin_x, demo_unit_x, protected_resident, nurse_visit, make_time, staff_actor, with_email
):
    with_email(protected_resident)
    do_summon(
        staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER),
        time_id=make_time(nurse_visit).pk,
        personal_number=ids.PROTECTED,
    )
    assert Notice.objects.filter(person=protected_resident, kind=NoticeKind.BOOKING_SUMMONS).exists()
    assert not OutgoingMessage.objects.exists()


def test_kallelse_for_a_child_goes_to_a_guardian(
    demo_booking_admin_x, demo_unit_x, demo_guardian, demo_child_8, nurse_visit, make_time, staff_actor, resident_actor
):
    result = do_summon(
        staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER),
        time_id=make_time(nurse_visit).pk,
        personal_number=ids.CHILD_8,
    )
    assert result.booking.person_id == demo_child_8.pk
    guardian_id = result.booking.booked_by_id
    assert guardian_id is not None
    assert Notice.objects.filter(person_id=guardian_id, kind=NoticeKind.BOOKING_SUMMONS).exists()
    guardian = demo_guardian if guardian_id == demo_guardian.pk else None
    if guardian is not None:
        assert result.booking.pk in [b.pk for b in access.my_bookings(resident_actor(guardian)).upcoming]


def test_kallelse_refusals_name_the_field_and_save_nothing(
    demo_booking_admin_x, demo_handler_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    slot = make_time(nurse_visit)
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    url = reverse("bookings:staff_summon", args=[slot.pk])
    page = client.post(url, {"personal_number": "19121212-121"}).content.decode()
    assert 'aria-invalid="true"' in page and not Booking.objects.exists()
    page = client.post(url, {"personal_number": ""}).content.decode()
    assert "Skriv invånarens personnummer." in page and not Booking.objects.exists()
    do_book(resident_actor(demo_resident_a), time_id=slot.pk)
    page = client.get(url).content.decode()
    assert "Tiden är inte längre ledig." in page
    other = client.__class__()
    log_in_client(other, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    assert other.post(url, {"personal_number": ids.RESIDENT_B}).status_code == 403
    assert Booking.objects.count() == 1


# --- in-app notices ------------------------------------------------------------------------------


def test_booking_and_a_cancellation_by_the_unit_leave_in_app_notices_without_a_second_e_mail(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, staff_actor, with_email
):
    with_email(demo_resident_a)
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    assert Notice.objects.filter(person=demo_resident_a, kind=NoticeKind.BOOKING_CONFIRMED).count() == 1
    assert OutgoingMessage.objects.count() == 1  # the confirmation with the code, no generic notice e-mail
    do_cancel_by_staff(staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER), booking)
    notice = Notice.objects.get(person=demo_resident_a, kind=NoticeKind.BOOKING_CANCELLED)
    assert notice.link == reverse("bookings:detail", args=[booking.pk]) and nurse_visit.name not in notice.text
    assert OutgoingMessage.objects.count() == 2  # the unit's cancellation with time and place


@pytest.mark.rule("PRIV-4")
def test_a_kallelse_to_a_protected_resident_goes_by_post_only_via_the_forwarding_address(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, protected_resident, nurse_visit, make_time, staff_actor
):
    from vardnav.bookings.models import SummonsLetter
    from vardnav.people.register import get_population_register

    admin = staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER)
    result = do_summon(admin, time_id=make_time(nurse_visit).pk, personal_number=ids.PROTECTED)
    letter = SummonsLetter.objects.get()
    record = get_population_register().lookup(protected_resident.personal_number)
    assert record is not None and record.forwarding_address is not None
    assert letter.booking == result.booking and letter.recipient == protected_resident and letter.via_forwarding
    assert record.forwarding_address.street in letter.address
    if record.address is not None:
        assert record.address.street not in letter.address  # never the real address
    # Someone without protected identity is told by e-mail/SMS as before: no letter.
    do_summon(admin, time_id=make_time(nurse_visit, _future(4)).pk, personal_number=ids.RESIDENT_A)
    assert SummonsLetter.objects.count() == 1
