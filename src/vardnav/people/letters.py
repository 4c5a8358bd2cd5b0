"""Where a letter to a person may go (PRIV-4): the one addressing rule every posted letter uses.

A letter is addressed from the population register on the day: the registered
address, or, for a protected person, only ever Skatteverket's forwarding address
(`RegisterRecord.forwarding_address`). A protected person without a forwarding
address gets no letter at all: never a guess, never an address a user typed.
Billing's invoices and reminders and bookings' summons letters use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vardnav.people.models import Person
from vardnav.people.register import get_population_register


@dataclass(frozen=True)
class Addressing:
    lines: list[str]
    via_forwarding: bool


def letter_address(person: Person) -> Addressing | None:
    """Where a letter to `person` may go, or None when there is nowhere it may go."""
    record = get_population_register().lookup(person.personal_number)
    if record is None:
        return None
    protected = person.protected_identity or record.is_protected
    address = record.forwarding_address if protected else record.address
    if address is None:
        return None
    name = f"{record.given_name} {record.surname}".strip()
    return Addressing(lines=[name, *address.lines()], via_forwarding=protected)
