"""The staff settings start page's booking links, as a tag so the organizations page needs no booking code."""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.bookings.access import booking_settings_units
from vardnav.organizations.access import acting_staff

register = template.Library()


@register.simple_tag(takes_context=True)
def booking_settings_links(context: template.Context) -> dict[str, Any]:
    """The units whose visit types and booking settings the viewer keeps, and whether they keep the
    provider's cut-off rules (its administrator)."""
    actor = context["request"].actor
    staff = acting_staff(actor)
    return {
        "units": list(booking_settings_units(actor)),
        "provider": bool(staff is not None and staff.is_provider_admin),
    }
