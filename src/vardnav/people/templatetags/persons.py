"""Who a case or form is for, the same words on every page.

`{{ person|for_line }}` → "För Elsa Lindqvist, 8 år" (a resident acting for a child
sees it on forms, receipts and Mina ärenden); `{{ person|age }}` → 8.
`{% include "people/_identity_rows.html" with person=... %}` gives staff the name,
the personal number or samordningsnummer (labelled so) and the age.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from vardnav.core import clock
from vardnav.people import display
from vardnav.people.models import Person

register = template.Library()


@register.filter
def age(person: Person) -> int:
    return person.age_on(clock.today())


@register.filter
def for_line(person: Person) -> str:
    return display.for_line(person)


@register.filter
def number_label(person: Person) -> str:
    return _("Samordningsnummer") if person.number.is_coordination_number else _("Personnummer")
