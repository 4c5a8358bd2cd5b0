"""Who holds which role (ORG-4): the answers every app takes from organizations.access."""

from __future__ import annotations

import pytest

from tests.personas import actor_for
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import (
    acting_staff,
    is_provider_admin,
    is_unit_admin,
    require_provider_admin,
    require_unit_admin,
    staff_roles_at,
)
from vardnav.organizations.actions.roles import do_grant_role, do_revoke_role
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


def test_staff_hold_their_granted_roles_at_the_unit_they_work_in(unit_x, receiver_x, handler_x):
    assert staff_roles_at(actor_for(receiver_x, unit=unit_x, role="receiver"), unit_x.pk) == {Role.RECEIVER}
    assert staff_roles_at(actor_for(handler_x, unit=unit_x, role="handler"), unit_x.pk) == {Role.HANDLER}


@pytest.mark.rule("ORG-4")
def test_a_revoked_grant_is_no_longer_held_in_the_same_session(unit_x, unit_admin_x, receiver_x):
    grant = do_grant_role(
        actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), staff=receiver_x, unit=unit_x, role="handler"
    )
    working = actor_for(receiver_x, unit=unit_x, role="receiver")
    assert staff_roles_at(working, unit_x.pk) == {Role.RECEIVER, Role.HANDLER}

    do_revoke_role(actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), grant)

    assert staff_roles_at(working, unit_x.pk) == {Role.RECEIVER}


@pytest.mark.rule("ORG-4")
def test_a_revoked_unit_admin_grant_ends_unit_administration(unit_x, unit_admin_x, provider_admin):
    head = actor_for(unit_admin_x, unit=unit_x, role="unit_admin")
    assert is_unit_admin(head, unit_x)

    do_revoke_role(actor_for(provider_admin), RoleGrant.objects.get(staff=unit_admin_x, unit=unit_x, role="unit_admin"))

    assert not is_unit_admin(head, unit_x)
    with pytest.raises(PermissionDenied):
        require_unit_admin(head, unit_x)


@pytest.mark.rule("ORG-4")
def test_an_inactive_staff_member_holds_nothing(unit_x, unit_admin_x, provider_admin):
    head = actor_for(unit_admin_x, unit=unit_x, role="unit_admin")
    admin = actor_for(provider_admin)
    do_update_staff(Actor.system(), unit_admin_x, is_active=False)
    do_update_staff(Actor.system(), provider_admin, is_active=False)

    assert acting_staff(head) is None
    assert staff_roles_at(head, unit_x.pk) == set()
    assert not is_unit_admin(head, unit_x)
    assert not is_provider_admin(admin, unit_x.provider_id)
    with pytest.raises(PermissionDenied):
        require_provider_admin(admin, unit_x.provider_id)


@pytest.mark.rule("ORG-4")
def test_roles_at_another_unit_than_the_one_worked_in_count_for_nothing(unit_x, unit_y, receiver_x):
    do_grant_role(Actor.system(), staff=receiver_x, unit=unit_y, role="handler")
    working_at_x = actor_for(receiver_x, unit=unit_x, role="receiver")

    assert staff_roles_at(working_at_x, unit_y.pk) == set()
    assert staff_roles_at(actor_for(receiver_x, unit=unit_y, role="handler"), unit_y.pk) == {Role.HANDLER}


@pytest.mark.rule("ORG-4")
def test_the_head_of_one_unit_does_not_administer_another(unit_x, unit_y, unit_admin_x):
    head = actor_for(unit_admin_x, unit=unit_x, role="unit_admin")
    assert not is_unit_admin(head, unit_y)
    with pytest.raises(PermissionDenied):
        require_unit_admin(head, unit_y)


def test_unit_administration_does_not_depend_on_the_unit_chosen_at_login(unit_x, unit_admin_x):
    """The Django admin has no chosen unit; the head still administers their unit there."""
    assert is_unit_admin(actor_for(unit_admin_x), unit_x)


@pytest.mark.rule("ORG-4")
def test_a_provider_admin_of_another_provider_administers_nothing_here(unit_x, other_unit, provider_admin_other):
    admin = actor_for(provider_admin_other)
    assert is_provider_admin(admin, other_unit.provider_id)
    require_unit_admin(admin, other_unit)

    assert not is_provider_admin(admin, unit_x.provider_id)
    assert not is_unit_admin(admin, unit_x)
    with pytest.raises(PermissionDenied):
        require_provider_admin(admin, unit_x.provider_id)
    with pytest.raises(PermissionDenied):
        require_unit_admin(admin, unit_x)


def test_a_provider_admin_administers_every_unit_of_their_provider(unit_x, unit_y, provider_admin):
    admin = actor_for(provider_admin)
    require_provider_admin(admin, unit_x.provider_id)
    require_unit_admin(admin, unit_x)
    require_unit_admin(admin, unit_y)
    assert not is_unit_admin(admin, unit_x)  # administering is not holding the unit_admin role
    assert staff_roles_at(admin, unit_x.pk) == set()


def test_residents_and_the_platform_hold_no_staff_roles(unit_x, resident_a):
    for actor in (actor_for(resident_a), Actor.system()):
        assert acting_staff(actor) is None
        assert staff_roles_at(actor, unit_x.pk) == set()
        assert not is_provider_admin(actor, unit_x.provider_id)
        assert not is_unit_admin(actor, unit_x)
    with pytest.raises(PermissionDenied):
        require_unit_admin(actor_for(resident_a), unit_x)
    require_unit_admin(Actor.system(), unit_x)
    require_provider_admin(Actor.system(), unit_x.provider_id)
