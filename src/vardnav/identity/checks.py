"""Validation for logins and acting-for, before any identity action runs."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from vardnav.core import clock
from vardnav.core.personal_number import PersonalNumber, parse_personal_number
from vardnav.identity.errors import IdentityError

# ID-2 and ID-3: the same age splits who logs in with their own BankID and who is acted for.
OWN_BANKID_AGE = 16

FROM_16_EXPLANATION = gettext_noop(
    "Från 16 år loggar man in med eget BankID. Ingen annan kan agera för den som fyllt 16."
)


def check_may_log_in_with_own_bankid(personal_number: str) -> PersonalNumber:
    """ID-2: refuse a BankID login by someone under 16; return the parsed number otherwise.

    Why here and not only in the register sync: nothing about the child may be
    stored or started (no Person row, no session) when the login is refused.
    """
    number = parse_personal_number(personal_number, field="personal_number")
    if number.age_on(clock.today()) < OWN_BANKID_AGE:
        raise IdentityError.UNDER_16.error()
    return number


def may_be_acted_for(birth_date_age: int) -> bool:
    """ID-3: a guardian may act for a child only while the child is under 16."""
    return birth_date_age < OWN_BANKID_AGE
