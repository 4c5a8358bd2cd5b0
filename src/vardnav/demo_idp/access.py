"""The staff the demo login page offers, read for the page in a fixed number of queries.

Why a module of its own: views only ask access helpers for objects; the demo
IdP lists every staff member (it stands in for the SITHS card), which no
production helper would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vardnav.organizations.models import Role, RoleGrant, Staff, Unit

# The order a tester reads a unit in: who receives, who handles, who leads.
ROLE_ORDER = (Role.RECEIVER, Role.HANDLER, Role.BOOKING_ADMIN, Role.UNIT_ADMIN)


@dataclass
class UnitGroup:
    """One unit's demo staff, by role, so a tester finds "a receiver at X" at a glance."""

    unit: Unit
    roles: list[tuple[str, list[Staff]]] = field(default_factory=list)


def demo_staff() -> tuple[list[UnitGroup], list[Staff]]:
    """Staff grouped by provider, unit and role, and those who hold no role at any unit. Two queries."""
    grants = RoleGrant.objects.select_related("staff", "unit", "unit__provider").order_by(
        "unit__provider__name", "unit__name", "staff__surname", "staff__given_name"
    )[:500]
    role_order: dict[str, int] = {role: position for position, role in enumerate(ROLE_ORDER)}
    groups: dict[int, UnitGroup] = {}
    for grant in sorted(grants, key=lambda g: (g.unit.provider.name, g.unit.name, role_order.get(g.role, 99))):
        group = groups.setdefault(grant.unit_id, UnitGroup(grant.unit))
        label = str(Role(grant.role).label)
        if not group.roles or group.roles[-1][0] != label:
            group.roles.append((label, []))
        group.roles[-1][1].append(grant.staff)
    without_role = list(
        Staff.objects.filter(role_grants__isnull=True)
        .select_related("provider")
        .order_by("surname", "given_name")[:100]
    )
    return list(groups.values()), without_role


# The personal numbers on some demo staff's pretend SITHS cards (Skatteverket's official test numbers, none of
# them a demo resident's). A real IdP reads it from the card; the demo IdP sends it in the personal-number
# claim, and the staff login fills in the staff member's own number for the log review's flags from it.
DEMO_CARD_HOLDERS = {
    "SE2321000901-NC00": "198003082396",  # the head of Vårdcentralen Norrsund centrum
    "SE2321000901-NC01": "198203192383",  # a doctor there
    "SE2321000901-NC07": "197606142391",  # an assistant nurse there
}


def card_holder_number(hsa_id: str) -> str:
    """The personal number on the (pretend) card of this HSA-id, or "" when the demo has none."""
    return DEMO_CARD_HOLDERS.get(hsa_id, "")


def staff_by_hsa(hsa_id: str) -> Staff | None:
    """The staff member the tester picked, for the name in the ID token; any HSA-id may be typed."""
    return Staff.objects.filter(hsa_id=hsa_id).first()
