"""Staff members and units in the settings area (issue 11, item 13): the provider administrator adds
them without the Django admin; e-services are switched on with the unit's HSA-id (ORG-1)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.organizations.models import Staff, Unit

pytestmark = pytest.mark.django_db

NEW_STAFF = {"given_name": "Sara", "surname": "Nilsson", "hsa_id": "SE2321000016-NS01", "profession": "nurse"}
NEW_UNIT = {
    "name": "Vårdcentralen Söder",
    "kind": "primary_care",
    "hsa_id": "SE2321000016-VCS1",
    "slug": "",
    "street_address": "Södergatan 1",
    "postal_code": "12345",
    "city": "Testby",
    "phone": "",
    "activate": "on",
}


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.rule("ORG-4")
def test_the_administrator_adds_a_staff_member_who_can_then_be_given_a_role(provider_admin, provider, unit_x):
    admin = client_for(provider_admin)
    assert "/personal/installningar/vardgivare/medarbetare/" in admin.get("/personal/installningar/").content.decode()

    response = admin.post("/personal/installningar/vardgivare/medarbetare/", {**NEW_STAFF, "submission_key": "k" * 32})

    assert response.status_code == 302
    member = Staff.objects.get(hsa_id="SE2321000016-NS01")
    assert (member.provider_id, member.given_name, member.is_provider_admin) == (provider.pk, "Sara", False)
    page = text_of(admin.get(response["Location"]).content.decode())
    assert "Sara Nilsson är tillagd." in page and "SE2321000016-NS01" in page
    roles = admin.get(f"/personal/installningar/mottagningar/{unit_x.pk}/roller/").content.decode()
    assert f'value="{member.pk}"' in roles


def test_a_taken_or_bad_hsa_id_is_refused_at_its_field(provider_admin, handler_x):
    admin = client_for(provider_admin)
    for hsa_id in (handler_x.hsa_id, "inte-ett-id"):
        response = admin.post(
            "/personal/installningar/vardgivare/medarbetare/",
            {**NEW_STAFF, "hsa_id": hsa_id, "submission_key": f"key-{hsa_id}".ljust(32, "x")},
        )
        assert response.status_code == 422
        assert 'href="#staff-hsa_id"' in response.content.decode()  # the error summary links to the field
    assert not Staff.objects.filter(given_name="Sara", surname="Nilsson").exists()


@pytest.mark.rule("ORG-1")
def test_the_administrator_creates_a_unit_with_its_e_services_switched_on(provider_admin, provider):
    admin = client_for(provider_admin)

    response = admin.post("/personal/installningar/vardgivare/ny-mottagning/", NEW_UNIT)

    assert response.status_code == 302
    unit = Unit.objects.get(hsa_id="SE2321000016-VCS1")
    assert (unit.provider_id, unit.slug, unit.eservices_active) == (provider.pk, "vardcentralen-soder", True)
    assert response["Location"] == f"/personal/installningar/mottagningar/{unit.pk}/"
    assert "Vårdcentralen Söder är skapad." in text_of(admin.get(response["Location"]).content.decode())

    admin.post(f"/personal/installningar/mottagningar/{unit.pk}/e-tjanster-pa/", {"active": "0"})
    unit.refresh_from_db()
    assert not unit.eservices_active


def test_a_unit_without_a_name_or_with_a_bad_hsa_id_is_refused_and_nothing_is_created(provider_admin):
    admin = client_for(provider_admin)

    response = admin.post("/personal/installningar/vardgivare/ny-mottagning/", {**NEW_UNIT, "hsa_id": "fel"})

    assert response.status_code == 422
    assert 'href="#unit-hsa_id"' in response.content.decode()
    assert not Unit.objects.filter(name="Vårdcentralen Söder").exists()


def test_a_head_of_unit_adds_neither_staff_nor_units(unit_admin_x, unit_x):
    head = client_for(unit_admin_x, unit_x, "unit_admin")
    assert head.post("/personal/installningar/vardgivare/medarbetare/", NEW_STAFF).status_code == 403
    assert head.post("/personal/installningar/vardgivare/ny-mottagning/", NEW_UNIT).status_code == 403
    assert not Staff.objects.filter(hsa_id="SE2321000016-NS01").exists()


def test_the_head_of_unit_changes_the_units_address_shown_on_its_page(unit_admin_x, unit_x):
    head = client_for(unit_admin_x, unit_x, "unit_admin")
    url = f"/personal/installningar/mottagningar/{unit_x.pk}/uppgifter/"
    assert url in head.get(f"/personal/installningar/mottagningar/{unit_x.pk}/").content.decode()

    response = head.post(
        url, {"name": unit_x.name, "street_address": "Storgatan 9", "postal_code": "", "city": "", "phone": ""}
    )

    assert response.status_code == 302
    unit_x.refresh_from_db()
    assert unit_x.street_address == "Storgatan 9"
    assert "Storgatan 9" in Client().get(f"/mottagningar/{unit_x.slug}/").content.decode()
    refused = head.post(url, {"name": " ", "street_address": "", "postal_code": "", "city": "", "phone": ""})
    assert refused.status_code == 422 and 'href="#details-name"' in refused.content.decode()
    unit_x.refresh_from_db()
    assert unit_x.name == "Testcentralen 1"
