"""Fetching providers, units and staff for an actor or for the public pages.

Why here: the only way an object reaches a view is through one of these
helpers, so "does not exist" and "not yours" give the same NotFound and unit
ids reveal nothing. Public lists run a fixed number of queries however many
units there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.organizations.models import CareProvider, RoleGrant, Staff, Unit


def access_unit_for_staff(actor: Actor, unit_id: int) -> Unit:
    """A unit the acting staff member works at (any role) or administers as provider admin."""
    if not actor.is_staff or actor.staff_id is None:
        raise NotFound()
    staff = Staff.objects.filter(pk=actor.staff_id, is_active=True).first()
    if staff is None:
        raise NotFound()
    units = Unit.objects.select_related("provider").filter(pk=unit_id)
    units = units.filter(provider_id=staff.provider_id)
    if not staff.is_provider_admin:
        units = units.filter(role_grants__staff=staff)
    unit = units.distinct().first()
    if unit is None:
        raise NotFound()
    return unit


def public_units() -> QuerySet[Unit]:
    """Every unit has a public page, with or without e-services (one query)."""
    return Unit.objects.select_related("provider").order_by("name", "pk")


def public_unit_by_slug(slug: str) -> Unit:
    unit = public_units().filter(slug=slug).first()
    if unit is None:
        raise NotFound("Mottagningen finns inte.")
    return unit


def public_providers() -> QuerySet[CareProvider]:
    """Providers with their units prefetched: two queries for the whole list."""
    return CareProvider.objects.order_by("name", "pk").prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("name", "pk"))
    )


@dataclass
class StaffUnitChoice:
    """One unit a staff member may work in, and the roles they hold there."""

    unit: Unit
    roles: list[str] = field(default_factory=list)


def staff_units(staff: Staff) -> list[StaffUnitChoice]:
    """The units and roles offered when a staff member chooses where to work after login.

    One query; an inactive staff member works nowhere.
    """
    if not staff.is_active:
        return []
    grants = (
        RoleGrant.objects.filter(staff=staff, unit__provider_id=staff.provider_id)
        .select_related("unit", "unit__provider")
        .order_by("unit__name", "unit_id", "role")
    )
    choices: dict[int, StaffUnitChoice] = {}
    for grant in grants:
        choice = choices.setdefault(grant.unit_id, StaffUnitChoice(unit=grant.unit))
        choice.roles.append(grant.role)
    return list(choices.values())
