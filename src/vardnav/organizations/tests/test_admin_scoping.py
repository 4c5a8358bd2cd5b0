"""The Django admin: a provider administrator sees and changes only their own provider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.personas import SYSTEM, grant, make_staff, make_unit
from vardnav.audit.models import AuditEntry
from vardnav.demo import identities as ids
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.models import CareProvider, Listing, RoleGrant, Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin_client(client, provider_admin_other):
    """Logged into the admin as the other provider's administrator (other_unit's provider)."""
    client.force_login(provider_admin_other.user)
    return client


@pytest.fixture
def platform_admin(db):
    """The platform's superuser, as `createsuperuser` makes them."""
    return get_user_model().objects.create_superuser(username="plattform", email="", password=None)


@pytest.fixture
def superuser_client(client, world, platform_admin):
    client.force_login(platform_admin)
    return client


@pytest.fixture
def other_providers_rows(other_provider, other_unit, aged_85):
    """The other provider in use: a handler with a role at its unit, and a resident listed there."""
    handler = make_staff(other_provider, "SE2321000017-HA1", "Otto", "doctor")
    grant(handler, other_unit, "handler")
    do_list_person(SYSTEM, aged_85, other_unit)
    return aged_85


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_provider_admin_is_admin_staff_in_the_provider_admin_group(provider_admin_other):
    user = provider_admin_other.user
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.groups.filter(name="Vårdgivaradministratör").exists()
    assert user.has_perm("organizations.change_unit")


def test_the_provider_admin_lists_only_their_own_providers_units(other_admin_client, provider_admin_other):
    page = other_admin_client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    for unit in Unit.objects.all():
        assert (unit.name in page) == (unit.provider_id == provider_admin_other.provider_id), unit.name


def test_another_providers_unit_opened_by_url_does_not_exist(other_admin_client, unit_x):
    """Done-when of the issue: the admin answers as for a missing id, and reveals nothing of the unit."""
    response = other_admin_client.get(_change_url(unit_x))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("finns inte" in t for t in texts), texts
    missing = other_admin_client.get(reverse("admin:organizations_unit_change", args=[10**9]))
    assert missing.status_code == 302 and missing.url == response.url


def test_a_post_to_another_providers_unit_changes_nothing(other_admin_client, unit_x):
    response = other_admin_client.post(_change_url(unit_x), {"name": "Kapad", "slug": "kapad"})
    assert response.status_code == 302
    unit_x.refresh_from_db()
    assert unit_x.name == "Testcentralen 1"


@pytest.mark.parametrize("model", [Staff, RoleGrant, Listing, CareProvider])
def test_another_providers_rows_do_not_exist_for_the_provider_admin(other_admin_client, provider, model):
    lookup = {Staff: "provider", RoleGrant: "unit__provider", Listing: "unit__provider", CareProvider: "pk"}[model]
    obj = model.objects.filter(**{lookup: provider.pk if model is CareProvider else provider}).first()
    response = other_admin_client.get(_change_url(obj))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_the_provider_admin_edits_their_own_unit_through_the_action(
    other_admin_client, other_unit, provider_admin_other
):
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
    response = other_admin_client.post(_change_url(other_unit), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    other_unit.refresh_from_db()
    assert other_unit.street_address == "Nya vägen 1"
    assert other_unit.opening_hours == [{"days": "Måndag", "hours": "08–12"}]
    assert other_unit.other_information_html == "<p>Ny text</p>"
    entries = AuditEntry.objects.filter(
        object_type="organizations.unit", object_id=str(other_unit.pk), actor_staff_id=provider_admin_other.pk
    )
    assert set(entries.values_list("action", flat=True)) == {"unit.update", "unit.other_information_set"}
    changed = entries.get(action="unit.update").extra["changed"]
    assert changed["street_address"][1] == "Nya vägen 1"
    assert changed["opening_hours"][1] == [{"days": "Måndag", "hours": "08–12"}]


def test_an_invalid_hsa_id_in_the_admin_is_a_swedish_field_error(other_admin_client, other_unit):
    response = other_admin_client.post(
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


def test_the_provider_admin_can_only_choose_their_own_provider_and_staff(other_admin_client, provider_admin_other):
    unit_form = other_admin_client.get(reverse("admin:organizations_unit_add")).context["adminform"].form
    assert list(unit_form.fields["provider"].queryset) == [provider_admin_other.provider]
    grant_form = other_admin_client.get(reverse("admin:organizations_rolegrant_add")).context["adminform"].form
    assert {s.provider_id for s in grant_form.fields["staff"].queryset} == {provider_admin_other.provider_id}
    assert {u.provider_id for u in grant_form.fields["unit"].queryset} == {provider_admin_other.provider_id}


def test_the_provider_admin_cannot_grant_a_role_to_another_providers_staff(other_admin_client, other_unit, handler_x):
    response = other_admin_client.post(
        reverse("admin:organizations_rolegrant_add"), {"staff": handler_x.pk, "unit": other_unit.pk, "role": "handler"}
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not RoleGrant.objects.filter(staff=handler_x, unit=other_unit).exists()


def test_the_provider_admin_grants_a_role_through_the_admin(other_admin_client, other_unit, provider_admin_other):
    midwife = make_staff(provider_admin_other.provider, "SE2321000017-BM5", "Maja", "midwife")
    response = other_admin_client.post(
        reverse("admin:organizations_rolegrant_add"), {"staff": midwife.pk, "unit": other_unit.pk, "role": "handler"}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(staff=midwife, unit=other_unit, role="handler")
    assert grant.granted_by_id == provider_admin_other.pk


def test_the_provider_admin_lists_a_resident_by_personal_number(other_admin_client, other_unit, resident_a):
    response = other_admin_client.post(
        reverse("admin:organizations_listing_add"), {"personal_number": ids.RESIDENT_A, "unit": other_unit.pk}
    )
    assert response.status_code == 302
    assert Listing.objects.get(person=resident_a, ended_at__isnull=True).unit == other_unit
    assert Listing.objects.filter(person=resident_a, ended_at__isnull=False).count() == 1


def test_a_staff_user_who_is_not_a_provider_admin_sees_nothing(client, handler_x):
    user = get_user_model().objects.create_user(username="vanlig", password=None, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:organizations_unit_changelist")).status_code == 403


def test_the_superuser_sees_every_providers_units(superuser_client):
    page = superuser_client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    for unit in Unit.objects.all():
        assert unit.name in page


@pytest.mark.parametrize("who", ["superuser", "provider_admin"])
def test_every_admin_page_of_the_app_renders(
    client, who, other_unit, provider_admin_other, other_providers_rows, platform_admin
):
    from vardnav.people.models import Person

    if who == "superuser":
        client.force_login(platform_admin)
    else:
        client.force_login(provider_admin_other.user)
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
        if model not in (Person,) and (who == "superuser" or model is not CareProvider):
            assert client.get(reverse(f"{name}_add")).status_code == 200, name


def test_the_provider_admin_adds_staff_only_to_their_own_provider(other_admin_client, provider_admin_other, provider):
    form = {
        "hsa_id": "SE2321000902-NY01",
        "given_name": "Ny",
        "surname": "Medarbetare",
        "profession": "nurse",
        "is_active": "on",
    }
    refused = other_admin_client.post(reverse("admin:organizations_staff_add"), {**form, "provider": provider.pk})
    assert refused.status_code == 200
    assert not Staff.objects.filter(hsa_id="SE2321000902-NY01").exists()

    added = other_admin_client.post(
        reverse("admin:organizations_staff_add"), {**form, "provider": provider_admin_other.provider_id}
    )
    assert added.status_code == 302
    staff = Staff.objects.get(hsa_id="SE2321000902-NY01")
    assert staff.provider_id == provider_admin_other.provider_id
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(staff.pk)).exists()


def test_the_provider_admin_activates_e_services_from_the_unit_list(other_admin_client, provider_admin_other, unit_x):
    midwife_unit = make_unit(
        provider_admin_other.provider,
        "Barnmorskemottagningen Annanlän",
        "SE2321000017-BM1",
        kind="midwife",
        eservices_active=False,
    )
    response = other_admin_client.post(
        reverse("admin:organizations_unit_changelist"),
        {"action": "activate_eservices", "_selected_action": [midwife_unit.pk, unit_x.pk]},
    )
    assert response.status_code == 302
    midwife_unit.refresh_from_db()
    assert midwife_unit.eservices_active
    # unit_x is another provider's: outside the queryset, so its only activation is the world's.
    assert AuditEntry.objects.filter(action="unit.eservices_activate", object_id=str(unit_x.pk)).count() == 1
