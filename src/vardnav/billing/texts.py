"""How money is written for people: whole kronor without decimals, öre only when there are any."""

from __future__ import annotations

from django.utils.translation import gettext as _


def kronor(amount_ore: int) -> str:
    """12345 → "123,45 kr"; 10000 → "100 kr" (Swedish: comma as decimal sign, space before kr)."""
    whole, ore = divmod(amount_ore, 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = grouped if ore == 0 else f"{grouped},{ore:02d}"
    return _("%(amount)s kr") % {"amount": text}


def amount_input(amount_ore: int) -> str:
    """The amount as a form shows it for editing: "100" or "87,50"."""
    whole, ore = divmod(amount_ore, 100)
    return str(whole) if ore == 0 else f"{whole},{ore:02d}"
