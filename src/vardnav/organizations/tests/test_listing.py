"""Listing (listning) at a vårdcentral."""

from __future__ import annotations

import pytest

from vardnav.audit.models import AuditEntry
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.models import Listing, Unit

pytestmark = pytest.mark.django_db


def test_listing_elsewhere_ends_the_previous_listing(resident_a, unit_x, resident_actor):
    hamnen = Unit.objects.get(slug="vardcentralen-hamnen")

    listing = do_list_person(resident_actor(resident_a), resident_a, hamnen)

    assert Listing.objects.get(person=resident_a, ended_at__isnull=True) == listing
    old = Listing.objects.get(person=resident_a, unit=unit_x)
    assert old.ended_at == listing.listed_at
    entry = AuditEntry.objects.get(action="listing.create", object_id=str(listing.pk))
    assert entry.subject_person_id == resident_a.pk


def test_listing_at_the_same_unit_again_changes_nothing(resident_a, unit_x, resident_actor):
    before = Listing.objects.filter(person=resident_a).count()
    do_list_person(resident_actor(resident_a), resident_a, unit_x)
    assert Listing.objects.filter(person=resident_a).count() == before


def test_it_refuses_listing_at_a_unit_that_is_not_a_vardcentral(resident_a, unit_x, resident_actor):
    vaccination = Unit.objects.get(slug="kliniknu-vaccination-centrum")
    with pytest.raises(DomainError) as error:
        do_list_person(resident_actor(resident_a), resident_a, vaccination)
    assert error.value.field == "unit"
    assert Listing.objects.get(person=resident_a, ended_at__isnull=True).unit == unit_x


def test_a_guardian_lists_their_child_but_not_someone_else(guardian, child_8, resident_b, resident_actor):
    hamnen = Unit.objects.get(slug="vardcentralen-hamnen")
    do_list_person(resident_actor(guardian, acting_for=child_8), child_8, hamnen)
    assert Listing.objects.get(person=child_8, ended_at__isnull=True).unit == hamnen
    with pytest.raises(PermissionDenied):
        do_list_person(resident_actor(guardian), resident_b, hamnen)


def test_a_handler_cannot_move_a_residents_listing(resident_a, handler_x, staff_actor, unit_x):
    hamnen = Unit.objects.get(slug="vardcentralen-hamnen")
    with pytest.raises(PermissionDenied):
        do_list_person(staff_actor(handler_x, unit_x, "handler"), resident_a, hamnen)
