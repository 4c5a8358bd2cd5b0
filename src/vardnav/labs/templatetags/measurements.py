"""Template filters of home measurements: millilitres shown as litres (the unit on the resident's meter)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def litres(ml: int | None) -> Decimal | str:
    """3250 → Decimal('3.25'), to be shown with floatformat in the page's language; nothing for no value."""
    return "" if ml is None else Decimal(ml) / 1000
