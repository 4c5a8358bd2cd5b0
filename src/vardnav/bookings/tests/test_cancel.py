"""Cancelling: by code without login, on Mina bokningar, and the cut-off after which the resident must call."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings.actions import do_book, do_cancel, do_cancel_by_code, do_rebook
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus, CancellationPolicy, CutoffCounting, VisitType
from vardnav.bookings.policy import cutoff_before, policy_for
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError
from vardnav.organizations.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.rule("BOOK-2")
def test_anyone_with_the_code_cancels_on_the_avboka_tid_page_without_logging_in(
    demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    result = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)
    response = client.post(reverse("bookings:cancel_by_code"), {"code": result.code.lower().replace("-", " ")})
    assert response.status_code == 200
    assert "Tiden är avbokad" in response.content.decode()
    booking = Booking.objects.get()
    assert (booking.status, booking.cancelled_via) == (BookingStatus.CANCELLED, "code")
    entry = AuditEntry.objects.get(action=AuditEvent.BOOKING_CANCEL_BY_CODE)
    assert (entry.actor_kind, entry.subject_person_id) == ("anonymous", demo_resident_a.pk)


@pytest.mark.rule("BOOK-2")
def test_a_code_cancels_once_and_a_wrong_code_cancels_nothing(demo_resident_a, resident_actor, nurse_visit, make_time):
    result = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)
    with pytest.raises(DomainError) as wrong:
        do_cancel_by_code(Actor.anonymous(), "AAAA-AAAA-AAAA")
    assert wrong.value.code == BookingError.INVALID_CODE
    assert Booking.objects.get().status == BookingStatus.BOOKED
    do_cancel_by_code(Actor.anonymous(), result.code)
    with pytest.raises(DomainError) as spent:
        do_cancel_by_code(Actor.anonymous(), result.code)
    assert spent.value.code == BookingError.INVALID_CODE


def test_a_thousand_guesses_are_stopped_by_the_rate_limit(client):
    answers = [
        client.post(
            "/api/v1/bookings/cancel-by-code", {"code": f"AAAA-AAAA-{n:04d}"}, content_type="application/json"
        ).status_code
        for n in range(1000)
    ]
    # 10 a minute, and never more than 30 in an hour (a minute window may roll over during the test).
    assert len(answers) - answers.count(429) <= 30
    assert set(answers[:10]) == {400}
    assert answers[-1] == 429


@pytest.mark.rule("BOOK-3")
def test_the_default_cut_off_is_24_hours_in_primary_care_and_72_in_specialist_care(demo_unit_x):
    starts = dt.datetime(2027, 5, 12, 10, 0, tzinfo=STOCKHOLM)
    assert cutoff_before(starts, policy_for(demo_unit_x)) == starts - dt.timedelta(hours=24)
    specialist = Unit(provider=demo_unit_x.provider, kind=UnitKind.SPECIALIST)
    assert cutoff_before(starts, policy_for(specialist)) == starts - dt.timedelta(hours=72)


@pytest.mark.rule("BOOK-3")
def test_a_provider_may_count_the_cut_off_in_whole_weekdays(demo_unit_x):
    CancellationPolicy.objects.create(
        provider=demo_unit_x.provider,
        unit_kind=UnitKind.PRIMARY_CARE,
        notice_hours=24,
        counting=CutoffCounting.WORKING_DAYS,
    )
    monday = dt.datetime(2027, 5, 17, 9, 0, tzinfo=STOCKHOLM)
    assert cutoff_before(monday, policy_for(demo_unit_x)) == dt.datetime(2027, 5, 14, 9, 0, tzinfo=STOCKHOLM)  # Friday


@pytest.mark.rule("BOOK-3")
def test_after_the_cut_off_cancelling_and_rebooking_are_refused_and_the_resident_is_told_to_call(
    demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    starts = dt.datetime(2027, 5, 12, 10, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
        result = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, starts).pk)
        other = make_time(nurse_visit, starts + dt.timedelta(days=2))
    with time_machine.travel(dt.datetime(2027, 5, 11, 10, 1, tzinfo=STOCKHOLM), tick=False):  # 23 h 59 min before
        for attempt in (
            lambda: do_cancel(resident_actor(demo_resident_a), result.booking),
            lambda: do_cancel_by_code(Actor.anonymous(), result.code),
            lambda: do_rebook(resident_actor(demo_resident_a), result.booking, time_id=other.pk),
        ):
            with pytest.raises(DomainError) as refused:
                attempt()
            assert refused.value.code == BookingError.PAST_CUTOFF
            assert nurse_visit.unit.phone in refused.value.message
        log_in_client(client, resident_identity(demo_resident_a))
        page = client.get(reverse("bookings:detail", args=[result.booking.pk])).content.decode()
        assert "Det är för sent att avboka eller boka om digitalt" in page and nurse_visit.unit.phone in page
        assert reverse("bookings:cancel", args=[result.booking.pk]) not in page
    assert Booking.objects.get(pk=result.booking.pk).status == BookingStatus.BOOKED


@pytest.mark.rule("BOOK-3")
def test_just_before_the_cut_off_the_resident_cancels_on_mina_bokningar(
    demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    starts = dt.datetime(2027, 5, 12, 10, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM), tick=False):
        booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, starts).pk).booking
    with time_machine.travel(dt.datetime(2027, 5, 11, 9, 59, tzinfo=STOCKHOLM), tick=False):
        log_in_client(client, resident_identity(demo_resident_a))
        response = client.post(reverse("bookings:cancel", args=[booking.pk]))
        assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_the_cut_off_counts_real_hours_across_the_change_to_summer_time(nurse_visit):
    # Sunday 28 March 2027 02:00 → 03:00: a Sunday 10:00 visit closes Saturday 09:00 local, 24 real hours before.
    sunday = dt.datetime(2027, 3, 28, 10, 0, tzinfo=STOCKHOLM)
    deadline = cutoff_before(sunday, policy_for(nurse_visit.unit))
    assert deadline.astimezone(STOCKHOLM) == dt.datetime(2027, 3, 27, 9, 0, tzinfo=STOCKHOLM)
    assert sunday - deadline == dt.timedelta(hours=24)


def test_someone_else_cannot_see_or_cancel_my_booking(
    demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time, client
):
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    log_in_client(client, resident_identity(demo_resident_b))
    assert client.get(reverse("bookings:detail", args=[booking.pk])).status_code == 404
    assert client.post(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_mina_bokningar_lists_upcoming_and_past_in_a_fixed_number_of_queries(
    demo_resident_a, resident_actor, nurse_visit, make_time, client
):
    from tests.queries import assert_same_query_count

    do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)
    log_in_client(client, resident_identity(demo_resident_a))
    url = reverse("bookings:my_bookings")

    def more() -> None:
        first = Booking.objects.first()
        assert first is not None
        for days in range(4, 10):
            do_book(
                resident_actor(demo_resident_a),
                time_id=make_time(nurse_visit, first.starts_at + dt.timedelta(days=days)).pk,
            )

    assert_same_query_count(lambda: client.get(url), more)
    page = client.get(url).content.decode()
    assert page.count(nurse_visit.name) == 7


def test_visit_types_unknown_to_the_unit_are_refused(demo_unit_x, client):
    other = VisitType.objects.exclude(unit=demo_unit_x).filter(online_bookable=True).first()
    assert other is not None
    response = client.get(reverse("bookings:unit_booking", args=[demo_unit_x.slug]) + f"?besokstyp={other.pk}")
    assert response.status_code == 404
