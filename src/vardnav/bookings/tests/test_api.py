"""The bookings API: the same rules as the pages, problem+json refusals, Idempotency-Key on booking."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.sessions import log_in_client, resident_identity
from vardnav.bookings.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_free_times_and_the_units_offer_are_public(client, nurse_visit, make_time):
    time = make_time(nurse_visit)
    offer = client.get(f"/api/v1/bookings/units/{nurse_visit.unit_id}").json()
    assert offer["online_booking"] is True and nurse_visit.name in [v["name"] for v in offer["visit_types"]]
    free = client.get(f"/api/v1/bookings/units/{nurse_visit.unit_id}/visit-types/{nurse_visit.pk}/free-times").json()
    assert time.pk in [item["id"] for item in free["items"]]


@pytest.mark.rule("BOOK-2")
def test_booking_through_the_api_needs_a_resident_and_replays_an_idempotency_key(
    client, demo_resident_a, nurse_visit, make_time
):
    time = make_time(nurse_visit)
    anonymous = client.post("/api/v1/bookings", {"slot_id": time.pk}, content_type="application/json")
    assert anonymous.status_code == 401

    log_in_client(client, resident_identity(demo_resident_a))
    headers = {"HTTP_IDEMPOTENCY_KEY": "book-once-12345"}
    first = client.post("/api/v1/bookings", {"slot_id": time.pk}, content_type="application/json", **headers)
    second = client.post("/api/v1/bookings", {"slot_id": time.pk}, content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] == Booking.objects.get().pk
    assert first.json()["cancel_code"] and second.json()["cancel_code"] is None

    mine = client.get("/api/v1/bookings/mine").json()
    assert [b["id"] for b in mine["upcoming"]] == [first.json()["id"]]


def test_a_taken_time_is_a_problem_json_conflict(client, demo_resident_a, demo_resident_b, nurse_visit, make_time):
    time = make_time(nurse_visit)
    log_in_client(client, resident_identity(demo_resident_a))
    client.post("/api/v1/bookings", {"slot_id": time.pk}, content_type="application/json")
    log_in_client(client, resident_identity(demo_resident_b))
    response = client.post("/api/v1/bookings", {"slot_id": time.pk}, content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "time-taken"
    assert "inte längre ledig" in response.json()["title"]


def test_cancel_by_code_and_cancel_my_booking_through_the_api(client, demo_resident_a, nurse_visit, make_time):
    log_in_client(client, resident_identity(demo_resident_a))
    booked = client.post(
        "/api/v1/bookings", {"slot_id": make_time(nurse_visit).pk}, content_type="application/json"
    ).json()
    other = client.post(
        "/api/v1/bookings", {"slot_id": make_time(nurse_visit, None).pk}, content_type="application/json"
    ).json()
    response = client.post(
        "/api/v1/bookings/cancel-by-code", {"code": booked["cancel_code"]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == BookingStatus.CANCELLED
    wrong = client.post("/api/v1/bookings/cancel-by-code", {"code": "nope"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid-cancellation-code"
    cancelled = client.post(f"/api/v1/bookings/{other['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == BookingStatus.CANCELLED


def test_staff_publish_a_series_and_read_their_units_day_through_the_api(
    client, demo_booking_admin_x, demo_handler_x, demo_unit_x, nurse_visit
):
    import datetime as dt

    from tests.sessions import staff_identity
    from vardnav.core import clock
    from vardnav.organizations.models import Role

    day = clock.today() + dt.timedelta(days=60)
    series = {
        "visit_type_id": nurse_visit.pk,
        "staff_id": demo_booking_admin_x.pk,
        "first_day": day.isoformat(),
        "last_day": day.isoformat(),
        "weekdays": list(range(7)),
        "start": "08:00",
        "end": "09:00",
    }
    log_in_client(client, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    refused = client.post("/api/v1/staff/bookings/series", series, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "booking-staff-role-required"

    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    created = client.post("/api/v1/staff/bookings/series", series, content_type="application/json")
    assert created.status_code == 201 and created.json() == {"created": 3}
    bad = client.post("/api/v1/staff/bookings/series", {**series, "end": "07:00"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "series-hours"
    listed = client.get(f"/api/v1/staff/bookings/day?date={day.isoformat()}")
    assert listed.status_code == 200
    assert len(listed.json()) == 3 and {row["booking_id"] for row in listed.json()} == {None}


def test_staff_add_an_extra_time_summon_a_resident_and_read_the_week_through_the_api(
    client, demo_booking_admin_x, demo_handler_x, demo_unit_x, demo_resident_a, nurse_visit
):
    import datetime as dt

    from tests.sessions import staff_identity
    from vardnav.core import clock
    from vardnav.demo import identities as ids
    from vardnav.organizations.models import Role

    day = clock.today() + dt.timedelta(days=61)
    extra = {"visit_type_id": nurse_visit.pk, "staff_id": demo_booking_admin_x.pk, "starts_at": f"{day}T07:00:00+01:00"}
    log_in_client(client, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    refused = client.post("/api/v1/staff/bookings/times", extra, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "booking-staff-role-required"

    log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    created = client.post("/api/v1/staff/bookings/times", extra, content_type="application/json")
    assert created.status_code == 201
    slot_id = created.json()["id"]
    again = client.post("/api/v1/staff/bookings/times", extra, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "extra-time-exists"

    bad = client.post(
        "/api/v1/staff/bookings/summons",
        {"slot_id": slot_id, "personal_number": "12"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and not Booking.objects.exists()  # the invalid personal number
    summoned = client.post(
        "/api/v1/staff/bookings/summons",
        {"slot_id": slot_id, "personal_number": ids.RESIDENT_A},
        content_type="application/json",
    )
    assert summoned.status_code == 201 and summoned.json()["person_id"] == demo_resident_a.pk
    week = client.get(f"/api/v1/staff/bookings/week?date={day.isoformat()}").json()
    assert len(week) == 7
    booked = [time for each in week for time in each["times"] if time["id"] == slot_id]
    assert booked and booked[0]["booking_id"] == summoned.json()["booking_id"]


def test_a_resident_joins_lists_and_leaves_a_waiting_list_through_the_api(client, demo_resident_a, nurse_visit):
    log_in_client(client, resident_identity(demo_resident_a))
    joined = client.post(
        "/api/v1/bookings/waiting-list", {"visit_type_id": nurse_visit.pk}, content_type="application/json"
    )
    assert joined.status_code == 201 and joined.json()["status"] == "waiting"
    listed = client.get("/api/v1/bookings/waiting-list").json()
    assert [entry["id"] for entry in listed] == [joined.json()["id"]]
    assert client.delete(f"/api/v1/bookings/waiting-list/{joined.json()['id']}").status_code == 204
    assert client.get("/api/v1/bookings/waiting-list").json() == []
    missing = client.post("/api/v1/bookings/waiting-list", {"visit_type_id": 999999}, content_type="application/json")
    assert missing.status_code == 404 and missing.json()["code"] == "visit-type-not-offered"
