"""Validation for logins and acting-for, before any identity action runs."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_noop

from vardnav.core import clock
from vardnav.core.personal_number import PersonalNumber, parse_personal_number
from vardnav.identity.errors import IdentityError

# ID-2 and ID-3: the same age splits who logs in with their own BankID and who is acted for.
OWN_BANKID_AGE = 16

FROM_16_EXPLANATION = gettext_noop(
    "Från 16 år loggar man in med eget BankID. Ingen annan kan agera för den som fyllt 16."
)


# REC-8 meets ID-2 here: a child of 13–15 whom the head of unit granted early access to their journal may
# log in with their own BankID, for the journal only. The journal app (above identity) registers the rule.
_journal_only_login_rules: list[Callable[[str], bool]] = []


def register_journal_only_login(rule: Callable[[str], bool]) -> None:
    """Register a rule that says whether someone under 16 (12-digit number) may log in for the journal only."""
    if rule not in _journal_only_login_rules:
        _journal_only_login_rules.append(rule)


# What a journal-only session reaches (by URL name); anything else leads back to the journal.
JOURNAL_ONLY_HOME = "records:my_journal"
JOURNAL_ONLY_URL_NAMES = frozenset(
    {
        JOURNAL_ONLY_HOME,
        "records:journal_copy",
        "api-v1:my_early_access",  # the child reads the status of their early access
        "identity:logout",
        "identity:login",
        "identity:keep_alive",
        "set_language",
    }
)


def journal_only_login_allowed(digits12: str) -> bool:
    return any(rule(digits12) for rule in _journal_only_login_rules)


# The same rule for a session already open (by the person's id): asked on each request of a journal-only
# session, so a withdrawn early access ends it at once. No rule registered: no journal-only session holds.
_journal_only_session_rules: list[Callable[[int], bool]] = []


def register_journal_only_session(rule: Callable[[int], bool]) -> None:
    if rule not in _journal_only_session_rules:
        _journal_only_session_rules.append(rule)


def journal_only_session_allowed(person_id: int) -> bool:
    return any(rule(person_id) for rule in _journal_only_session_rules)


def check_may_log_in_with_own_bankid(personal_number: str) -> PersonalNumber:
    """ID-2: refuse a BankID login by someone under 16; return the parsed number otherwise.

    The one exception is early access to the journal (REC-8): such a login's
    session reaches the journal pages only (identity.middleware).
    Why here and not only in the register sync: nothing about the child may be
    stored or started (no Person row, no session) when the login is refused.
    """
    number = parse_personal_number(personal_number, field="personal_number")
    if number.age_on(clock.today()) < OWN_BANKID_AGE and not journal_only_login_allowed(number.digits12):
        raise IdentityError.UNDER_16.error()
    return number


def may_be_acted_for(birth_date_age: int) -> bool:
    """ID-3: a guardian may act for a child only while the child is under 16."""
    return birth_date_age < OWN_BANKID_AGE
