"""The waiting list: a freed time is offered to the first in line; the first to confirm gets it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.sessions import log_in_client, resident_identity
from vardnav.bookings.actions import do_book, do_cancel, do_join_waiting_list, do_leave_waiting_list
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import UnitBookingSettings, WaitingListEntry, WaitingStatus
from vardnav.bookings.reminders import do_send_reminders
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError
from vardnav.notifications.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db


def test_a_cancelled_time_is_offered_to_the_first_in_line_and_the_first_to_confirm_gets_it(
    demo_resident_a, demo_resident_b, demo_guardian, resident_actor, nurse_visit, make_time
):
    slot = make_time(nurse_visit)
    booking = do_book(resident_actor(demo_resident_a), time_id=slot.pk).booking
    first = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
    second = do_join_waiting_list(resident_actor(demo_guardian), visit_type=nurse_visit)
    assert do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit).pk == first.pk  # one place

    do_cancel(resident_actor(demo_resident_a), booking)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.offered_slot_id) == (WaitingStatus.OFFERED, slot.pk)
    assert second.status == WaitingStatus.WAITING
    offer = Notice.objects.get(person=demo_resident_b, kind=NoticeKind.BOOKING_OFFER)
    assert offer.link == reverse("bookings:book", args=[slot.pk]) and nurse_visit.name not in offer.text
    assert not Notice.objects.filter(person=demo_guardian, kind=NoticeKind.BOOKING_OFFER).exists()

    # Someone else confirms first: the offered resident is told the time is gone, and stays in line if they ask.
    do_book(resident_actor(demo_guardian), time_id=slot.pk)
    with pytest.raises(DomainError) as late:
        do_book(resident_actor(demo_resident_b), time_id=slot.pk)
    assert late.value.code == BookingError.TIME_TAKEN
    second.refresh_from_db()
    assert second.status == WaitingStatus.DONE  # booking the visit type ends the guardian's place
    again = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
    assert (again.pk, again.status) == (first.pk, WaitingStatus.WAITING)


def test_the_offered_resident_who_books_leaves_the_list_and_can_leave_it_themself(
    demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    slot = make_time(nurse_visit)
    booking = do_book(resident_actor(demo_resident_a), time_id=slot.pk).booking
    entry = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
    do_cancel(resident_actor(demo_resident_a), booking)
    do_book(resident_actor(demo_resident_b), time_id=slot.pk)
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.DONE

    other = do_join_waiting_list(resident_actor(demo_resident_a), visit_type=nurse_visit)
    do_leave_waiting_list(resident_actor(demo_resident_a), other)
    assert WaitingListEntry.objects.get(pk=other.pk).status == WaitingStatus.DONE


def test_a_resident_joins_and_leaves_the_waiting_list_on_the_pages(client, demo_resident_a, nurse_visit):
    log_in_client(client, resident_identity(demo_resident_a))
    response = client.post(reverse("bookings:join_waiting_list"), {"visit_type": nurse_visit.pk}, follow=True)
    page = response.content.decode()
    assert "Du står i kö" in page and nurse_visit.name in page
    entry = WaitingListEntry.objects.get(person=demo_resident_a)
    response = client.post(reverse("bookings:leave_waiting_list", args=[entry.pk]), follow=True)
    assert "Du har lämnat väntelistan." in response.content.decode()
    assert client.post(reverse("bookings:join_waiting_list"), {"visit_type": "999999999"}).status_code == 404
    assert client.post(reverse("bookings:leave_waiting_list", args=[entry.pk])).status_code == 404


def test_too_young_for_the_visit_type_cannot_join_its_waiting_list(
    demo_guardian, demo_child_8, resident_actor, vaccination_unit
):
    from vardnav.bookings.models import VisitType

    visit_type = VisitType.objects.get(unit=vaccination_unit, name="Resevaccination – rådgivning")
    visit_type.minimum_age_months = 12 * 10
    visit_type.save(update_fields=["minimum_age_months"])
    with pytest.raises(DomainError) as refused:
        do_join_waiting_list(resident_actor(demo_guardian), visit_type=visit_type, person_id=demo_child_8.pk)
    assert refused.value.code == BookingError.TOO_YOUNG
    assert not WaitingListEntry.objects.exists()


def test_the_reminder_sweep_is_not_delayed_by_bookings_that_are_not_yet_due(
    demo_resident_a, resident_actor, nurse_visit, make_time, vaccination_unit
):
    from vardnav.bookings.models import VisitType

    now = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)
    UnitBookingSettings.objects.filter(unit=nurse_visit.unit).update(reminder_hours=1)
    UnitBookingSettings.objects.filter(unit=vaccination_unit).update(reminder_hours=48)
    vaccine = VisitType.objects.get(unit=vaccination_unit, name="TBE-vaccination")
    with time_machine.travel(now, tick=False):
        # Three bookings soon, but not yet due (their unit reminds one hour before) …
        for minutes in (120, 140, 160):
            do_book(
                resident_actor(demo_resident_a), time_id=make_time(nurse_visit, now + dt.timedelta(minutes=minutes)).pk
            )
        # … and one later visit that is due now (its unit reminds two days before).
        due = do_book(resident_actor(demo_resident_a), time_id=make_time(vaccine, now + dt.timedelta(hours=40)).pk)
        assert do_send_reminders(limit=3) == 1
    due.booking.refresh_from_db()
    assert due.booking.reminded_at is not None


def test_an_offer_not_taken_in_time_goes_to_the_next_in_line_and_the_first_keeps_their_place(
    demo_resident_a, demo_resident_b, demo_guardian, resident_actor, nurse_visit, make_time
):
    from django.core.management import call_command

    from vardnav.bookings.actions import WAITING_OFFER_HOLD, do_pass_on_offers

    start = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(start, tick=False) as clock:
        slot = make_time(nurse_visit, start + dt.timedelta(days=3))
        other = make_time(nurse_visit, start + dt.timedelta(days=4))
        booking = do_book(resident_actor(demo_resident_a), time_id=slot.pk).booking
        later_booking = do_book(resident_actor(demo_resident_a), time_id=other.pk).booking
        first = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
        second = do_join_waiting_list(resident_actor(demo_guardian), visit_type=nurse_visit)
        do_cancel(resident_actor(demo_resident_a), booking)

        clock.shift(WAITING_OFFER_HOLD - dt.timedelta(minutes=1))
        assert do_pass_on_offers() == 0  # still the first one's time
        clock.shift(dt.timedelta(minutes=2))
        call_command("send_booking_reminders")
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == WaitingStatus.WAITING
        assert (second.status, second.offered_slot_id) == (WaitingStatus.OFFERED, slot.pk)
        assert Notice.objects.filter(person=demo_guardian, kind=NoticeKind.BOOKING_OFFER).count() == 1

        # Nobody takes it: the list has no one else, and it is not offered to the first again.
        clock.shift(WAITING_OFFER_HOLD + dt.timedelta(minutes=1))
        assert do_pass_on_offers() == 1
        first.refresh_from_db()
        assert first.status == WaitingStatus.WAITING
        assert Notice.objects.filter(person=demo_resident_b, kind=NoticeKind.BOOKING_OFFER).count() == 1

        # The next time that opens goes to the first in line again: they kept their place.
        do_cancel(resident_actor(demo_resident_a), later_booking)
        first.refresh_from_db()
        assert (first.status, first.offered_slot_id) == (WaitingStatus.OFFERED, other.pk)


def test_an_offer_whose_time_was_booked_meanwhile_ends_without_a_new_offer(
    demo_resident_a, demo_resident_b, demo_guardian, resident_actor, nurse_visit, make_time
):
    from vardnav.bookings.actions import WAITING_OFFER_HOLD, do_pass_on_offers

    start = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(start, tick=False) as clock:
        slot = make_time(nurse_visit, start + dt.timedelta(days=3))
        booking = do_book(resident_actor(demo_resident_a), time_id=slot.pk).booking
        first = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
        second = do_join_waiting_list(resident_actor(demo_guardian), visit_type=nurse_visit)
        do_cancel(resident_actor(demo_resident_a), booking)
        do_book(resident_actor(demo_resident_a), time_id=slot.pk)  # someone not in line was quicker
        clock.shift(WAITING_OFFER_HOLD + dt.timedelta(minutes=1))
        assert do_pass_on_offers() == 1
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == second.status == WaitingStatus.WAITING
        assert not Notice.objects.filter(person=demo_guardian, kind=NoticeKind.BOOKING_OFFER).exists()
