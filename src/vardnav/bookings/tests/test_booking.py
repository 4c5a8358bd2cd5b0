"""Booking a time: who may, for whom, what they are told, and that a time is never booked twice."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tests.sessions import log_in_client, resident_identity
from tests.tasks import run_tasks
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings import codes
from vardnav.bookings.actions import do_book, do_rebook
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus, VisitKind, VisitType
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db


@pytest.mark.rule("BOOK-2")
def test_a_logged_in_resident_books_a_free_time_and_the_booking_is_audited(
    demo_resident_a, resident_actor, nurse_visit, make_time
):
    time = make_time(nurse_visit)
    result = do_book(resident_actor(demo_resident_a), time_id=time.pk)

    booking = Booking.objects.get()
    assert booking == result.booking
    assert (booking.person, booking.status, booking.starts_at) == (
        demo_resident_a,
        BookingStatus.BOOKED,
        time.starts_at,
    )
    entry = AuditEntry.objects.get(action=AuditEvent.BOOKING_CREATE)
    assert (entry.subject_person_id, entry.object_id) == (demo_resident_a.pk, str(booking.pk))


@pytest.mark.rule("BOOK-2")
def test_booking_requires_a_logged_in_resident(nurse_visit, make_time, client):
    time = make_time(nurse_visit)
    with pytest.raises(PermissionDenied):
        do_book(Actor.anonymous(), time_id=time.pk)
    response = client.get(reverse("bookings:book", args=[time.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/?next=")
    assert f"/boka/tid/{time.pk}/" in response["Location"].replace("%2F", "/")
    assert not Booking.objects.exists()


@pytest.mark.rule("BOOK-2")
def test_the_cancellation_code_is_random_hashed_at_rest_and_in_the_confirmation_e_mail_only_once(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(demo_resident_a)
    result = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)

    assert codes.normalise_code(result.code) is not None and len(codes.ALPHABET) ** codes.CODE_LENGTH >= 2**40
    assert result.booking.cancel_code_hash == codes.hash_code(result.code)
    assert result.code not in result.booking.cancel_code_hash
    message = OutgoingMessage.objects.get()
    assert result.code not in message.body  # the plain column holds the masked copy
    assert result.code in message.secret_body  # the encrypted column, until it is sent
    run_tasks()
    message.refresh_from_db()
    assert (message.status, message.secret_body, message.attachments) == ("sent", "", [])


@pytest.mark.rule("BOOK-5")
def test_the_confirmation_e_mail_says_time_place_payment_and_code_with_an_ics_file_and_no_visit_type(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email, mailoutbox
):
    with_email(demo_resident_a)
    time = make_time(nurse_visit)
    result = do_book(resident_actor(demo_resident_a), time_id=time.pk)
    run_tasks()

    (mail,) = mailoutbox
    body = mail.body
    assert result.code in body
    assert "kl. 09.00" in body
    assert nurse_visit.unit.street_address in body
    assert "kort eller Swish" in body and "tar inte emot kontanter" in body
    assert nurse_visit.name not in body  # the visit type can be health data: never in e-mail
    (name, content, mimetype) = mail.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == time.starts_at
    assert event.decoded("dtend") == time.ends_at
    assert nurse_visit.name not in content and result.code not in content


def test_a_protected_resident_gets_no_e_mail_and_sees_the_code_on_the_page(
    protected_resident, resident_actor, nurse_visit, make_time, with_email
):
    with_email(protected_resident)
    do_book(resident_actor(protected_resident), time_id=make_time(nurse_visit).pk)
    assert not OutgoingMessage.objects.exists()


def test_a_guardian_books_for_a_child_under_16_but_not_for_one_of_17(
    demo_guardian, demo_child_8, demo_child_17, resident_actor, nurse_visit, make_time
):
    booking = do_book(
        resident_actor(demo_guardian), time_id=make_time(nurse_visit).pk, person_id=demo_child_8.pk
    ).booking
    assert (booking.person, booking.booked_by) == (demo_child_8, demo_guardian)
    with pytest.raises(DomainError) as refused:
        do_book(
            resident_actor(demo_guardian), time_id=make_time(nurse_visit, staff=None).pk, person_id=demo_child_17.pk
        )
    assert refused.value.code == BookingError.NOT_YOUR_CHILD


def test_a_taken_time_is_refused_with_a_clear_message_and_nothing_is_saved(
    demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    time = make_time(nurse_visit)
    do_book(resident_actor(demo_resident_a), time_id=time.pk)
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        do_book(resident_actor(demo_resident_b), time_id=time.pk)
    assert refused.value.code == BookingError.TIME_TAKEN
    assert "inte längre ledig" in refused.value.message
    assert Booking.objects.count() == 1
    assert AuditEntry.objects.count() == audit_rows


def test_a_time_in_the_past_is_refused(demo_resident_a, resident_actor, nurse_visit, make_time):
    time = make_time(nurse_visit, clock.now() - dt.timedelta(hours=1))
    with pytest.raises(DomainError) as refused:
        do_book(resident_actor(demo_resident_a), time_id=time.pk)
    assert refused.value.code == BookingError.TIME_IN_PAST
    assert not Booking.objects.exists()


@pytest.mark.rule("BOOK-4")
def test_a_vaccination_clinic_takes_care_matters_from_2_years_and_vaccines_from_their_own_minimum(
    demo_guardian, demo_child_8, resident_actor, vaccination_unit, make_time
):
    young = clock.today().replace(year=clock.today().year - 1)  # one year old
    demo_child_8.birth_date = young
    demo_child_8.save(update_fields=["birth_date"])
    advice = VisitType.objects.get(unit=vaccination_unit, kind=VisitKind.NURSE_VISIT)
    tbe = VisitType.objects.get(unit=vaccination_unit, name="TBE-vaccination")  # from 12 months
    yellow_fever = VisitType.objects.get(unit=vaccination_unit, name="Gula febern-vaccination")  # from 9 months

    with pytest.raises(DomainError) as refused:
        do_book(resident_actor(demo_guardian), time_id=make_time(advice).pk, person_id=demo_child_8.pk)
    assert refused.value.code == BookingError.TOO_YOUNG
    assert "fyllt 2 år" in refused.value.message
    assert do_book(resident_actor(demo_guardian), time_id=make_time(tbe).pk, person_id=demo_child_8.pk).booking.pk
    assert do_book(
        resident_actor(demo_guardian), time_id=make_time(yellow_fever).pk, person_id=demo_child_8.pk
    ).booking.pk

    demo_child_8.birth_date = clock.today() - dt.timedelta(days=8 * 30)  # about 8 months
    demo_child_8.save(update_fields=["birth_date"])
    with pytest.raises(DomainError) as too_young:
        do_book(resident_actor(demo_guardian), time_id=make_time(yellow_fever).pk, person_id=demo_child_8.pk)
    assert "fyllt 9 månader" in too_young.value.message


@pytest.mark.rule("BOOK-4")
def test_a_too_young_child_gets_the_message_next_to_the_choice_on_the_page(
    demo_guardian, demo_child_8, client, vaccination_unit, make_time
):
    demo_child_8.birth_date = clock.today() - dt.timedelta(days=300)
    demo_child_8.save(update_fields=["birth_date"])
    advice = VisitType.objects.get(unit=vaccination_unit, kind=VisitKind.NURSE_VISIT)
    time = make_time(advice)
    log_in_client(client, resident_identity(demo_guardian))
    response = client.post(
        reverse("bookings:book", args=[time.pk]), {"person": demo_child_8.pk, "submission_key": "k" * 16}
    )
    assert response.status_code == 200
    assert "Besöket är för den som har fyllt 2 år" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_booking_form_books_once_however_often_it_is_sent(demo_resident_a, client, nurse_visit, make_time):
    time = make_time(nurse_visit)
    log_in_client(client, resident_identity(demo_resident_a))
    form = {"person": demo_resident_a.pk, "submission_key": "booking-form-key-1"}
    first = client.post(reverse("bookings:book", args=[time.pk]), form)
    second = client.post(reverse("bookings:book", args=[time.pk]), form)
    booking = Booking.objects.get()
    assert first["Location"] == second["Location"] == reverse("bookings:detail", args=[booking.pk])
    assert Booking.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditEvent.BOOKING_CREATE).count() == 1


def test_the_code_is_shown_once_on_the_page_after_booking(demo_resident_a, client, nurse_visit, make_time):
    time = make_time(nurse_visit)
    log_in_client(client, resident_identity(demo_resident_a))
    response = client.post(
        reverse("bookings:book", args=[time.pk]),
        {"person": demo_resident_a.pk, "submission_key": "booking-form-key-2"},
        follow=True,
    )
    page = response.content.decode()
    assert "Din tid är bokad" in page and 'id="cancellation-code"' in page
    again = client.get(reverse("bookings:detail", args=[Booking.objects.get().pk])).content.decode()
    assert 'id="cancellation-code"' not in again


def test_rebooking_to_a_taken_time_changes_nothing(
    demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    mine = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    later = make_time(nurse_visit, mine.starts_at + dt.timedelta(days=1))
    do_book(resident_actor(demo_resident_b), time_id=later.pk)
    with pytest.raises(DomainError) as refused:
        do_rebook(resident_actor(demo_resident_a), mine, time_id=later.pk)
    assert refused.value.code == BookingError.TIME_TAKEN
    mine.refresh_from_db()
    assert mine.status == BookingStatus.BOOKED
    assert Booking.objects.count() == 2


def test_rebooking_frees_the_old_time_and_books_the_new_in_one_go(
    demo_resident_a, resident_actor, nurse_visit, make_time
):
    old_time = make_time(nurse_visit)
    mine = do_book(resident_actor(demo_resident_a), time_id=old_time.pk).booking
    new_time = make_time(nurse_visit, mine.starts_at + dt.timedelta(days=1))
    new = do_rebook(resident_actor(demo_resident_a), mine, time_id=new_time.pk).booking
    mine.refresh_from_db()
    assert (mine.status, mine.rebooked_as) == (BookingStatus.CANCELLED, new)
    assert new.slot == new_time and new.status == BookingStatus.BOOKED
    # The old time is free again for someone else.
    assert do_book(resident_actor(demo_resident_a), time_id=old_time.pk).booking.slot == old_time


def test_times_are_stored_in_utc_and_shown_in_swedish_time_across_the_daylight_saving_changes(
    demo_resident_a, resident_actor, nurse_visit, make_time
):
    from vardnav.bookings.texts import format_moment

    summer = dt.datetime(2027, 3, 29, 9, 0, tzinfo=STOCKHOLM)  # the Monday after the March change
    winter = dt.datetime(2027, 11, 1, 9, 0, tzinfo=STOCKHOLM)  # the Monday after the October change
    assert summer.astimezone(dt.UTC).hour == 7 and winter.astimezone(dt.UTC).hour == 8
    assert "kl. 09.00" in format_moment(summer) and "kl. 09.00" in format_moment(winter)


def test_a_taken_time_says_so_on_its_page_and_offers_no_form(
    demo_resident_a, demo_resident_b, resident_actor, client, nurse_visit, make_time
):
    time = make_time(nurse_visit)
    do_book(resident_actor(demo_resident_b), time_id=time.pk)
    log_in_client(client, resident_identity(demo_resident_a))
    page = client.get(reverse("bookings:book", args=[time.pk])).content.decode()
    assert "Tiden är tyvärr inte längre ledig" in page
    assert 'name="submission_key"' not in page
