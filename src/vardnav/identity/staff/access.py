"""Fetching staff and role grants for the staff login.

Why here: a staff member may work only in a unit and role they actually hold;
every unit choice goes through access_role_grant, which answers "not yours" and
"does not exist" with the same NotFound (ORG-4).
"""

from __future__ import annotations

from django.db.models import QuerySet

from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.core.hsa import is_valid_hsa_id, normalize_hsa_id
from vardnav.organizations.models import RoleGrant, Staff


def get_staff_for_login(hsa_ids: list[str]) -> Staff | None:
    """The one active staff member the IdP's HSA-ids name; None for none, or for several (ambiguous)."""
    candidates = {normalize_hsa_id(v) for v in hsa_ids if isinstance(v, str)}
    candidates = {v for v in candidates if is_valid_hsa_id(v)}
    if not candidates:
        return None
    matches = list(Staff.objects.select_related("user").filter(hsa_id__in=candidates, is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


def access_current_staff(actor: Actor) -> Staff:
    """The logged-in staff member, as long as they are still active."""
    if not actor.is_staff or actor.staff_id is None:
        raise NotFound()
    staff = Staff.objects.select_related("provider").filter(pk=actor.staff_id, is_active=True).first()
    if staff is None:
        raise NotFound()
    return staff


def role_grants_of(actor: Actor) -> QuerySet[RoleGrant]:
    """Every unit and role the acting staff member holds, in display order (one query)."""
    if actor.staff_id is None:
        return RoleGrant.objects.none()
    return (
        RoleGrant.objects.select_related("unit")
        .filter(staff_id=actor.staff_id)
        .filter(staff__is_active=True)
        .order_by("unit__name", "unit_id", "role")
    )


def access_role_grant(actor: Actor, unit_id: int, role: str) -> RoleGrant:
    if not actor.is_staff or actor.staff_id is None:
        raise NotFound()
    grant = role_grants_of(actor).filter(unit_id=unit_id).filter(role=role).first()
    if grant is None:
        raise NotFound()
    return grant
