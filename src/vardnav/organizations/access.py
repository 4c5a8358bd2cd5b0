"""Fetching providers, units and staff for an actor, and who holds which role.

Why here: the only way an object reaches a view is through one of these
helpers, so "does not exist" and "not yours" give the same NotFound and unit
ids reveal nothing. Public lists run a fixed number of queries however many
units there are.

This is also the one place that answers "which roles does this actor hold at
this unit", "is this a provider administrator" and "is this the unit's head"
(ORG-4), for every app: a copy elsewhere would drift from the rules here.
Each answer reads the database, never only the session, because a grant can be
revoked and a staff member deactivated while they are logged in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value

from vardnav.core.actor import Actor
from vardnav.core.compiled import CompiledQuery
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.core.hsa import normalize_hsa_id
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import CareProvider, Listing, Role, RoleGrant, Staff, Unit

# --- who holds which role ------------------------------------------------------


def is_platform(actor: Actor) -> bool:
    """The platform itself: set-up, management commands, platform superusers in the admin."""
    return actor.is_platform


def require_platform(actor: Actor) -> None:
    if not is_platform(actor):
        raise PermissionDenied()


def acting_staff(actor: Actor) -> Staff | None:
    """The staff member behind the actor, or None when there is none or they are no longer active."""
    if not actor.is_staff or actor.staff_id is None:
        return None
    return Staff.objects.filter(pk=actor.staff_id, is_active=True).first()


def staff_roles_at(actor: Actor, unit_id: int) -> set[str]:
    """The roles the acting staff member holds at the unit they work in now.

    Empty for any other unit than the one chosen at login (actor.unit_id): case
    work happens in one unit at a time, even for someone with roles at several.
    """
    if not actor.is_staff or actor.staff_id is None or actor.unit_id != unit_id:
        return set()
    return {row["role"] for row in _ROLES_AT.rows(staff_id=actor.staff_id, unit_id=unit_id)}


# Asked on every staff request: compiled once per process (core.compiled).
_ROLES_AT = CompiledQuery(
    lambda v: RoleGrant.objects.filter(staff_id=v["staff_id"], unit_id=v["unit_id"], staff__is_active=True).values(
        "role"
    ),
    staff_id=int,
    unit_id=int,
)


def is_provider_admin(actor: Actor, provider_id: int) -> bool:
    """An active staff member of this provider with Staff.is_provider_admin."""
    staff = acting_staff(actor)
    return staff is not None and staff.is_provider_admin and staff.provider_id == provider_id


def is_unit_admin(actor: Actor, unit: Unit) -> bool:
    """ORG-4: an active staff member of the unit's provider holding the unit_admin role (verksamhetschef) there.

    Unlike staff_roles_at this does not depend on the unit chosen at login: the
    Django admin, where units are administered, has no chosen unit.
    """
    staff = acting_staff(actor)
    if staff is None or staff.provider_id != unit.provider_id:
        return False
    return RoleGrant.objects.filter(staff=staff, unit=unit, role=Role.UNIT_ADMIN).exists()


def require_provider_admin(actor: Actor, provider_id: int) -> None:
    """The platform or the provider's own administrator; anyone else is refused."""
    if is_platform(actor) or is_provider_admin(actor, provider_id):
        return
    raise PermissionDenied()


def require_unit_admin(actor: Actor, unit: Unit) -> None:
    """ORG-4: the unit's head, or the administrator of its provider (or the platform)."""
    if is_platform(actor) or is_provider_admin(actor, unit.provider_id) or is_unit_admin(actor, unit):
        return
    raise PermissionDenied(OrganizationError.UNIT_ADMIN_REQUIRED)


# --- fetching for an actor -----------------------------------------------------


def access_unit_for_staff(actor: Actor, unit_id: int) -> Unit:
    """A unit the acting staff member works at (any role) or administers as provider admin."""
    staff = acting_staff(actor)
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
        raise NotFound(OrganizationError.UNIT_NOT_FOUND)
    return unit


_UNIT = CompiledQuery(lambda v: public_units().filter(pk=v["unit_id"])[:1], unit_id=int)


def access_unit(unit_id: int) -> Unit:
    """Any unit by id (with its provider): what a unit offers is decided above, per service."""
    unit: Unit | None = _UNIT.first(unit_id=unit_id)
    if unit is None:
        raise NotFound(OrganizationError.UNIT_NOT_FOUND)
    return unit


def access_provider_unit_by_hsa(provider_id: int, hsa_id: str) -> Unit:
    """A unit of this provider by its HSA-id; another provider's unit is the same 404 as a missing one."""
    unit = public_units().filter(hsa_id=normalize_hsa_id(hsa_id), provider_id=provider_id).first()
    if unit is None:
        raise NotFound(OrganizationError.UNIT_NOT_FOUND)
    return unit


def provider_staff(provider_id: int, staff_id: int) -> Staff | None:
    """A staff member of this provider (active or not: the caller decides what that means), or None."""
    return Staff.objects.filter(pk=staff_id, provider_id=provider_id).first()


def active_staff_by_hsa(provider_id: int, hsa_id: str) -> Staff | None:
    """An active staff member of this provider by HSA-id, or None."""
    return Staff.objects.filter(hsa_id=normalize_hsa_id(hsa_id), provider_id=provider_id, is_active=True).first()


def current_listings(person_id: int | OuterRef) -> QuerySet[Listing]:
    """The person's current listing, first first: the one definition current_listing and
    listed_at read (a person has at most one; the order makes "the" one certain)."""
    return Listing.objects.filter(person_id=person_id, ended_at__isnull=True).order_by("pk")


_CURRENT_LISTING = CompiledQuery(
    lambda v: current_listings(v["person_id"]).select_related("unit__provider")[:1],
    person_id=int,
)


def listed_at(person: OuterRef) -> dict[str, Subquery]:
    """The current listing's unit and that unit's provider, as annotations of a query of persons
    (`OuterRef` to the person's id): `listed_unit_id` and `listed_provider_id`, None when not listed.

    Why: a submission needs only these two ids to route a listing-bound case (CASE-1), and
    reading them with the person saves the listing's own query (issue 13).
    """
    listing = current_listings(person)[:1]
    return {
        "listed_unit_id": Subquery(listing.values("unit_id")),
        "listed_provider_id": Subquery(listing.values("unit__provider_id")),
    }


def current_listing(person_id: int) -> Listing | None:
    """Where the person is listed now (with the unit and its provider), if anywhere (compiled: read on submissions)."""
    listing: Listing | None = _CURRENT_LISTING.first(person_id=person_id)
    return listing


def providers_by_name() -> QuerySet[CareProvider]:
    """Every care provider by name, without their units (one query)."""
    return CareProvider.objects.order_by("name", "pk")


def providers_with_units() -> QuerySet[CareProvider]:
    """Providers that have units, each with its units: two queries however many there are."""
    return (
        CareProvider.objects.filter(Exists(Unit.objects.filter(provider=OuterRef("pk"))))
        .order_by("name")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("name")))
    )


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


# --- the staff settings area (issue 11, item 13) ----------------------------------


def administered_units(actor: Actor) -> QuerySet[Unit]:
    """The units whose settings the actor keeps: every unit of their provider for a provider
    administrator, the units where they are head of unit (ORG-4) for anyone else (one query)."""
    staff = acting_staff(actor)
    if staff is None:
        return Unit.objects.none()
    units = Unit.objects.select_related("provider").filter(provider_id=staff.provider_id)
    if not staff.is_provider_admin:
        units = units.filter(Exists(RoleGrant.objects.filter(staff=staff, unit=OuterRef("pk"), role=Role.UNIT_ADMIN)))
    return units.order_by("name", "pk")


# Who finds "Inställningar" in the staff menu: heads of unit, and booking admins for the booking settings pages.
SETTINGS_ROLES = (Role.UNIT_ADMIN, Role.BOOKING_ADMIN)


def may_keep_settings(actor: Actor) -> bool:
    """A provider administrator, a head of unit or a booking admin: the staff menu's "Inställningar" and its
    start page (a booking admin sees only the booking settings there; the unit pages stay the head's)."""
    staff = acting_staff(actor)
    if staff is None:
        return False
    return staff.is_provider_admin or RoleGrant.objects.filter(staff=staff, role__in=SETTINGS_ROLES).exists()


@dataclass(frozen=True)
class StaffHeader:
    """What every staff page's header and menu show about who is working where."""

    name: str
    unit_name: str
    keeps_settings: bool  # may_keep_settings(): the menu's "Inställningar"
    profession: str = ""
    is_provider_admin: bool = False
    unit_kind: str = ""  # the menu's entries for a patient board and for vaccinating staff


def staff_header(actor: Actor) -> StaffHeader:
    """The staff header in one query (plain values), instead of a Staff, a Unit and a role check each."""
    unit = Unit.objects.filter(pk=actor.unit_id) if actor.unit_id else None
    row = (
        Staff.objects.filter(pk=actor.staff_id)
        .annotate(
            unit_name=Subquery(unit.values("name")[:1]) if unit is not None else Value(""),
            unit_kind=Subquery(unit.values("kind")[:1]) if unit is not None else Value(""),
            heads_a_unit=Exists(RoleGrant.objects.filter(staff_id=OuterRef("pk"), role__in=SETTINGS_ROLES)),
        )
        .values(
            "given_name",
            "surname",
            "profession",
            "is_active",
            "is_provider_admin",
            "unit_name",
            "unit_kind",
            "heads_a_unit",
        )
        .first()
        if actor.is_staff and actor.staff_id is not None
        else None
    )
    if row is None:
        return StaffHeader("", "", keeps_settings=False)
    return StaffHeader(
        name=f"{row['given_name']} {row['surname']}",
        unit_name=row["unit_name"] or "",
        keeps_settings=bool(row["is_active"] and (row["is_provider_admin"] or row["heads_a_unit"])),
        profession=row["profession"],
        is_provider_admin=bool(row["is_provider_admin"]),
        unit_kind=row["unit_kind"] or "",
    )


def access_unit_to_administer(actor: Actor, unit_id: int) -> Unit:
    """A unit whose settings the actor keeps (require_unit_admin's rule); any other is the same 404."""
    unit = administered_units(actor).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(OrganizationError.UNIT_NOT_FOUND)
    return unit


def access_administered_provider(actor: Actor) -> CareProvider:
    """The provider the actor administers (Staff.is_provider_admin); anyone else is refused."""
    staff = acting_staff(actor)
    if staff is None or not staff.is_provider_admin:
        raise PermissionDenied()
    return CareProvider.objects.get(pk=staff.provider_id)


def unit_role_grants(unit: Unit) -> QuerySet[RoleGrant]:
    """Who holds which role at the unit, by name (one query)."""
    return (
        RoleGrant.objects.filter(unit=unit)
        .select_related("staff")
        .order_by("staff__surname", "staff__given_name", "staff_id", "role")
    )


def access_unit_role_grant(unit: Unit, grant_id: int) -> RoleGrant:
    """A role grant at this unit; one at another unit is the same 404 as a missing one."""
    grant = RoleGrant.objects.select_related("staff", "unit__provider").filter(pk=grant_id, unit=unit).first()
    if grant is None:
        raise NotFound()
    return grant


def grantable_staff(unit: Unit) -> QuerySet[Staff]:
    """The active staff of the unit's provider, who may be given a role there (one query)."""
    return Staff.objects.filter(provider_id=unit.provider_id, is_active=True).order_by("surname", "given_name", "pk")


def provider_staff_list(provider_id: int) -> QuerySet[Staff]:
    """Every staff member of the provider by name, active or not (the settings' staff list, one query)."""
    return Staff.objects.filter(provider_id=provider_id).order_by("surname", "given_name", "pk")


LISTINGS_PAGE_SIZE = 50


def unit_listings(unit: Unit, after: tuple[dt.datetime, int] | None = None) -> list[Listing]:
    """The residents listed at the unit now, newest first, one page (keyset on listed_at, id) in one query.

    One row more than a page is fetched, so the caller knows whether there is a next page.
    """
    queryset = Listing.objects.select_related("person").filter(unit=unit, ended_at__isnull=True)
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(listed_at__lt=moment) | Q(listed_at=moment, pk__lt=pk))
    return list(queryset.order_by("-listed_at", "-pk")[: LISTINGS_PAGE_SIZE + 1])


def access_unit_listing(unit: Unit, listing_id: int) -> Listing:
    """A current listing at the unit; ended, missing or another unit's: the same 404."""
    listing = (
        Listing.objects.select_related("person", "unit").filter(unit=unit, pk=listing_id, ended_at__isnull=True).first()
    )
    if listing is None:
        raise NotFound()
    return listing
