"""The demo identities the start page offers in demo mode (through context_processors.demo).

Why here and not in demo.identities: that module holds the numbers the
demo data is built from; this one adds what a visitor needs to pick one (a name
and what the person lets you try). Names match the demo population register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vardnav.core.personal_number import PersonalNumber
from vardnav.demo import identities as ids


@dataclass(frozen=True)
class DemoIdentity:
    personal_number: str
    name: str | Promise
    description: str | Promise

    @property
    def formatted_number(self) -> str:
        """YYYYMMDD-NNNN, the form residents know from their ID card."""
        return PersonalNumber(self.personal_number).formatted


DEMO_IDENTITIES: tuple[DemoIdentity, ...] = (
    DemoIdentity(
        ids.GUARDIAN,
        "Anna Lindqvist",
        _("Vårdnadshavare till tre barn (8, 14 och 17 år). Kan agera för barnen under 16."),
    ),
    DemoIdentity(ids.CHILD_17, "Maja Lindqvist", _("17 år. Loggar in med eget BankID.")),
    DemoIdentity(ids.RESIDENT_A, "Karin Berg", _("Vuxen invånare.")),
    DemoIdentity(ids.AGED_85, "Gunnar Ek", _("85 år.")),
    DemoIdentity(ids.COORDINATION, "Luis Moreno", _("Har samordningsnummer i stället för personnummer.")),
    DemoIdentity(
        ids.PROTECTED,
        "Linnea Holm",
        _("Har skyddade personuppgifter: Vårdnav sparar bara personnumret, inte namn eller adress."),
    ),
)
