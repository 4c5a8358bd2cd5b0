"""The "Avboka tid" and "Boka om tid" e-services act on a Vårdnav booking directly (issue 14, item 6).

The case form page asks the service's hooks for its own step (cases.hooks.form_step):
with an upcoming Vårdnav booking at the unit the resident chooses it and it is
cancelled or moved at once; past the cut-off nothing is saved and the unit's phone
number is shown; without one (or for a visit booked elsewhere) the request form to
the inbox is shown as before.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from tests.sessions import log_in_client, resident_identity
from vardnav.bookings.actions import do_book, do_join_waiting_list
from vardnav.bookings.models import Booking, BookingStatus, CancelledVia, WaitingListEntry, WaitingStatus
from vardnav.cases.models import Case
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.clock import STOCKHOLM

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)  # a Monday
LATER = dt.datetime(2027, 5, 14, 9, 0, tzinfo=STOCKHOLM)  # Friday: well before the 24-hour cut-off
SOON = dt.datetime(2027, 5, 11, 9, 0, tzinfo=STOCKHOLM)  # Tuesday morning: inside the cut-off


def _url(unit, kind) -> str:
    service = Service.objects.get(provider=unit.provider, kind=kind)
    return reverse("cases:new", args=[unit.slug, service.pk])


def _booked(resident_actor, person, slot) -> Booking:
    return do_book(resident_actor(person), time_id=slot.pk).booking


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.rule("BOOK-3")
def test_avboka_tid_cancels_the_chosen_booking_at_once_and_offers_the_time_to_the_waiting_list(
    travel, client, demo_unit_x, demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    waiting = do_join_waiting_list(resident_actor(demo_resident_b), visit_type=nurse_visit)
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_CANCEL)

    page = client.get(url).content.decode()
    assert "Avboka vald tid" in page and "fredag 14 maj 2027 kl. 09.00" in page
    key = uuid.uuid4().hex
    response = client.post(url, {"step": "booking", "booking": booking.pk, "submission_key": key})
    assert response.status_code == 302 and response["Location"] == reverse("bookings:detail", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_via == CancelledVia.RESIDENT
    waiting.refresh_from_db()
    assert waiting.status == WaitingStatus.OFFERED and waiting.offered_slot_id == booking.slot_id
    assert not Case.objects.exists()  # acted on directly: no request in the inbox

    # The same form sent again (a double click) lands on the same result, without an error.
    again = client.post(url, {"step": "booking", "booking": booking.pk, "submission_key": key})
    assert again.status_code == 302 and again["Location"] == response["Location"]
    detail = client.get(response["Location"]).content.decode()
    assert "Din tid fredag 14 maj 2027 kl. 09.00 är avbokad." in detail and "Avbokad" in detail


@pytest.mark.rule("BOOK-3")
def test_avboka_tid_past_the_cut_off_tells_to_call_the_unit_and_saves_nothing(
    travel, client, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time
):
    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, SOON))
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_CANCEL)

    page = client.get(url).content.decode()
    assert "Ring mottagningen på " + demo_unit_x.phone in page
    assert "Avboka vald tid" not in page  # nothing to choose that could be cancelled digitally
    response = client.post(url, {"step": "booking", "booking": booking.pk, "submission_key": uuid.uuid4().hex})
    assert response.status_code == 422
    assert demo_unit_x.phone in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and not Case.objects.exists()


@pytest.mark.rule("BOOK-2")
def test_a_resident_cannot_cancel_someone_elses_booking_through_the_e_service(
    travel, client, demo_unit_x, demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    mine = _booked(resident_actor, demo_resident_b, make_time(nurse_visit, LATER + dt.timedelta(hours=1)))
    theirs = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    log_in_client(client, resident_identity(demo_resident_b))
    url = _url(demo_unit_x, ServiceKind.VISIT_CANCEL)
    response = client.post(url, {"step": "booking", "booking": theirs.pk, "submission_key": uuid.uuid4().hex})
    assert response.status_code == 422
    assert "Välj en av dina bokade tider i listan." in response.content.decode()
    assert Booking.objects.filter(status=BookingStatus.BOOKED, pk__in=[mine.pk, theirs.pk]).count() == 2


@pytest.mark.rule("BOOK-3")
def test_boka_om_tid_moves_the_booking_to_a_free_time_of_the_same_visit_type(
    travel, client, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time
):
    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    new_time = make_time(nurse_visit, LATER + dt.timedelta(days=3))
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_REBOOK)

    assert "Välj ny tid" in client.get(url).content.decode()
    times = client.get(url, {"booking": booking.pk}).content.decode()
    assert "måndag 17 maj 2027 kl. 09.00" in times and "Boka om till vald tid" in times
    response = client.post(
        f"{url}?booking={booking.pk}",
        {"step": "booking", "booking": booking.pk, "time": new_time.pk, "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_via == CancelledVia.REBOOKED
    assert booking.rebooked_as is not None and booking.rebooked_as.slot_id == new_time.pk
    assert response["Location"] == reverse("bookings:detail", args=[booking.rebooked_as.pk])
    assert "Din tid är ombokad." in client.get(response["Location"]).content.decode()
    assert not Case.objects.exists()


@pytest.mark.rule("BOOK-3")
def test_boka_om_tid_to_a_time_taken_meanwhile_keeps_the_old_booking(
    travel, client, demo_unit_x, demo_resident_a, demo_resident_b, resident_actor, nurse_visit, make_time
):
    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    new_time = make_time(nurse_visit, LATER + dt.timedelta(days=3))
    _booked(resident_actor, demo_resident_b, new_time)
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_REBOOK)
    response = client.post(
        f"{url}?booking={booking.pk}",
        {"step": "booking", "booking": booking.pk, "time": new_time.pk, "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 422
    assert "Tiden är tyvärr inte längre ledig." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and booking.rebooked_as is None


@pytest.mark.rule("BOOK-3")
def test_boka_om_tid_past_the_cut_off_saves_nothing(
    travel, client, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time
):
    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, SOON))
    new_time = make_time(nurse_visit, LATER)
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_REBOOK)
    response = client.post(
        f"{url}?booking={booking.pk}",
        {"step": "booking", "booking": booking.pk, "time": new_time.pk, "submission_key": uuid.uuid4().hex},
    )
    assert response.status_code == 422 and demo_unit_x.phone in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert not Booking.objects.filter(slot=new_time).exists()


@pytest.mark.rule("BOOK-3")
def test_without_a_vardnav_booking_the_e_service_is_the_request_form_and_refuses_a_time_past_the_cut_off(
    travel, client, demo_unit_x, demo_resident_a
):
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_CANCEL)
    page = client.get(url).content.decode()
    assert "Skicka ärendet" in page and "Avboka vald tid" not in page

    # Tuesday 10.00 is inside the 24-hour cut-off: refused with the unit's phone number, nothing saved.
    refused = client.post(url, {"visit_date": "2027-05-11", "visit_time": "10.00", "submission_key": uuid.uuid4().hex})
    assert refused.status_code == 422 and demo_unit_x.phone in refused.content.decode()
    assert not Case.objects.exists()
    # A time of day that is not one: a message at the field.
    wrong = client.post(url, {"visit_date": "2027-05-13", "visit_time": "kl 9", "submission_key": uuid.uuid4().hex})
    assert wrong.status_code == 422 and "Skriv tiden som TT.MM" in wrong.content.decode()
    # Tuesday evening is still more than 24 hours away: the request reaches the inbox.
    sent = client.post(url, {"visit_date": "2027-05-11", "visit_time": "19.30", "submission_key": uuid.uuid4().hex})
    assert sent.status_code == 302
    assert Case.objects.get().answers["visit_time"] == "19.30"


def test_a_visit_booked_elsewhere_is_still_a_request_form_for_someone_with_a_vardnav_booking(
    travel, client, demo_unit_x, demo_resident_a, resident_actor, nurse_visit, make_time
):
    _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    log_in_client(client, resident_identity(demo_resident_a))
    url = _url(demo_unit_x, ServiceKind.VISIT_REBOOK)
    page = client.get(url).content.decode()
    assert f"{url}?formular=1" in page
    form = client.get(url, {"formular": "1"}).content.decode()
    assert "Skicka ärendet" in form
    sent = client.post(
        f"{url}?formular=1",
        {"visit_date": "2027-05-20", "preferred": "any", "submission_key": uuid.uuid4().hex},
    )
    assert sent.status_code == 302 and Case.objects.count() == 1


@pytest.mark.rule("BOOK-3")
def test_a_guardian_cancels_the_booking_made_for_their_child(
    travel, client, demo_unit_x, demo_guardian, demo_child_8, resident_actor, nurse_visit, make_time
):
    booking = do_book(
        resident_actor(demo_guardian), time_id=make_time(nurse_visit, LATER).pk, person_id=demo_child_8.pk
    ).booking
    log_in_client(client, resident_identity(demo_guardian, acting_for=demo_child_8))
    url = _url(demo_unit_x, ServiceKind.VISIT_CANCEL)
    response = client.post(url, {"step": "booking", "booking": booking.pk, "submission_key": uuid.uuid4().hex})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert WaitingListEntry.objects.count() == 0


@pytest.mark.rule("BOOK-3")
def test_the_unit_sees_in_its_book_that_the_resident_cancelled_through_the_e_service(
    travel, client, demo_unit_x, demo_resident_a, demo_booking_admin_x, resident_actor, nurse_visit, make_time
):
    from tests.sessions import staff_identity
    from vardnav.organizations.models import Role

    booking = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    log_in_client(client, resident_identity(demo_resident_a))
    client.post(
        _url(demo_unit_x, ServiceKind.VISIT_CANCEL),
        {"step": "booking", "booking": booking.pk, "submission_key": uuid.uuid4().hex},
    )
    client.cookies.clear()
    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    day = client.get(reverse("bookings:staff_day"), {"dag": "2027-05-14"}).content.decode()
    assert "Ledig – invånaren avbokade, visa" in day
    assert reverse("bookings:staff_booking", args=[booking.pk]) in day
    shown = client.get(reverse("bookings:staff_booking", args=[booking.pk])).content.decode()
    assert "Avbokad" in shown and "av invånaren" in shown


@pytest.mark.rule("BOOK-3")
def test_the_api_cancels_once_per_idempotency_key_and_refuses_past_the_cut_off(
    travel, client, demo_resident_a, resident_actor, nurse_visit, make_time
):
    later = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, LATER))
    soon = _booked(resident_actor, demo_resident_a, make_time(nurse_visit, SOON))
    log_in_client(client, resident_identity(demo_resident_a))
    key = uuid.uuid4().hex
    first = client.post(f"/api/v1/bookings/{later.pk}/cancel", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(f"/api/v1/bookings/{later.pk}/cancel", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["status"] == BookingStatus.CANCELLED
    late = client.post(f"/api/v1/bookings/{soon.pk}/cancel", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    assert late.status_code == 409 and late.json()["code"] == "past-cutoff"
    soon.refresh_from_db()
    assert soon.status == BookingStatus.BOOKED
