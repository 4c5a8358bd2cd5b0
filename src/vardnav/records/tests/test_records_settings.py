"""The provider administrator's records settings (issue 11, item 13): national sharing periods (REC-3) and staff
personal numbers for the log review, in the staff settings area and its API instead of the Django admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.records.actions import do_link_staff_person, do_set_sharing_period
from vardnav.records.models import NationalSharingPeriod, SharingMode, StaffPerson

pytestmark = pytest.mark.django_db

PERIODS = "/personal/installningar/journal/sammanhallen-journalforing/"
NUMBERS = "/personal/installningar/journal/personnummer/"


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def admin(world):
    return client_for(world.provider_admin)


# --- national sharing periods (REC-3) ---------------------------------------------------------------


@pytest.mark.rule("REC-3")
def test_the_administrator_adds_and_ends_a_sharing_period_from_the_settings(world, admin):
    home = admin.get("/personal/installningar/").content.decode()
    assert PERIODS in home and NUMBERS in home

    added = admin.post(PERIODS, {"starts_on": "2024-01-01", "ends_on": "", "mode": SharingMode.SHARED})

    assert added.status_code == 302 and added["Location"] == PERIODS
    period = NationalSharingPeriod.objects.get(provider=world.provider)
    assert (period.starts_on, period.ends_on, period.mode) == (dt.date(2024, 1, 1), None, SharingMode.SHARED)
    page = text_of(admin.get(PERIODS).content.decode())
    assert "Perioden från 2024-01-01 är sparad." in page and "tills vidare" in page

    end_url = f"{PERIODS}{period.pk}/avsluta/"
    assert end_url in admin.get(PERIODS).content.decode()
    ended = admin.post(end_url, {"ends_on": "2025-06-30"})

    assert ended.status_code == 302
    period.refresh_from_db()
    assert period.ends_on == dt.date(2025, 6, 30)
    assert AuditEntry.objects.filter(action=AuditEvent.NATIONAL_SHARING_PERIOD_SET).count() == 2


@pytest.mark.rule("REC-3")
@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"starts_on": ""}, "starts_on", "Skriv datumet som ÅÅÅÅ-MM-DD"),
        ({"starts_on": "1 jan"}, "starts_on", "Skriv datumet som ÅÅÅÅ-MM-DD"),
        ({"ends_on": "2023-12-31"}, "ends_on", "Periodens sista dag kan inte vara före den första."),
        ({"mode": ""}, "mode_0", "Välj om journalen delas under perioden."),
        ({"starts_on": "2020-06-01"}, "starts_on", "Perioden överlappar en annan period"),
    ],
)
def test_a_bad_period_is_refused_at_its_field_and_nothing_is_saved(world, admin, posted, field, message):
    do_set_sharing_period(
        world.staff(world.provider_admin),
        provider=world.provider,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
        mode=SharingMode.SHARED,
    )

    response = admin.post(PERIODS, {"starts_on": "2024-01-01", "ends_on": "", "mode": "shared", **posted})

    assert response.status_code == 422
    html = response.content.decode()
    assert f'href="#period-{field}"' in html
    assert message in text_of(html)
    assert NationalSharingPeriod.objects.filter(provider=world.provider).count() == 1


@pytest.mark.rule("REC-3")
def test_ending_a_period_needs_a_date_on_or_after_its_first_day(world, admin):
    period = do_set_sharing_period(
        world.staff(world.provider_admin),
        provider=world.provider,
        starts_on=dt.date(2024, 1, 1),
        ends_on=None,
        mode=SharingMode.SHARED,
    )
    url = f"{PERIODS}{period.pk}/avsluta/"

    for posted, message in (("", "Skriv datumet som ÅÅÅÅ-MM-DD"), ("2023-01-01", "Periodens sista dag")):
        response = admin.post(url, {"ends_on": posted})
        assert response.status_code == 422 and 'href="#end-ends_on"' in response.content.decode()
        assert message in text_of(response.content.decode())
    period.refresh_from_db()
    assert period.ends_on is None


@pytest.mark.rule("REC-3")
def test_only_the_providers_own_administrator_keeps_its_periods(world):
    period = do_set_sharing_period(
        world.staff(world.provider_admin),
        provider=world.provider,
        starts_on=dt.date(2024, 1, 1),
        ends_on=None,
        mode=SharingMode.SHARED,
    )
    other = client_for(world.provider_admin_other)
    head = client_for(world.unit_admin_x, world.unit_x, "unit_admin")

    assert head.get(PERIODS).status_code == 403
    assert "2024-01-01" not in other.get(PERIODS).content.decode()
    assert other.post(f"{PERIODS}{period.pk}/avsluta/", {"ends_on": "2025-01-01"}).status_code == 404
    assert (
        other.post(
            f"/api/v1/staff/settings/sharing-periods/{period.pk}/end",
            {"ends_on": "2025-01-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    period.refresh_from_db()
    assert period.ends_on is None


@pytest.mark.rule("REC-3")
def test_the_api_lists_adds_and_ends_periods_with_the_same_checks(world, admin):
    created = admin.post(
        "/api/v1/staff/settings/sharing-periods",
        {"starts_on": "2024-01-01", "mode": "principal", "principal_name": "Region Testlän"},
        content_type="application/json",
    )
    overlapping = admin.post(
        "/api/v1/staff/settings/sharing-periods",
        {"starts_on": "2024-05-01", "mode": "shared"},
        content_type="application/json",
    )
    period_id = created.json()["id"]
    ended = admin.post(
        f"/api/v1/staff/settings/sharing-periods/{period_id}/end",
        {"ends_on": "2024-12-31"},
        content_type="application/json",
    )

    assert created.status_code == 201 and created.json()["ends_on"] is None
    assert overlapping.status_code == 409 and overlapping.json()["code"] == "sharing-period-overlaps"
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2024-12-31"
    listed = admin.get("/api/v1/staff/settings/sharing-periods").json()
    assert [(p["starts_on"], p["mode"]) for p in listed] == [("2024-01-01", "principal")]


# --- staff personal numbers (the log review's flags) ------------------------------------------------


def test_the_administrator_sets_a_staff_members_personal_number_shown_masked(world, admin):
    page = text_of(admin.get(NUMBERS).content.decode())
    assert "fylls normalt i från medarbetarens inloggning" in page
    url = f"{NUMBERS}{world.handler_x.pk}/"

    saved = admin.post(url, {"personal_number": "19830101-2384"})

    assert saved.status_code == 302 and saved["Location"] == NUMBERS
    link = StaffPerson.objects.select_related("person").get(staff=world.handler_x)
    assert link.person.personal_number == ids.RESIDENT_B
    listing = text_of(admin.get(NUMBERS).content.decode())
    assert "19830101-****" in listing and ids.RESIDENT_B not in listing and "19830101-2384" not in listing
    assert AuditEntry.objects.filter(action=AuditEvent.STAFF_PERSON_LINK).count() == 1


@pytest.mark.parametrize("number", ["", "19830101-2385", "12345"])
def test_an_invalid_personal_number_is_refused_at_its_field(world, admin, number):
    response = admin.post(f"{NUMBERS}{world.handler_x.pk}/", {"personal_number": number})

    assert response.status_code == 422
    assert 'href="#staffnumber-personal_number"' in response.content.decode()
    assert not StaffPerson.objects.filter(staff=world.handler_x).exists()


def test_another_providers_staff_member_is_a_404(world):
    other = client_for(world.provider_admin_other)
    assert other.get(f"{NUMBERS}{world.handler_x.pk}/").status_code == 404
    response = other.put(
        f"/api/v1/staff/settings/staff/{world.handler_x.pk}/personal-number",
        {"personal_number": ids.RESIDENT_B},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_api_sets_and_lists_masked_numbers(world, admin):
    response = admin.put(
        f"/api/v1/staff/settings/staff/{world.handler_x.pk}/personal-number",
        {"personal_number": ids.RESIDENT_B},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["personal_number"] == "19830101-****"
    rows = {
        row["staff_id"]: row["personal_number"]
        for row in admin.get("/api/v1/staff/settings/staff-personal-numbers").json()
    }
    assert rows[world.handler_x.pk] == "19830101-****" and rows[world.receiver_x.pk] == ""


def test_the_staff_list_takes_the_same_queries_for_one_number_as_for_many(world, admin):
    actor = world.staff(world.provider_admin)

    do_link_staff_person(actor, staff=world.handler_x, personal_number=ids.RESIDENT_B)

    def add_rows() -> None:
        for member, number in ((world.handler_x2, ids.GUARDIAN_2), (world.handler_y, ids.AGED_85)):
            do_link_staff_person(actor, staff=member, personal_number=number)

    assert_same_query_count(lambda: admin.get(NUMBERS), add_rows)
