"""Template tags: the complaint link on a unit's page (CMP-5)."""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.complaints import access
from vardnav.organizations.models import Unit

register = template.Library()


@register.inclusion_tag("complaints/_unit_link.html")
def complaint_link(unit: Unit) -> dict[str, Any]:
    """CMP-5: on a connected unit's page, when the provider shows the complaint service there."""
    return {"unit": unit, "service": access.shown_on_unit_page(unit) if unit.eservices_active else None}
