"""Roles per unit and who may assign them (ORG-4)."""

from __future__ import annotations

import pytest

from tests.personas import actor_for, grant, make_staff
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.access import access_unit_for_staff, staff_units
from vardnav.organizations.actions.roles import do_grant_role, do_revoke_role
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse_x(provider):
    """A nurse at unit_x's provider who holds no role at unit_x yet."""
    return make_staff(provider, "SE2321000016-NX1", "Nora", "nurse")


@pytest.fixture
def unit_admin_y(provider, unit_y):
    """The head of unit_y, the provider's other unit."""
    head = make_staff(provider, "SE2321000016-UY1", "Ulf", "doctor")
    grant(head, unit_y, "unit_admin")
    return head


@pytest.mark.rule("ORG-4")
def test_the_unit_admin_grants_a_role_at_their_unit(unit_x, unit_admin_x, nurse_x):
    actor = actor_for(unit_admin_x, unit=unit_x, role="unit_admin")

    grant = do_grant_role(actor, staff=nurse_x, unit=unit_x, role=Role.RECEIVER)

    assert grant.granted_by_id == unit_admin_x.pk
    assert RoleGrant.objects.filter(staff=nurse_x, unit=unit_x, role=Role.RECEIVER).count() == 1
    entry = AuditEntry.objects.get(action="role.grant.receiver", object_id=str(nurse_x.pk), unit_id=unit_x.pk)
    assert entry.actor_staff_id == unit_admin_x.pk
    assert entry.unit_id == unit_x.pk


@pytest.mark.rule("ORG-4")
def test_it_refuses_a_handler_granting_a_role(unit_x, handler_x, nurse_x):
    with pytest.raises(PermissionDenied):
        do_grant_role(actor_for(handler_x, unit=unit_x, role="handler"), staff=nurse_x, unit=unit_x, role="handler")
    assert not RoleGrant.objects.filter(staff=nurse_x, unit=unit_x).exists()


@pytest.mark.rule("ORG-4")
def test_it_refuses_the_admin_of_another_unit_granting_a_role(unit_x, unit_y, unit_admin_y, nurse_x):
    with pytest.raises(PermissionDenied):
        do_grant_role(
            actor_for(unit_admin_y, unit=unit_y, role="unit_admin"), staff=nurse_x, unit=unit_x, role="handler"
        )
    assert not RoleGrant.objects.filter(staff=nurse_x, unit=unit_x).exists()


@pytest.mark.rule("ORG-4")
def test_it_refuses_a_receiver_revoking_a_role(unit_x, receiver_x, handler_x):
    grant = RoleGrant.objects.get(staff=handler_x, unit=unit_x, role="handler")
    with pytest.raises(PermissionDenied):
        do_revoke_role(actor_for(receiver_x, unit=unit_x, role="receiver"), grant)
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


@pytest.mark.rule("ORG-4")
def test_the_unit_admin_revokes_a_role(unit_x, unit_admin_x, handler_x):
    grant = RoleGrant.objects.get(staff=handler_x, unit=unit_x, role="handler")
    do_revoke_role(actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert (
        AuditEntry.objects.filter(action="role.revoke.handler", object_id=str(handler_x.pk), unit_id=unit_x.pk).count()
        == 1
    )


@pytest.mark.rule("ORG-4")
def test_the_provider_admin_grants_at_any_unit_of_their_provider(provider, unit_y, provider_admin):
    midwife = make_staff(provider, "SE2321000016-BM5", "Maja", "midwife")
    do_grant_role(actor_for(provider_admin), staff=midwife, unit=unit_y, role="handler")
    assert RoleGrant.objects.filter(staff=midwife, unit=unit_y, role="handler").exists()


@pytest.mark.rule("ORG-4")
def test_it_refuses_a_provider_admin_granting_at_another_providers_unit(unit_x, provider_admin_other, nurse_x):
    with pytest.raises(PermissionDenied):
        do_grant_role(actor_for(provider_admin_other), staff=nurse_x, unit=unit_x, role="handler")
    assert not RoleGrant.objects.filter(staff=nurse_x, unit=unit_x).exists()


@pytest.mark.rule("ORG-4")
def test_it_refuses_a_role_for_staff_of_another_provider(unit_x, unit_admin_x, other_provider):
    outsider = make_staff(other_provider, "SE2321000017-ST1", "Otto", "doctor")
    with pytest.raises(DomainError) as error:
        do_grant_role(
            actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), staff=outsider, unit=unit_x, role="handler"
        )
    assert error.value.field == "staff"
    assert not RoleGrant.objects.filter(staff=outsider, unit=unit_x).exists()


def test_granting_a_role_already_held_changes_nothing(unit_x, unit_admin_x, handler_x):
    audit_before = AuditEntry.objects.count()
    grant = do_grant_role(
        actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), staff=handler_x, unit=unit_x, role="handler"
    )
    assert RoleGrant.objects.filter(staff=handler_x, unit=unit_x, role="handler").count() == 1
    assert grant.pk == RoleGrant.objects.get(staff=handler_x, unit=unit_x, role="handler").pk
    assert AuditEntry.objects.count() == audit_before


def test_staff_choose_among_the_units_where_they_hold_roles(unit_x, nurse_x):
    grant(nurse_x, unit_x, "receiver")
    grant(nurse_x, unit_x, "handler")
    choices = staff_units(nurse_x)
    assert [(c.unit.slug, c.roles) for c in choices] == [(unit_x.slug, ["handler", "receiver"])]


def test_inactive_staff_have_no_unit_to_choose(handler_x):
    do_update_staff(Actor.system(), handler_x, is_active=False)
    assert staff_units(handler_x) == []


def test_staff_reach_their_own_unit(unit_x, handler_x):
    assert access_unit_for_staff(actor_for(handler_x), unit_x.pk) == unit_x


def test_staff_get_the_same_not_found_for_another_unit_as_for_a_missing_one(unit_y, handler_x):
    from vardnav.core.errors import NotFound

    with pytest.raises(NotFound) as other:
        access_unit_for_staff(actor_for(handler_x), unit_y.pk)
    with pytest.raises(NotFound) as missing:
        access_unit_for_staff(actor_for(handler_x), 10**9)
    assert other.value.as_problem() == missing.value.as_problem()
