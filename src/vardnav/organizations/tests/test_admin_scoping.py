"""The Django admin is the platform superuser's (issue 11, item 13); a provider administrator keeps their
provider in the staff settings area, where another provider's rows are the same 404 as missing ones."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.personas import SYSTEM, grant, make_staff, make_unit
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.models import CareProvider, Listing, RoleGrant, Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(platform_superuser):
    return platform_superuser


@pytest.fixture
def superuser_client(client, world, platform_admin):
    client.force_login(platform_admin)
    return client


@pytest.fixture
def other_admin_client(provider_admin_other):
    """The other provider's administrator (other_unit's provider), in the staff settings area."""
    return log_in_client(Client(), staff_identity(provider_admin_other))


@pytest.fixture
def other_providers_rows(other_provider, other_unit, aged_85):
    """The other provider in use: a handler with a role at its unit, and a resident listed there."""
    handler = make_staff(other_provider, "SE2321000017-HA1", "Otto", "doctor")
    grant(handler, other_unit, "handler")
    do_list_person(SYSTEM, aged_85, other_unit)
    return aged_85


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_provider_admins_user_is_refused_by_the_admin_though_it_is_admin_staff(client, provider_admin_other):
    user = provider_admin_other.user
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    client.force_login(user)
    response = client.get(reverse("admin:organizations_unit_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


SETTINGS = "/personal/installningar/"


def test_another_providers_unit_opened_by_url_does_not_exist(other_admin_client, unit_x):
    """The settings area answers as for a missing id, and reveals nothing of the unit."""
    for suffix in ("", "uppgifter/", "roller/", "listningar/"):
        response = other_admin_client.get(f"{SETTINGS}mottagningar/{unit_x.pk}/{suffix}")
        missing = other_admin_client.get(f"{SETTINGS}mottagningar/{10**9}/{suffix}")
        assert response.status_code == missing.status_code == 404
        assert unit_x.name not in response.content.decode()


def test_a_post_to_another_providers_unit_changes_nothing(other_admin_client, unit_x):
    response = other_admin_client.post(
        f"{SETTINGS}mottagningar/{unit_x.pk}/uppgifter/", {"name": "Kapad", "slug": "kapad"}
    )
    assert response.status_code == 404
    unit_x.refresh_from_db()
    assert unit_x.name == "Testcentralen 1"


def test_another_providers_rows_do_not_exist_for_the_provider_admin(other_admin_client, provider, unit_x):
    staff = Staff.objects.filter(provider=provider).first()
    grant_row = RoleGrant.objects.filter(unit__provider=provider).first()
    listing = Listing.objects.filter(unit__provider=provider, ended_at__isnull=True).first()
    assert other_admin_client.get(f"{SETTINGS}vardgivare/medarbetare/{staff.pk}/").status_code == 404
    assert (
        other_admin_client.post(f"{SETTINGS}mottagningar/{unit_x.pk}/roller/{grant_row.pk}/ta-bort/").status_code == 404
    )
    assert (
        other_admin_client.post(f"{SETTINGS}mottagningar/{unit_x.pk}/listningar/{listing.pk}/avsluta/").status_code
        == 404
    )
    assert RoleGrant.objects.filter(pk=grant_row.pk).exists()


def test_the_superuser_edits_a_unit_through_the_action(superuser_client, other_unit, platform_admin):
    form = {
        "name": "Annanlänskliniken",
        "slug": other_unit.slug,
        "hsa_id": other_unit.hsa_id,
        "kind": other_unit.kind,
        "street_address": "Nya vägen 1",
        "postal_code": other_unit.postal_code,
        "city": other_unit.city,
        "phone": other_unit.phone,
        "opening_hours": '[{"days": "Måndag", "hours": "08–12"}]',
        "other_information_html": "<p>Ny text</p><script>x()</script>",
    }
    response = superuser_client.post(_change_url(other_unit), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    other_unit.refresh_from_db()
    assert other_unit.street_address == "Nya vägen 1"
    assert other_unit.opening_hours == [{"days": "Måndag", "hours": "08–12"}]
    assert other_unit.other_information_html == "<p>Ny text</p>"
    entries = AuditEntry.objects.filter(
        object_type="organizations.unit", object_id=str(other_unit.pk), actor_user_id=platform_admin.pk
    )
    assert set(entries.values_list("action", flat=True)) == {"unit.update", "unit.other_information_set"}
    changed = entries.get(action="unit.update").extra["changed"]
    assert changed["street_address"][1] == "Nya vägen 1"
    assert changed["opening_hours"][1] == [{"days": "Måndag", "hours": "08–12"}]


def test_an_invalid_hsa_id_in_the_admin_is_a_swedish_field_error(superuser_client, other_unit):
    response = superuser_client.post(
        _change_url(other_unit),
        {
            "name": other_unit.name,
            "slug": other_unit.slug,
            "hsa_id": "SE2321000017-ÅÄÖ",
            "kind": other_unit.kind,
            "opening_hours": "[]",
        },
    )
    assert response.status_code == 200
    assert "Ogiltigt HSA-id" in response.content.decode()
    other_unit.refresh_from_db()
    assert other_unit.hsa_id == "SE2321000017-AK1"


def test_the_provider_admin_can_only_choose_their_own_providers_staff(other_admin_client, other_unit, handler_x):
    roles = other_admin_client.get(f"{SETTINGS}mottagningar/{other_unit.pk}/roller/")
    assert roles.status_code == 200
    assert f'value="{handler_x.pk}"' not in roles.content.decode()


def test_a_role_for_another_providers_staff_is_refused_in_the_admin_and_the_settings(
    superuser_client, other_admin_client, other_unit, handler_x
):
    response = superuser_client.post(
        reverse("admin:organizations_rolegrant_add"), {"staff": handler_x.pk, "unit": other_unit.pk, "role": "handler"}
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "annan vårdgivare" in response.content.decode()
    settings_post = other_admin_client.post(
        f"{SETTINGS}mottagningar/{other_unit.pk}/roller/",
        {"staff": handler_x.pk, "role": "handler", "submission_key": "k" * 32},
    )
    assert settings_post.status_code == 422  # not among the form's choices
    assert not RoleGrant.objects.filter(staff=handler_x, unit=other_unit).exists()


def test_the_superuser_grants_a_role_through_the_admin(superuser_client, other_unit, provider_admin_other):
    midwife = make_staff(provider_admin_other.provider, "SE2321000017-BM5", "Maja", "midwife")
    response = superuser_client.post(
        reverse("admin:organizations_rolegrant_add"), {"staff": midwife.pk, "unit": other_unit.pk, "role": "handler"}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(staff=midwife, unit=other_unit, role="handler").exists()
    assert AuditEntry.objects.filter(
        action="role.grant.handler", object_id=str(midwife.pk), actor_kind="superuser"
    ).exists()


def test_the_superuser_lists_a_resident_by_personal_number(superuser_client, other_unit, resident_a):
    response = superuser_client.post(
        reverse("admin:organizations_listing_add"), {"personal_number": ids.RESIDENT_A, "unit": other_unit.pk}
    )
    assert response.status_code == 302
    assert Listing.objects.get(person=resident_a, ended_at__isnull=True).unit == other_unit
    assert Listing.objects.filter(person=resident_a, ended_at__isnull=False).count() == 1


def test_a_staff_user_who_is_not_a_superuser_gets_the_admins_login_page(client, handler_x):
    user = get_user_model().objects.create_user(username="vanlig", password=None, is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:organizations_unit_changelist"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_superuser_sees_every_providers_units(superuser_client):
    page = superuser_client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    for unit in Unit.objects.all():
        assert unit.name in page


def test_every_admin_page_of_the_app_renders(
    client, other_unit, provider_admin_other, other_providers_rows, platform_admin
):
    from vardnav.people.models import Person

    client.force_login(platform_admin)
    own = {
        CareProvider: other_unit.provider,
        Unit: other_unit,
        Staff: provider_admin_other,
        RoleGrant: RoleGrant.objects.filter(unit=other_unit).first(),
        Listing: Listing.objects.filter(unit=other_unit).first(),
        Person: other_providers_rows,
    }
    for model, obj in own.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(_change_url(obj)).status_code == 200, name
        if model is not Person:
            assert client.get(reverse(f"{name}_add")).status_code == 200, name


def test_the_superuser_adds_staff_to_a_provider(superuser_client, provider_admin_other, other_admin_client):
    form = {
        "hsa_id": "SE2321000902-NY01",
        "given_name": "Ny",
        "surname": "Medarbetare",
        "profession": "nurse",
        "is_active": "on",
    }
    added = superuser_client.post(
        reverse("admin:organizations_staff_add"), {**form, "provider": provider_admin_other.provider_id}
    )
    assert added.status_code == 302
    staff = Staff.objects.get(hsa_id="SE2321000902-NY01")
    assert staff.provider_id == provider_admin_other.provider_id
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(staff.pk)).exists()


def test_the_superuser_activates_e_services_from_the_unit_list(superuser_client, provider_admin_other, unit_x):
    midwife_unit = make_unit(
        provider_admin_other.provider,
        "Barnmorskemottagningen Annanlän",
        "SE2321000017-BM1",
        kind="midwife",
        eservices_active=False,
    )
    response = superuser_client.post(
        reverse("admin:organizations_unit_changelist"),
        {"action": "activate_eservices", "_selected_action": [midwife_unit.pk]},
    )
    assert response.status_code == 302
    midwife_unit.refresh_from_db()
    assert midwife_unit.eservices_active
    # unit_x was not chosen: its only activation is the world's.
    assert AuditEntry.objects.filter(action="unit.eservices_activate", object_id=str(unit_x.pk)).count() == 1
