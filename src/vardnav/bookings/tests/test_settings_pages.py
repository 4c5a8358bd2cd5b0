"""The booking settings pages and API (issue 11, item 13): visit types, a unit's booking settings (BOOK-1)
and the provider's cut-off rules (BOOK-3), kept without the Django admin. What is changed there is what
the resident then sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.personas import actor_for, grant
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings.access import may_change_digitally
from vardnav.bookings.actions import do_book, do_create_visit_type, do_set_booking_settings
from vardnav.bookings.models import CancellationPolicy, Slot, UnitBookingSettings, VisitType
from vardnav.core import clock
from vardnav.organizations.models import Role, UnitKind

pytestmark = pytest.mark.django_db

NURSE_VISIT = {"kind": "nurse_visit", "duration_minutes": 20, "profession": "nurse"}


def _visit_types_url(unit) -> str:
    return reverse("bookings:settings_visit_types", args=[unit.pk])


def _visit_type_form(**changes) -> dict[str, str]:
    form = {
        "name": "Blodtryckskontroll",
        "name_en": "Blood pressure check",
        "kind": "nurse_visit",
        "duration_minutes": "15",
        "profession": "nurse",
        "minimum_age_months": "0",
        "online_bookable": "on",
        "is_active": "on",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


@pytest.fixture
def booking_admin_x(world):
    """Rebecka (receiver_x) is also the booking admin (tidbokningsansvarig) at unit X."""
    grant(world.receiver_x, world.unit_x, Role.BOOKING_ADMIN)
    return world.receiver_x


@pytest.fixture
def online_unit_x(world):
    """Unit X takes online bookings."""
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    do_set_booking_settings(head, unit=world.unit_x, online_booking=True, drop_in=False, drop_in_hours=[])
    return world.unit_x


def _time(visit_type, starts_at) -> Slot:
    return Slot.objects.create(
        unit=visit_type.unit,
        visit_type=visit_type,
        resource="Rum 3",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=visit_type.duration_minutes),
        created_at=clock.now(),
    )


def _log_in_booking_admin(client, world, booking_admin_x):
    log_in_client(client, staff_identity(booking_admin_x, unit=world.unit_x, role=Role.BOOKING_ADMIN))


# --- visit types ------------------------------------------------------------------------------------


@pytest.mark.rule("BOOK-1")
def test_a_booking_admin_adds_a_visit_type_and_the_resident_is_offered_it_in_swedish_and_english(
    client, world, booking_admin_x, online_unit_x
):
    _log_in_booking_admin(client, world, booking_admin_x)
    response = client.post(reverse("bookings:settings_visit_type_add", args=[world.unit_x.pk]), _visit_type_form())
    assert response.status_code == 302
    visit_type = VisitType.objects.get(unit=world.unit_x, name="Blodtryckskontroll")
    assert visit_type.name_en == "Blood pressure check" and visit_type.duration_minutes == 15
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_TYPE_CREATE, object_id=str(visit_type.pk)).exists()
    listing = client.get(_visit_types_url(world.unit_x)).content.decode()
    assert "Besökstypen Blodtryckskontroll är tillagd." in listing

    log_in_client(client, resident_identity(world.resident_a))
    page = reverse("bookings:unit_booking", args=[world.unit_x.slug])
    assert "Blodtryckskontroll" in client.get(page).content.decode()
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Blood pressure check" in english and "Blodtryckskontroll" not in english


def test_a_visit_type_without_an_english_name_is_shown_in_swedish_with_english(client, world, online_unit_x):
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    do_create_visit_type(head, unit=world.unit_x, name="Sårvård", **NURSE_VISIT)
    page = reverse("bookings:unit_booking", args=[world.unit_x.slug])
    assert "Sårvård" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_bad_visit_type_input_is_refused_at_its_field_in_swedish_and_nothing_is_saved(client, world, booking_admin_x):
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    do_create_visit_type(head, unit=world.unit_x, name="Sårvård", **NURSE_VISIT)
    _log_in_booking_admin(client, world, booking_admin_x)
    add = reverse("bookings:settings_visit_type_add", args=[world.unit_x.pk])
    cases = [
        (_visit_type_form(name="  "), "name", "Skriv besökstypens namn."),
        (_visit_type_form(name="sårvård"), "name", "Mottagningen har redan en besökstyp med det namnet."),
        (_visit_type_form(duration_minutes="3"), "duration_minutes", "mellan 5 och 240 minuter"),
        (_visit_type_form(duration_minutes="tjugo"), "duration_minutes", "mellan 5 och 240 minuter"),
        (_visit_type_form(profession="astronaut"), "profession", ""),
        (_visit_type_form(name="x" * 101), "name", "högst 100 tecken"),
    ]
    for data, field, message in cases:
        response = client.post(add, data)
        assert response.status_code == 422, data
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field]), (data, errors)
    assert list(VisitType.objects.filter(unit=world.unit_x).values_list("name", flat=True)) == ["Sårvård"]


@pytest.mark.rule("BOOK-1")
def test_a_visit_type_with_bookings_is_made_inactive_never_deleted_and_residents_no_longer_see_it(
    client, world, booking_admin_x, online_unit_x
):
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    visit_type = do_create_visit_type(head, unit=world.unit_x, name="Sårvård", **NURSE_VISIT)
    slot = _time(visit_type, clock.now() + dt.timedelta(days=3))
    do_book(actor_for(world.resident_a), time_id=slot.pk)
    _log_in_booking_admin(client, world, booking_admin_x)
    listing = client.get(_visit_types_url(world.unit_x)).content.decode()
    assert "har bokningar" in listing

    edit = reverse("bookings:settings_visit_type", args=[world.unit_x.pk, visit_type.pk])
    form = _visit_type_form(name="Sårvård", name_en="Wound care", kind=None, is_active=None)
    assert client.post(edit, form).status_code == 302
    visit_type.refresh_from_db()
    assert not visit_type.is_active and visit_type.name_en == "Wound care"
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_TYPE_UPDATE, object_id=str(visit_type.pk)).exists()
    page = client.get(reverse("bookings:unit_booking", args=[world.unit_x.slug])).content.decode()
    assert "Sårvård" not in page


def test_the_visit_type_list_costs_the_same_queries_with_one_row_as_with_many(client, world, booking_admin_x):
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    do_create_visit_type(head, unit=world.unit_x, name="Typ 0", **NURSE_VISIT)
    _log_in_booking_admin(client, world, booking_admin_x)
    url = _visit_types_url(world.unit_x)

    def add_rows() -> None:
        for number in range(1, 6):
            do_create_visit_type(head, unit=world.unit_x, name=f"Typ {number}", name_en=f"Type {number}", **NURSE_VISIT)

    assert_same_query_count(lambda: client.get(url), add_rows)


# --- a unit's booking settings (BOOK-1) ---------------------------------------------------------------


@pytest.mark.rule("BOOK-1")
def test_the_head_of_unit_turns_on_online_booking_and_drop_in_and_the_resident_sees_the_hours(client, world):
    log_in_client(client, staff_identity(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN))
    url = reverse("bookings:settings_unit", args=[world.unit_x.pk])
    assert client.get(url).status_code == 200
    data = {
        "online_booking": "on",
        "drop_in": "on",
        "days_0": "mån–fre",
        "hours_0": "09–11",
        "reminder_hours": "48",
        "weeks_ahead": "8",
    }
    assert client.post(url, data).status_code == 302
    settings = UnitBookingSettings.objects.get(unit=world.unit_x)
    assert settings.online_booking and settings.drop_in
    assert settings.drop_in_hours == [{"days": "mån–fre", "hours": "09–11"}]
    assert (settings.reminder_hours, settings.weeks_ahead) == (48, 8)
    assert AuditEntry.objects.filter(action=AuditEvent.BOOKING_SETTINGS_SET, unit_id=world.unit_x.pk).exists()

    unit_page = client.get(reverse("organizations:unit_detail", args=[world.unit_x.slug])).content.decode()
    assert "Mottagningen tar emot tidsbokning på nätet." in unit_page
    assert "09–11" in unit_page and "Du kan komma på drop-in utan tidsbokning." in unit_page


@pytest.mark.rule("BOOK-1")
def test_bad_booking_settings_are_refused_at_their_fields_and_nothing_is_saved(client, world):
    log_in_client(client, staff_identity(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN))
    url = reverse("bookings:settings_unit", args=[world.unit_x.pk])
    cases = [
        ({"drop_in": "on", "reminder_hours": "24", "weeks_ahead": "4"}, "days_0", "Skriv minst en rad"),
        ({"days_0": "mån", "reminder_hours": "24", "weeks_ahead": "4"}, "hours_0", "Skriv tiderna för ”mån”"),
        ({"reminder_hours": "100", "weeks_ahead": "4"}, "reminder_hours", "mellan 0 och 72 timmar"),
        ({"reminder_hours": "24", "weeks_ahead": "0"}, "weeks_ahead", "mellan 1 och 26 veckor"),
    ]
    for data, field, message in cases:
        response = client.post(url, data)
        assert response.status_code == 422, data
        errors = response.context["form"].errors
        assert message in " ".join(errors.get(field, [])), (data, errors)
    assert not UnitBookingSettings.objects.filter(unit=world.unit_x).exists()


# --- the provider's cut-off rules (BOOK-3) --------------------------------------------------------------


@pytest.mark.rule("BOOK-3")
def test_the_provider_admin_sets_the_cut_off_and_the_residents_booking_closes_accordingly(client, world, online_unit_x):
    head = actor_for(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN)
    visit_type = do_create_visit_type(head, unit=world.unit_x, name="Sårvård", **NURSE_VISIT)
    slot = _time(visit_type, clock.now() + dt.timedelta(hours=36))
    booking = do_book(actor_for(world.resident_a), time_id=slot.pk).booking
    assert may_change_digitally(booking)  # the default: 24 hours in primary care

    log_in_client(client, staff_identity(world.provider_admin))
    url = reverse("bookings:settings_policies")
    page = client.get(url).content.decode()
    assert "Specialistmottagning" in page and 'value="72"' in page and 'value="24"' in page
    data = {f"hours_{kind}": "24" for kind in UnitKind.values}
    data |= {f"counting_{kind}": "hours" for kind in UnitKind.values}
    data["hours_specialist"] = "72"
    data["hours_primary_care"] = "48"
    assert client.post(url, data).status_code == 302
    policy = CancellationPolicy.objects.get(provider=world.provider)
    assert (policy.unit_kind, policy.notice_hours) == (UnitKind.PRIMARY_CARE, 48)  # only the changed row is saved
    assert AuditEntry.objects.filter(action=AuditEvent.CANCELLATION_POLICY_SET).count() == 1

    assert not may_change_digitally(booking)
    log_in_client(client, resident_identity(world.resident_a))
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Det är för sent att avboka eller boka om digitalt." in detail


@pytest.mark.rule("BOOK-3")
def test_a_bad_cut_off_is_refused_at_its_field_and_nothing_is_saved(client, world):
    log_in_client(client, staff_identity(world.provider_admin))
    data = {f"hours_{kind}": "24" for kind in UnitKind.values} | {
        f"counting_{kind}": "hours" for kind in UnitKind.values
    }
    data["hours_specialist"] = "0"
    data["hours_primary_care"] = "48"
    response = client.post(reverse("bookings:settings_policies"), data)
    assert response.status_code == 422
    assert "mellan 1 och 336" in " ".join(response.context["form"].errors["hours_specialist"])
    assert not CancellationPolicy.objects.exists()  # all or nothing


# --- who may ---------------------------------------------------------------------------------------------


def test_only_the_units_head_booking_admin_and_the_provider_admin_keep_its_booking_settings(
    client, world, booking_admin_x
):
    url = _visit_types_url(world.unit_x)
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role=Role.HANDLER))
    assert client.get(url).status_code == 403
    for staff, role in [(world.unit_admin_x, Role.UNIT_ADMIN), (booking_admin_x, Role.BOOKING_ADMIN)]:
        log_in_client(client, staff_identity(staff, unit=world.unit_x, role=role))
        assert client.get(url).status_code == 200
        assert client.get(_visit_types_url(world.unit_y)).status_code == 404  # not theirs: as missing
        assert client.get(reverse("bookings:settings_policies")).status_code == 403
    log_in_client(client, staff_identity(world.provider_admin))
    assert client.get(url).status_code == 200 and client.get(_visit_types_url(world.unit_y)).status_code == 200
    log_in_client(client, staff_identity(world.provider_admin_other))
    assert client.get(url).status_code == 404


def test_the_settings_start_page_links_a_booking_admin_to_the_units_booking_settings(client, world, booking_admin_x):
    _log_in_booking_admin(client, world, booking_admin_x)
    staff_home = client.get(reverse("staff:home")).content.decode()
    assert reverse("staffsettings:home") in staff_home
    home = client.get(reverse("staffsettings:home")).content.decode()
    assert _visit_types_url(world.unit_x) in home
    assert reverse("bookings:settings_unit", args=[world.unit_x.pk]) in home
    assert reverse("bookings:settings_policies") not in home
    log_in_client(client, staff_identity(world.provider_admin))
    assert reverse("bookings:settings_policies") in client.get(reverse("staffsettings:home")).content.decode()


# --- the API ---------------------------------------------------------------------------------------------


def _api(client, method: str, path: str, body: dict | None = None):
    return client.generic(method, f"/api/v1/staff/bookings/settings{path}", json_body(body), "application/json")


def json_body(body: dict | None) -> str:
    import json

    return json.dumps(body) if body is not None else ""


@pytest.mark.rule("BOOK-1")
def test_the_api_adds_and_changes_visit_types_and_sets_the_units_booking_settings(client, world, booking_admin_x):
    _log_in_booking_admin(client, world, booking_admin_x)
    unit = world.unit_x.pk
    assert [row["id"] for row in _api(client, "GET", "/units").json()] == [unit]
    created = _api(
        client,
        "POST",
        f"/units/{unit}/visit-types",
        {
            "kind": "nurse_visit",
            "name": "Sårvård",
            "name_en": "Wound care",
            "duration_minutes": 20,
            "profession": "nurse",
        },
    )
    assert created.status_code == 201 and created.json()["name_en"] == "Wound care"
    changed = _api(client, "PATCH", f"/units/{unit}/visit-types/{created.json()['id']}", {"is_active": False})
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    settings = _api(
        client,
        "PUT",
        f"/units/{unit}",
        {
            "online_booking": True,
            "drop_in": True,
            "drop_in_hours": [{"days": "mån–fre", "hours": "09–11"}],
            "reminder_hours": 24,
            "weeks_ahead": 6,
        },
    )
    assert settings.status_code == 200 and settings.json()["weeks_ahead"] == 6
    assert UnitBookingSettings.objects.get(unit=world.unit_x).drop_in


def test_the_api_refuses_bad_input_with_problem_json_in_swedish(client, world, booking_admin_x):
    _log_in_booking_admin(client, world, booking_admin_x)
    unit = world.unit_x.pk
    bad = _api(
        client,
        "POST",
        f"/units/{unit}/visit-types",
        {"kind": "nurse_visit", "name": "Sårvård", "duration_minutes": 1, "profession": "nurse"},
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["code"] == "visit-type-duration" and "minuter" in bad.json()["title"]
    drop_in = _api(
        client,
        "PUT",
        f"/units/{unit}",
        {"online_booking": True, "drop_in": True, "drop_in_hours": [], "reminder_hours": 24, "weeks_ahead": 4},
    )
    assert drop_in.status_code == 400 and drop_in.json()["code"] == "drop-in-hours-required"
    assert _api(client, "GET", f"/units/{world.unit_y.pk}").status_code == 404
    assert _api(client, "GET", "/cancellation-policies").status_code == 403
    assert not VisitType.objects.filter(unit=world.unit_x).exists()


@pytest.mark.rule("BOOK-3")
def test_the_api_sets_the_providers_cut_off_per_unit_kind(client, world):
    log_in_client(client, staff_identity(world.provider_admin))
    policies = {row["unit_kind"]: row for row in _api(client, "GET", "/cancellation-policies").json()}
    assert policies["specialist"]["notice_hours"] == 72 and policies["primary_care"]["notice_hours"] == 24
    saved = _api(client, "PUT", "/cancellation-policies/primary_care", {"notice_hours": 24, "counting": "working_days"})
    assert saved.status_code == 200 and saved.json()["counting"] == "working_days"
    bad = _api(client, "PUT", "/cancellation-policies/no_such_kind", {"notice_hours": 24})
    assert bad.status_code == 400 and bad.json()["code"] == "unit-kind"
    assert CancellationPolicy.objects.get(provider=world.provider).counting == "working_days"
