"""Listing (listning) at a vårdcentral."""

from __future__ import annotations

import pytest

from tests.personas import actor_for, make_unit
from vardnav.audit.models import AuditEntry
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.models import Listing

pytestmark = pytest.mark.django_db


def test_listing_elsewhere_ends_the_previous_listing(resident_a, unit_x, unit_y):

    listing = do_list_person(actor_for(resident_a), resident_a, unit_y)

    assert Listing.objects.get(person=resident_a, ended_at__isnull=True) == listing
    old = Listing.objects.get(person=resident_a, unit=unit_x)
    assert old.ended_at == listing.listed_at
    entry = AuditEntry.objects.get(action="listing.create", object_id=str(listing.pk))
    assert entry.subject_person_id == resident_a.pk


def test_listing_at_the_same_unit_again_changes_nothing(resident_a, unit_x):
    before = Listing.objects.filter(person=resident_a).count()
    do_list_person(actor_for(resident_a), resident_a, unit_x)
    assert Listing.objects.filter(person=resident_a).count() == before


def test_it_refuses_listing_at_a_unit_that_is_not_a_vardcentral(resident_a, unit_x, provider):
    vaccination = make_unit(provider, "Vaccinationen", "SE2321000016-VC1", kind="vaccination")
    with pytest.raises(DomainError) as error:
        do_list_person(actor_for(resident_a), resident_a, vaccination)
    assert error.value.field == "unit"
    assert Listing.objects.get(person=resident_a, ended_at__isnull=True).unit == unit_x


def test_a_guardian_lists_their_child_but_not_someone_else(guardian, child_8, resident_b, unit_y):
    do_list_person(actor_for(guardian, acting_for=child_8), child_8, unit_y)
    assert Listing.objects.get(person=child_8, ended_at__isnull=True).unit == unit_y
    with pytest.raises(PermissionDenied):
        do_list_person(actor_for(guardian), resident_b, unit_y)


def test_a_handler_cannot_move_a_residents_listing(resident_a, handler_x, unit_x, unit_y):
    with pytest.raises(PermissionDenied):
        do_list_person(actor_for(handler_x, unit=unit_x, role="handler"), resident_a, unit_y)
