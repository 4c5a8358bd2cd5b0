"""The Django admin: a provider administrator sees and changes only their own provider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from vardnav.audit.models import AuditEntry
from vardnav.demo import data
from vardnav.organizations.models import CareProvider, Listing, RoleGrant, Staff, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin_client(client, demo_provider_admin_other):
    """Logged into the admin as Region Västerå's provider administrator."""
    client.force_login(demo_provider_admin_other.user)
    return client


@pytest.fixture
def superuser_client(client, demo):
    client.force_login(get_user_model().objects.get(username=data.PLATFORM_ADMIN_USERNAME))
    return client


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_provider_admin_is_admin_staff_in_the_provider_admin_group(demo_provider_admin_other):
    user = demo_provider_admin_other.user
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert user.groups.filter(name="Vårdgivaradministratör").exists()
    assert user.has_perm("organizations.change_unit")


def test_the_provider_admin_lists_only_their_own_providers_units(other_admin_client, demo_provider_admin_other):
    page = other_admin_client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    for unit in Unit.objects.all():
        assert (unit.name in page) == (unit.provider_id == demo_provider_admin_other.provider_id), unit.name


def test_another_providers_unit_opened_by_url_does_not_exist(other_admin_client, demo_unit_x):
    """Done-when of the issue: the admin answers as for a missing id, and reveals nothing of the unit."""
    response = other_admin_client.get(_change_url(demo_unit_x))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("finns inte" in t for t in texts), texts
    missing = other_admin_client.get(reverse("admin:organizations_unit_change", args=[10**9]))
    assert missing.status_code == 302 and missing.url == response.url


def test_a_post_to_another_providers_unit_changes_nothing(other_admin_client, demo_unit_x):
    response = other_admin_client.post(_change_url(demo_unit_x), {"name": "Kapad", "slug": "kapad"})
    assert response.status_code == 302
    demo_unit_x.refresh_from_db()
    assert demo_unit_x.name == "Vårdcentralen Norrsund centrum"


@pytest.mark.parametrize("model", [Staff, RoleGrant, Listing, CareProvider])
def test_another_providers_rows_do_not_exist_for_the_provider_admin(other_admin_client, demo_provider, model):
    lookup = {Staff: "provider", RoleGrant: "unit__provider", Listing: "unit__provider", CareProvider: "pk"}[model]
    obj = model.objects.filter(**{lookup: demo_provider.pk if model is CareProvider else demo_provider}).first()
    response = other_admin_client.get(_change_url(obj))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_the_provider_admin_edits_their_own_unit_through_the_action(
    other_admin_client, demo_other_unit, demo_provider_admin_other
):
    form = {
        "name": "Vårdcentralen Västerå söder",
        "slug": demo_other_unit.slug,
        "hsa_id": demo_other_unit.hsa_id,
        "kind": demo_other_unit.kind,
        "street_address": "Nya vägen 1",
        "postal_code": demo_other_unit.postal_code,
        "city": demo_other_unit.city,
        "phone": demo_other_unit.phone,
        "opening_hours": '[{"days": "Måndag", "hours": "08–12"}]',
        "other_information_html": "<p>Ny text</p><script>x()</script>",
    }
    response = other_admin_client.post(_change_url(demo_other_unit), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    demo_other_unit.refresh_from_db()
    assert demo_other_unit.street_address == "Nya vägen 1"
    assert demo_other_unit.opening_hours == [{"days": "Måndag", "hours": "08–12"}]
    assert demo_other_unit.other_information_html == "<p>Ny text</p>"
    entries = AuditEntry.objects.filter(
        object_type="organizations.unit", object_id=str(demo_other_unit.pk), actor_staff_id=demo_provider_admin_other.pk
    )
    assert set(entries.values_list("action", flat=True)) == {"unit.update", "unit.other_information_set"}
    changed = entries.get(action="unit.update").extra["changed"]
    assert changed["street_address"][1] == "Nya vägen 1"
    assert changed["opening_hours"][1] == [{"days": "Måndag", "hours": "08–12"}]


def test_an_invalid_hsa_id_in_the_admin_is_a_swedish_field_error(other_admin_client, demo_other_unit):
    response = other_admin_client.post(
        _change_url(demo_other_unit),
        {
            "name": demo_other_unit.name,
            "slug": demo_other_unit.slug,
            "hsa_id": "SE2321000902-ÅÄÖ",
            "kind": demo_other_unit.kind,
            "opening_hours": "[]",
        },
    )
    assert response.status_code == 200
    assert "Ogiltigt HSA-id" in response.content.decode()
    demo_other_unit.refresh_from_db()
    assert demo_other_unit.hsa_id == "SE2321000902-VS"


def test_the_provider_admin_can_only_choose_their_own_provider_and_staff(other_admin_client, demo_provider_admin_other):
    unit_form = other_admin_client.get(reverse("admin:organizations_unit_add")).context["adminform"].form
    assert list(unit_form.fields["provider"].queryset) == [demo_provider_admin_other.provider]
    grant_form = other_admin_client.get(reverse("admin:organizations_rolegrant_add")).context["adminform"].form
    assert {s.provider_id for s in grant_form.fields["staff"].queryset} == {demo_provider_admin_other.provider_id}
    assert {u.provider_id for u in grant_form.fields["unit"].queryset} == {demo_provider_admin_other.provider_id}


def test_the_provider_admin_cannot_grant_a_role_to_another_providers_staff(
    other_admin_client, demo_other_unit, demo_handler_x
):
    response = other_admin_client.post(
        reverse("admin:organizations_rolegrant_add"),
        {"staff": demo_handler_x.pk, "unit": demo_other_unit.pk, "role": "handler"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not RoleGrant.objects.filter(staff=demo_handler_x, unit=demo_other_unit).exists()


def test_the_provider_admin_grants_a_role_through_the_admin(
    other_admin_client, demo_other_unit, demo_provider_admin_other
):
    midwife = Staff.objects.get(hsa_id="SE2321000902-BM05")
    response = other_admin_client.post(
        reverse("admin:organizations_rolegrant_add"),
        {"staff": midwife.pk, "unit": demo_other_unit.pk, "role": "handler"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(staff=midwife, unit=demo_other_unit, role="handler")
    assert grant.granted_by_id == demo_provider_admin_other.pk


def test_the_provider_admin_lists_a_resident_by_personal_number(other_admin_client, demo_other_unit, demo_resident_a):
    from vardnav.demo import identities as ids

    response = other_admin_client.post(
        reverse("admin:organizations_listing_add"), {"personal_number": ids.RESIDENT_A, "unit": demo_other_unit.pk}
    )
    assert response.status_code == 302
    assert Listing.objects.get(person=demo_resident_a, ended_at__isnull=True).unit == demo_other_unit
    assert Listing.objects.filter(person=demo_resident_a, ended_at__isnull=False).count() == 1


def test_a_staff_user_who_is_not_a_provider_admin_sees_nothing(client, demo_handler_x):
    user = get_user_model().objects.create_user(username="vanlig", password=None, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:organizations_unit_changelist")).status_code == 403


def test_the_superuser_sees_every_providers_units(superuser_client):
    page = superuser_client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    for unit in Unit.objects.all():
        assert unit.name in page


@pytest.mark.parametrize("who", ["superuser", "provider_admin"])
def test_every_admin_page_of_the_app_renders(client, who, demo_other_unit, demo_provider_admin_other, demo_resident_b):
    from vardnav.people.models import Person

    if who == "superuser":
        client.force_login(get_user_model().objects.get(username=data.PLATFORM_ADMIN_USERNAME))
    else:
        client.force_login(demo_provider_admin_other.user)
    own = {
        CareProvider: demo_other_unit.provider,
        Unit: demo_other_unit,
        Staff: demo_provider_admin_other,
        RoleGrant: RoleGrant.objects.filter(unit=demo_other_unit).first(),
        Listing: Listing.objects.filter(unit=demo_other_unit).first(),
        Person: demo_resident_b,
    }
    for model, obj in own.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(_change_url(obj)).status_code == 200, name
        if model not in (Person,) and (who == "superuser" or model is not CareProvider):
            assert client.get(reverse(f"{name}_add")).status_code == 200, name


def test_the_provider_admin_adds_staff_only_to_their_own_provider(
    other_admin_client, demo_provider_admin_other, demo_provider
):
    form = {
        "hsa_id": "SE2321000902-NY01",
        "given_name": "Ny",
        "surname": "Medarbetare",
        "profession": "nurse",
        "is_active": "on",
    }
    refused = other_admin_client.post(reverse("admin:organizations_staff_add"), {**form, "provider": demo_provider.pk})
    assert refused.status_code == 200
    assert not Staff.objects.filter(hsa_id="SE2321000902-NY01").exists()

    added = other_admin_client.post(
        reverse("admin:organizations_staff_add"), {**form, "provider": demo_provider_admin_other.provider_id}
    )
    assert added.status_code == 302
    staff = Staff.objects.get(hsa_id="SE2321000902-NY01")
    assert staff.provider_id == demo_provider_admin_other.provider_id
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(staff.pk)).exists()


def test_the_provider_admin_activates_e_services_from_the_unit_list(other_admin_client, demo_unit_x):
    midwife_unit = Unit.objects.get(slug="barnmorskemottagningen-vastera")
    response = other_admin_client.post(
        reverse("admin:organizations_unit_changelist"),
        {"action": "activate_eservices", "_selected_action": [midwife_unit.pk, demo_unit_x.pk]},
    )
    assert response.status_code == 302
    midwife_unit.refresh_from_db()
    assert midwife_unit.eservices_active
    # demo_unit_x is another provider's: outside the queryset, so its only activation is the demo loader's.
    assert AuditEntry.objects.filter(action="unit.eservices_activate", object_id=str(demo_unit_x.pk)).count() == 1
