"""The unit page's booking section (BOOK-1), as a tag so the organizations page needs no booking code."""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.bookings import texts
from vardnav.bookings.access import booking_settings_for
from vardnav.organizations.models import Unit

register = template.Library()


@register.inclusion_tag("bookings/_unit_offer.html")
def unit_booking_offer(unit: Unit) -> dict[str, Any]:
    return {"unit": unit, "settings": booking_settings_for(unit), "payment": texts.payment_text(unit)}
