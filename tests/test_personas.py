"""The shared personas are what docs/testing.md's table says, and each name is one thing everywhere."""

from __future__ import annotations

import dataclasses

import pytest

from tests.personas import World
from vardnav.organizations.models import Listing, RoleGrant

pytestmark = pytest.mark.django_db


def test_every_persona_is_a_fixture_of_its_own_name_and_the_same_object(world, request):
    for field in dataclasses.fields(World):
        assert request.getfixturevalue(field.name) is getattr(world, field.name), field.name


def test_the_residents_are_listed_where_the_table_says(world):
    def listed(person):
        listing = Listing.objects.filter(person=person, ended_at__isnull=True).first()
        return listing.unit if listing else None

    assert {listed(p) for p in (world.resident_a, world.guardian, world.child_8)} == {world.unit_x}
    assert listed(world.resident_b) == world.unit_y
    for unlisted in (world.guardian_2, world.child_14, world.child_17, world.protected, world.aged_85):
        assert listed(unlisted) is None


def test_the_staff_hold_the_roles_their_names_say(world):
    def roles(staff):
        return set(RoleGrant.objects.filter(staff=staff).values_list("unit_id", "role"))

    assert roles(world.receiver_x) == {(world.unit_x.pk, "receiver")}
    assert roles(world.handler_x) == roles(world.handler_x2) == {(world.unit_x.pk, "handler")}
    assert roles(world.unit_admin_x) == {(world.unit_x.pk, "unit_admin")}
    assert roles(world.handler_y) == {(world.unit_y.pk, "handler")}
    assert roles(world.provider_admin) == roles(world.provider_admin_other) == set()
    assert world.provider_admin.is_provider_admin and world.provider_admin.provider == world.provider
    assert world.provider_admin_other.is_provider_admin
    assert world.provider_admin_other.provider == world.other_provider


def test_unit_y_is_the_same_providers_and_other_unit_is_another_providers(world):
    assert world.unit_x.provider == world.unit_y.provider == world.provider
    assert world.other_unit.provider == world.other_provider != world.provider
    assert world.provider.service_offering == "provider_wide"
    assert world.other_provider.service_offering == "per_unit"
    assert all(u.eservices_active for u in (world.unit_x, world.unit_y, world.other_unit))


def test_the_guardian_may_act_for_the_children_under_16_and_the_protected_resident_is_protected(world):
    children = set(world.guardian.child_relations.values_list("child_id", flat=True))
    assert children == {world.child_8.pk, world.child_14.pk, world.child_17.pk}
    assert set(world.guardian_2.child_relations.values_list("child_id", flat=True)) == children
    assert world.protected.protected_identity


def test_the_services_are_one_listing_bound_and_one_open(world):
    assert world.contact.listing_bound and not world.open_service.listing_bound
    assert world.contact.provider == world.open_service.provider == world.provider
