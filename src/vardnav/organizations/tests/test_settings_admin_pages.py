"""What provider administrators kept in the Django admin, now in the staff settings area (issue 11, item 13):
a unit's listed residents, editing a staff member (ORG-8), a unit's HSA-id and web address; and the Django
admin closed to everyone but the platform superuser."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import SYSTEM
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.models import Listing, Qualification, Staff

pytestmark = pytest.mark.django_db

SETTINGS = "/personal/installningar/"


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def listings_url(unit) -> str:
    return f"{SETTINGS}mottagningar/{unit.pk}/listningar/"


# --- listings ----------------------------------------------------------------------------------


@pytest.mark.rule("ORG-4")
def test_the_unit_head_lists_a_resident_by_personal_number_and_ends_the_listing(unit_admin_x, unit_x, aged_85):
    head = client_for(unit_admin_x, unit_x, "unit_admin")
    assert listings_url(unit_x) in head.get(f"{SETTINGS}mottagningar/{unit_x.pk}/").content.decode()

    response = head.post(listings_url(unit_x), {"personal_number": "19410101-2393"})

    assert response.status_code == 302
    listing = Listing.objects.get(person=aged_85, ended_at__isnull=True)
    assert listing.unit_id == unit_x.pk
    page = text_of(head.get(listings_url(unit_x)).content.decode())
    assert "Invånaren är listad på mottagningen." in page and "19410101-****" in page and "2393" not in page
    assert AuditEntry.objects.filter(action="listing.create", object_id=str(listing.pk)).exists()

    ended = head.post(f"{listings_url(unit_x)}{listing.pk}/avsluta/")

    assert ended.status_code == 302
    listing.refresh_from_db()
    assert listing.ended_at is not None
    assert AuditEntry.objects.filter(action="listing.end", object_id=str(listing.pk)).exists()
    assert head.post(f"{listings_url(unit_x)}{listing.pk}/avsluta/").status_code == 404  # already ended


@pytest.mark.parametrize(
    ("number", "message"),
    [("", "Personnummer måste fyllas i."), ("19990101-0000", "folkbokföringen"), ("abc", "personnummer")],
)
def test_a_bad_personal_number_is_refused_at_its_field(provider_admin, unit_x, number, message):
    response = client_for(provider_admin).post(listings_url(unit_x), {"personal_number": number})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'href="#listing-personal_number"' in body and message.lower() in text_of(body).lower()


def test_a_protected_residents_name_is_not_shown(provider_admin, unit_x, protected):
    do_list_person(SYSTEM, protected, unit_x)
    page = text_of(client_for(provider_admin).get(listings_url(unit_x)).content.decode())
    assert "Skyddade personuppgifter" in page and "19850101-****" in page


def test_another_providers_unit_and_listing_do_not_exist(provider_admin_other, unit_x, resident_a):
    other = client_for(provider_admin_other)
    listing = Listing.objects.get(person=resident_a, ended_at__isnull=True)
    assert other.get(listings_url(unit_x)).status_code == 404
    assert other.post(f"{listings_url(unit_x)}{listing.pk}/avsluta/").status_code == 404
    api = other.get(f"/api/v1/staff/settings/units/{unit_x.pk}/listings")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/problem+json")
    listing.refresh_from_db()
    assert listing.ended_at is None


def test_a_handler_keeps_no_listings(handler_x, unit_x):
    assert client_for(handler_x, unit_x, "handler").get(listings_url(unit_x)).status_code == 403


def test_the_listing_page_runs_a_fixed_number_of_queries(provider_admin, unit_y, aged_85, protected, resident_a):
    admin = client_for(provider_admin)

    def add_rows() -> None:
        for person in (aged_85, protected, resident_a):
            do_list_person(SYSTEM, person, unit_y)

    assert_same_query_count(lambda: admin.get(listings_url(unit_y)), add_rows)


def test_the_listing_api_lists_adds_and_ends_with_the_same_actions(provider_admin, unit_x):
    api = client_for(provider_admin)
    base = f"/api/v1/staff/settings/units/{unit_x.pk}/listings"
    added = api.post(base, {"personal_number": "194101012393"}, content_type="application/json")
    assert added.status_code == 201 and added.json()["personal_number_masked"] == "19410101-****"
    page = api.get(base).json()
    assert added.json()["id"] in [row["id"] for row in page["items"]] and page["next"] is None
    bad = api.post(base, {"personal_number": "nej"}, content_type="application/json")
    assert bad.status_code in (400, 422) and bad["Content-Type"].startswith("application/problem+json")
    assert api.get(f"{base}?after=inte-en-cursor").status_code == 400
    assert api.delete(f"{base}/{added.json()['id']}").status_code == 204
    assert Listing.objects.get(pk=added.json()["id"]).ended_at is not None


# --- a staff member ------------------------------------------------------------------------------


def _staff_form(member: Staff, **changes) -> dict:
    form = {
        "given_name": member.given_name,
        "surname": member.surname,
        "profession": member.profession,
        "qualification": member.qualification,
        "specialist_training_percent": member.specialist_training_percent or "",
        "is_active": "on" if member.is_active else "",
        "is_provider_admin": "on" if member.is_provider_admin else "",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != ""}


@pytest.mark.rule("ORG-8")
def test_org_8_the_administrator_records_a_doctor_halfway_through_specialist_training(provider_admin, handler_x):
    admin = client_for(provider_admin)
    url = f"{SETTINGS}vardgivare/medarbetare/{handler_x.pk}/"
    assert url in admin.get(f"{SETTINGS}vardgivare/medarbetare/").content.decode()

    response = admin.post(
        url, _staff_form(handler_x, profession="doctor", qualification="in_training", specialist_training_percent="50")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    handler_x.refresh_from_db()
    assert (handler_x.qualification, handler_x.specialist_training_percent) == (Qualification.IN_TRAINING, 50)
    assert handler_x.takes_digital_doctor_visits
    assert AuditEntry.objects.filter(action="staff.update", object_id=str(handler_x.pk)).exists()


@pytest.mark.rule("ORG-8")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"profession": "nurse", "qualification": "specialist"}, "qualification"),
        (
            {"profession": "doctor", "qualification": "in_training", "specialist_training_percent": "150"},
            "specialist_training_percent",
        ),
        ({"given_name": " "}, "given_name"),
    ],
)
def test_org_8_an_impossible_qualification_is_refused_at_its_field(provider_admin, handler_x, changes, field):
    response = client_for(provider_admin).post(
        f"{SETTINGS}vardgivare/medarbetare/{handler_x.pk}/", _staff_form(handler_x, **changes)
    )
    assert response.status_code == 422
    assert f'href="#member-{field}"' in response.content.decode()
    handler_x.refresh_from_db()
    assert handler_x.qualification == Qualification.OTHER


def test_the_administrator_deactivates_and_reactivates_a_staff_member(provider_admin, handler_x):
    admin = client_for(provider_admin)
    url = f"{SETTINGS}vardgivare/medarbetare/{handler_x.pk}/"
    assert admin.post(url, _staff_form(handler_x, is_active="")).status_code == 302
    handler_x.refresh_from_db()
    assert not handler_x.is_active
    assert "slutat" in admin.get(f"{SETTINGS}vardgivare/medarbetare/").content.decode()
    assert admin.post(url, _staff_form(handler_x, is_active="on")).status_code == 302
    handler_x.refresh_from_db()
    assert handler_x.is_active


def test_another_providers_staff_member_does_not_exist(provider_admin_other, handler_x):
    other = client_for(provider_admin_other)
    assert other.get(f"{SETTINGS}vardgivare/medarbetare/{handler_x.pk}/").status_code == 404
    patch = other.patch(
        f"/api/v1/staff/settings/staff/{handler_x.pk}", {"surname": "Kapad"}, content_type="application/json"
    )
    assert patch.status_code == 404


@pytest.mark.rule("ORG-8")
def test_org_8_the_staff_api_changes_a_qualification_with_the_same_action(provider_admin, handler_x):
    api = client_for(provider_admin)
    url = f"/api/v1/staff/settings/staff/{handler_x.pk}"
    ok = api.patch(url, {"profession": "doctor", "qualification": "specialist"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["qualification"] == "specialist"
    bad = api.patch(url, {"profession": "nurse"}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")


# --- a unit's HSA-id and web address -----------------------------------------------------------------


def _unit_form(unit, **changes) -> dict:
    form = {
        field: getattr(unit, field)
        for field in ("name", "hsa_id", "slug", "kind", "street_address", "postal_code", "city", "phone")
    }
    return {**form, **changes}


@pytest.mark.rule("ORG-1")
def test_the_administrator_changes_a_units_hsa_id_and_web_address(provider_admin, unit_y):
    admin = client_for(provider_admin)
    url = f"{SETTINGS}mottagningar/{unit_y.pk}/uppgifter/"
    response = admin.post(url, _unit_form(unit_y, hsa_id="SE2321000016-NY01", slug="nya-adressen"))
    assert response.status_code == 302
    unit_y.refresh_from_db()
    assert (unit_y.hsa_id, unit_y.slug) == ("SE2321000016-NY01", "nya-adressen")
    assert Client().get("/mottagningar/nya-adressen/").status_code == 200

    bad = admin.post(url, _unit_form(unit_y, hsa_id="inte-ett-id", slug="Å Ä"))
    assert bad.status_code == 422 and 'href="#details-hsa_id"' in bad.content.decode()
    api = admin.patch(f"/api/v1/staff/settings/units/{unit_y.pk}", {"slug": "unit-y"}, content_type="application/json")
    assert api.status_code == 200
    unit_y.refresh_from_db()
    assert unit_y.slug == "unit-y"


# --- the Django admin: the platform superuser's only --------------------------------------------------

ADMIN_PAGES = [
    "admin:index",
    "admin:organizations_unit_changelist",
    "admin:organizations_staff_changelist",
    "admin:organizations_listing_changelist",
    "admin:integrations_integrationtoken_changelist",
    "admin:catalog_service_changelist",
    "admin:people_person_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_provider_admin_gets_the_admins_login_page_never_a_500(client, provider_admin_other, name):
    client.force_login(provider_admin_other.user)
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    login = client.get(response.url)
    assert login.status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_platform_superuser_opens_the_admin(client, platform_superuser, world, name):
    client.force_login(platform_superuser)
    assert client.get(reverse(name)).status_code == 200
