"""Who reads whose journal, by age: the one rule set for REC-7 and REC-8 with the login rules ID-2 and ID-3.

Why one module: the age limits differ by where the journal is read, and they
meet the login rules at the same birthdays (13 and 16). Spread over views they
would drift; here each limit is one constant and each question one function,
tested on the day before and on the birthday itself.

- In the provider's own system (this platform's "Min journal"), a guardian
  reads a child's journal until the child turns 16 (REC-7).
- In the national view (1177 Journalen, the national summary), a guardian sees
  it only while the child is under 13 (REC-7).
- A child of 13–15 cannot read their own journal at the provider; they may
  apply for early access, which the head of unit (verksamhetschef) decides
  (REC-8). From 16 the resident reads their own journal.
- ID-2: under 16 nobody logs in with their own BankID; a guardian acts for the
  child. ID-3: from 16 nobody can act for the resident. Those two are
  identity's checks (identity.checks), used here rather than restated.

Ages are counted in Swedish dates (vardnav.core.clock.today): a person is 16
from the first moment of their 16th birthday.
"""

from __future__ import annotations

from enum import StrEnum

from vardnav.identity.checks import OWN_BANKID_AGE, may_be_acted_for
from vardnav.records.errors import RecordError


class JournalView(StrEnum):
    PROVIDER = "provider"  # the care provider's own system: this platform's "Min journal"
    NATIONAL = "national"  # the national view: 1177 Journalen / the national summary


OWN_JOURNAL_AGE = 16  # REC-8: from 16 the resident reads their own journal
EARLY_ACCESS_AGE = 13  # REC-8: from 13 a child may apply for early access
GUARDIAN_READS_UNTIL = {JournalView.PROVIDER: 16, JournalView.NATIONAL: 13}  # REC-7


def may_log_in_with_own_bankid(age: int) -> bool:
    """ID-2: only from 16."""
    return age >= OWN_BANKID_AGE


def guardian_may_act_for(child_age: int) -> bool:
    """ID-3: a guardian acts for a child only while the child is under 16."""
    return may_be_acted_for(child_age)


def guardian_reads_journal(child_age: int, view: JournalView) -> bool:
    """REC-7: under 16 in the provider's own system, under 13 in the national view."""
    return child_age < GUARDIAN_READS_UNTIL[view] and guardian_may_act_for(child_age)


def may_apply_for_early_access(age: int) -> bool:
    """REC-8: a child of 13, 14 or 15."""
    return EARLY_ACCESS_AGE <= age < OWN_JOURNAL_AGE


def reads_own_journal(age: int, *, early_access: bool = False) -> bool:
    """REC-8: from 16; at 13–15 only with early access granted by the head of unit; under 13 never."""
    if age >= OWN_JOURNAL_AGE:
        return True
    return early_access and may_apply_for_early_access(age)


def check_journal_reader(
    *, reader_is_subject: bool, subject_age: int, view: JournalView = JournalView.PROVIDER, early_access: bool = False
) -> None:
    """Refuse, with the reason in Swedish, a reader the age rules do not let read this journal."""
    if reader_is_subject:
        if not reads_own_journal(subject_age, early_access=early_access):
            raise RecordError.JOURNAL_NOT_YET_OWN.error()
        return
    if not guardian_reads_journal(subject_age, view):
        raise RecordError.JOURNAL_NOT_FOR_GUARDIAN.error(age=GUARDIAN_READS_UNTIL[view])
