"""The unit page's offer (BOOK-1), payment (BOOK-5), ID-7's way in without BankID, and the staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings.actions import Series, do_book, do_publish_series, series_starts
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, Slot
from vardnav.bookings.texts import payment_text
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.models import Role, Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.mark.rule("BOOK-1")
def test_the_unit_page_says_whether_it_offers_online_booking_and_drop_in_with_the_hours(
    client, vaccination_unit, demo_unit_x
):
    page = client.get(reverse("organizations:unit_detail", args=[vaccination_unit.slug])).content.decode()
    assert "tar emot tidsbokning på nätet" in page
    assert "Du kan komma på drop-in" in page and "09.00–12.00" in page
    assert reverse("bookings:unit_booking", args=[vaccination_unit.slug]) in page

    primary = client.get(reverse("organizations:unit_detail", args=[demo_unit_x.slug])).content.decode()
    assert "tar emot tidsbokning på nätet" in primary and "Mottagningen har ingen drop-in" in primary

    drop_in_only = Unit.objects.get(slug="kliniknu-vaccination-vast")
    other = client.get(reverse("organizations:unit_detail", args=[drop_in_only.slug])).content.decode()
    assert "tar inte emot tidsbokning på nätet" in other and "10.00–18.00" in other
    assert reverse("bookings:unit_booking", args=[drop_in_only.slug]) not in other


@pytest.mark.rule("BOOK-5")
def test_physical_units_take_card_and_swish_never_cash(demo):
    for kind in UnitKind:
        text = payment_text(Unit(kind=kind))
        assert "kort" in text and "Swish" in text
        if kind != UnitKind.DIGITAL:
            assert "tar inte emot kontanter" in text


@pytest.mark.rule("ID-7")
def test_without_bankid_or_personal_number_the_booking_page_points_to_support_and_drop_in_units(client, demo_unit_x):
    page = client.get(reverse("bookings:unit_booking", args=[demo_unit_x.slug])).content.decode()
    assert "Saknar du svenskt BankID? Kontakta supporten" in page
    assert reverse("notifications:support") in page
    assert "Utan svenskt personnummer går det tyvärr inte att boka tid på nätet" in page
    assert "Kliniknu vaccination Väst" in page and "Kliniknu vaccination Centrum" in page


def test_free_times_cost_a_fixed_number_of_queries_whatever_the_number_of_times(client, nurse_visit, make_time):
    Slot.objects.filter(visit_type=nurse_visit).delete()
    make_time(nurse_visit)
    url = reverse("bookings:unit_booking", args=[nurse_visit.unit.slug]) + f"?besokstyp={nurse_visit.pk}"

    def more() -> None:
        start = clock.now() + dt.timedelta(days=5)
        for n in range(12):
            make_time(nurse_visit, start + dt.timedelta(hours=n))

    assert_same_query_count(lambda: client.get(url), more)
    assert client.get(url).content.decode().count('href="/boka/tid/') == 13


def test_a_booked_time_is_not_among_the_free_times(client, demo_resident_a, resident_actor, nurse_visit, make_time):
    Slot.objects.filter(visit_type=nurse_visit).delete()
    taken, free = make_time(nurse_visit), make_time(nurse_visit, clock.now() + dt.timedelta(days=4))
    do_book(resident_actor(demo_resident_a), time_id=taken.pk)
    page = client.get(
        reverse("bookings:unit_booking", args=[nurse_visit.unit.slug]) + f"?besokstyp={nurse_visit.pk}"
    ).content.decode()
    assert f"/boka/tid/{free.pk}/" in page and f"/boka/tid/{taken.pk}/" not in page


def test_a_series_keeps_local_wall_clock_times_across_the_march_change(nurse_visit, demo_booking_admin_x):
    series = Series(
        visit_type=nurse_visit,
        staff=demo_booking_admin_x,
        first_day=dt.date(2027, 3, 26),
        last_day=dt.date(2027, 3, 29),
        weekdays=frozenset({4, 0}),
        start=dt.time(9, 0),
        end=dt.time(9, 40),
    )
    starts = [start.astimezone(STOCKHOLM).strftime("%a %H:%M") for start in series_starts(series)]
    assert starts == ["Fri 09:00", "Fri 09:20", "Mon 09:00", "Mon 09:20"]
    utc_hours = sorted({start.hour for start in series_starts(series)})
    assert utc_hours == [7, 8]  # 09:00 is 08:00 UTC in winter time and 07:00 UTC in summer time


def test_the_booking_admin_publishes_a_series_once_and_a_handler_may_not(
    nurse_visit, demo_booking_admin_x, demo_handler_x, staff_actor, demo_unit_x
):
    first = clock.today() + dt.timedelta(days=30)
    series = Series(
        nurse_visit,
        demo_booking_admin_x,
        first,
        first + dt.timedelta(days=6),
        frozenset(range(5)),
        dt.time(8),
        dt.time(9),
    )
    actor = staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER)
    published = AuditEntry.objects.filter(action=AuditEvent.SLOTS_PUBLISH).count()
    created = do_publish_series(actor, series)
    assert created == 5 * 3  # 20-minute visits, 08–09, five weekdays
    assert do_publish_series(actor, series) == 0  # the same series again adds nothing
    assert AuditEntry.objects.filter(action=AuditEvent.SLOTS_PUBLISH).count() == published + 2
    with pytest.raises(PermissionDenied):
        do_publish_series(staff_actor(demo_handler_x, demo_unit_x, Role.HANDLER), series)


def test_a_series_with_the_end_before_the_start_is_refused_next_to_the_field(
    demo_booking_admin_x, demo_unit_x, nurse_visit, client
):
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    response = client.post(
        reverse("bookings:staff_publish"),
        {
            "visit_type": nurse_visit.pk,
            "staff": demo_booking_admin_x.pk,
            "first_day": "2027-06-01",
            "last_day": "2027-06-02",
            "weekdays": ["1"],
            "start": "10:00",
            "end": "09:00",
        },
    )
    assert response.status_code == 200
    assert "Sluttiden måste vara senare än starttiden." in response.content.decode()
    with pytest.raises(DomainError) as refused:
        series_starts(
            Series(
                nurse_visit,
                demo_booking_admin_x,
                dt.date(2027, 6, 1),
                dt.date(2027, 6, 2),
                frozenset(),
                dt.time(9),
                dt.time(10),
            )
        )
    assert refused.value.code == BookingError.SERIES_WEEKDAYS


def test_the_day_view_shows_no_names_and_a_fixed_number_of_queries(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    day = clock.today() + dt.timedelta(days=40)
    first = dt.datetime.combine(day, dt.time(8), tzinfo=STOCKHOLM)
    do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, first).pk)
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    url = reverse("bookings:staff_day") + f"?dag={day.isoformat()}"
    reads = AuditEntry.objects.filter(action=AuditEvent.READ).count()

    def more() -> None:
        for n in range(1, 8):
            time = make_time(nurse_visit, first + dt.timedelta(minutes=20 * n))
            do_book(resident_actor(demo_resident_a), time_id=time.pk)

    assert_same_query_count(lambda: client.get(url), more)
    page = client.get(url).content.decode()
    assert page.count("Bokad – visa") == 8
    assert demo_resident_a.full_name not in page and demo_resident_a.given_name not in page
    assert AuditEntry.objects.filter(action=AuditEvent.READ).count() == reads


def test_opening_a_booking_is_an_audited_read_once_per_viewing(
    demo_booking_admin_x,
    demo_other_handler,
    demo_unit_x,
    demo_other_unit,
    demo_resident_a,
    resident_actor,
    nurse_visit,
    make_time,
    client,
):
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    url = reverse("bookings:staff_booking", args=[booking.pk])
    for _ in range(2):
        page = client.get(url).content.decode()
        assert demo_resident_a.surname in page
    reads = AuditEntry.objects.filter(action=AuditEvent.READ, object_id=str(booking.pk))
    assert reads.count() == 2 and {r.subject_person_id for r in reads} == {demo_resident_a.pk}

    other = client.__class__()
    log_in_client(other, staff_identity(demo_other_handler, unit=demo_other_unit, role=Role.HANDLER))
    assert other.get(url).status_code == 404
    assert AuditEntry.objects.filter(action=AuditEvent.READ, object_id=str(booking.pk)).count() == 2
    assert Booking.objects.count() == 1


def test_the_booking_links_to_the_vaccination_card_only_for_staff_who_may_open_it(
    demo_booking_admin_x, demo_handler_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    """The card answers 403 to administrative staff, so their booking page offers no link to it."""
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    url = reverse("bookings:staff_booking", args=[booking.pk])
    card = reverse("vaccinations:staff_card", args=[demo_resident_a.pk])

    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    page = client.get(url).content.decode()
    assert demo_resident_a.surname in page and card not in page
    assert client.get(card).status_code == 403

    nurse = client.__class__()
    log_in_client(nurse, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    page = nurse.get(url).content.decode()
    assert f"{card}?besok={booking.pk}" in page
    assert nurse.get(f"{card}?besok={booking.pk}").status_code == 200


def test_the_unit_cancels_a_booking_and_the_resident_is_told_without_health_data(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client, with_email
):
    from vardnav.bookings.models import BookingStatus
    from vardnav.notifications.models import OutgoingMessage

    with_email(demo_resident_a)
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    OutgoingMessage.objects.all().delete()
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    response = client.post(reverse("bookings:staff_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_via) == (BookingStatus.CANCELLED, "staff")
    assert AuditEntry.objects.filter(
        action=AuditEvent.BOOKING_CANCEL_BY_STAFF, subject_person_id=demo_resident_a.pk
    ).exists()
    (message,) = OutgoingMessage.objects.all()
    assert "avbokat" in message.body and demo_unit_x.phone in message.body and nurse_visit.name not in message.body


def test_a_no_show_is_recorded_only_after_the_visit_has_started(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, staff_actor
):
    import time_machine

    from vardnav.bookings.actions import do_mark_no_show
    from vardnav.bookings.models import BookingStatus

    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    actor = staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER)
    with pytest.raises(DomainError) as early:
        do_mark_no_show(actor, booking)
    assert early.value.code == BookingError.NO_SHOW_TOO_EARLY
    with time_machine.travel(booking.starts_at + dt.timedelta(minutes=30), tick=False):
        assert do_mark_no_show(actor, booking).status == BookingStatus.NO_SHOW
    assert AuditEntry.objects.filter(action=AuditEvent.BOOKING_NO_SHOW, object_id=str(booking.pk)).exists()


def test_blocked_time_withdraws_free_times_and_leaves_booked_ones(
    demo_booking_admin_x, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    from vardnav.bookings.models import SlotStatus

    day = clock.today() + dt.timedelta(days=50)
    first = dt.datetime.combine(day, dt.time(8), tzinfo=STOCKHOLM)
    slots = [make_time(nurse_visit, first + dt.timedelta(minutes=20 * n), staff=demo_booking_admin_x) for n in range(3)]
    do_book(resident_actor(demo_resident_a), time_id=slots[1].pk)
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    response = client.post(
        reverse("bookings:staff_block"),
        {"staff": demo_booking_admin_x.pk, "day": day.isoformat(), "start": "08:00", "end": "09:00"},
        follow=True,
    )
    page = response.content.decode()
    assert "2 lediga tider togs bort." in page and "1 tider i perioden är bokade" in page
    statuses = [Slot.objects.get(pk=slot.pk).status for slot in slots]
    assert statuses == [SlotStatus.WITHDRAWN, SlotStatus.PUBLISHED, SlotStatus.WITHDRAWN]
    assert AuditEntry.objects.filter(action=AuditEvent.SLOTS_WITHDRAW).exists()
