"""Granting and revoking roles at a unit (ORG-4)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.access import is_provider_admin, require_provider_admin, require_unit_admin
from vardnav.organizations.checks import check_choice
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import Role, RoleGrant, Staff, Unit

GRANT_EVENTS = {
    Role.RECEIVER: AuditEvent.ROLE_GRANT_RECEIVER,
    Role.HANDLER: AuditEvent.ROLE_GRANT_HANDLER,
    Role.UNIT_ADMIN: AuditEvent.ROLE_GRANT_UNIT_ADMIN,
    Role.LOG_REVIEWER: AuditEvent.ROLE_GRANT_LOG_REVIEWER,
    Role.BOOKING_ADMIN: AuditEvent.ROLE_GRANT_BOOKING_ADMIN,
}
REVOKE_EVENTS = {
    Role.RECEIVER: AuditEvent.ROLE_REVOKE_RECEIVER,
    Role.HANDLER: AuditEvent.ROLE_REVOKE_HANDLER,
    Role.UNIT_ADMIN: AuditEvent.ROLE_REVOKE_UNIT_ADMIN,
    Role.LOG_REVIEWER: AuditEvent.ROLE_REVOKE_LOG_REVIEWER,
    Role.BOOKING_ADMIN: AuditEvent.ROLE_REVOKE_BOOKING_ADMIN,
}


def do_grant_role(actor: Actor, *, staff: Staff, unit: Unit, role: str) -> RoleGrant:
    """ORG-4: the unit's head (or the provider's administrator) assigns roles at the unit.

    Granting a role that is already held changes nothing and writes nothing.
    """
    require_unit_admin(actor, unit)
    check_choice(role, Role, field="role", label=_("roll"))
    if role == Role.LOG_REVIEWER:  # the provider's log reviewer is the provider admin's to appoint
        require_provider_admin(actor, unit.provider_id)
    if staff.provider_id != unit.provider_id:
        raise OrganizationError.OTHER_PROVIDER.error(field="staff")
    if not staff.is_active:
        raise OrganizationError.INACTIVE_STAFF.error(field="staff")
    existing = RoleGrant.objects.filter(staff=staff, unit=unit, role=role).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                staff=staff,
                unit=unit,
                role=role,
                granted_by_id=actor.staff_id if actor.is_staff else None,
                granted_at=clock.now(),
            )
            do_record(actor, GRANT_EVENTS[Role(role)], staff, unit_id=unit.pk)
    except IntegrityError:
        # The same grant made at the same moment by someone else.
        return RoleGrant.objects.get(staff=staff, unit=unit, role=role)
    return grant


def do_revoke_role(actor: Actor, grant: RoleGrant) -> None:
    unit = grant.unit
    require_unit_admin(actor, unit)
    if (
        actor.is_staff
        and grant.staff_id == actor.staff_id
        and grant.role == Role.UNIT_ADMIN
        and not is_provider_admin(actor, unit.provider_id)
    ):
        raise OrganizationError.CANNOT_REVOKE_OWN_ADMIN.error(field="role")
    with transaction.atomic():
        grant.delete()
        do_record(
            actor,
            REVOKE_EVENTS[Role(grant.role)],
            object_type=Staff._meta.label_lower,
            object_id=grant.staff_id,
            unit_id=unit.pk,
        )
