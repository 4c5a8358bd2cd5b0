"""How a person is named to a resident who acts for them: "För Elsa Lindqvist, 8 år"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vardnav.core import clock
from vardnav.people.models import Person


def for_line(person: Person) -> str:
    # PRIV-1: a protected child has no stored name; the guardian is told it is their child.
    name = person.full_name if not person.protected_identity and person.full_name else _("ditt barn")
    return _("För %(name)s, %(age)d år") % {"name": name, "age": person.age_on(clock.today())}
