"""The age rules of the journal (REC-7, REC-8) with the login rules (ID-2, ID-3), on the day before and on the birthday.

The demo children are born on 1 January: child_8 in 2018 (13 on 2031-01-01),
child_14 in 2012 (16 on 2028-01-01). Birthdays count in Swedish time.
"""

from __future__ import annotations

import pytest
import time_machine

from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.records import age_rules
from vardnav.records.access import journal
from vardnav.records.age_rules import JournalView
from vardnav.records.tests.builders import handled, submit, summary

pytestmark = pytest.mark.django_db

DAY_BEFORE_16 = "2027-12-31 12:00 +0100"
ON_16TH_BIRTHDAY = "2028-01-01 00:00:01 +0100"
DAY_BEFORE_13 = "2030-12-31 23:59:59 +0100"
ON_13TH_BIRTHDAY = "2031-01-01 00:00:01 +0100"


@pytest.mark.rule("REC-7")
@pytest.mark.parametrize(
    ("age", "provider", "national"),
    [(0, True, True), (12, True, True), (13, True, False), (15, True, False), (16, False, False), (40, False, False)],
)
def test_a_guardian_reads_until_16_at_the_provider_and_until_13_in_the_national_view(age, provider, national):
    assert age_rules.guardian_reads_journal(age, JournalView.PROVIDER) is provider
    assert age_rules.guardian_reads_journal(age, JournalView.NATIONAL) is national


@pytest.mark.rule("REC-8")
@pytest.mark.parametrize(
    ("age", "own", "with_early_access", "may_apply"),
    [(12, False, False, False), (13, False, True, True), (15, False, True, True), (16, True, True, False)],
)
def test_a_child_reads_their_own_journal_from_16_or_with_early_access_from_13(age, own, with_early_access, may_apply):
    assert age_rules.reads_own_journal(age) is own
    assert age_rules.reads_own_journal(age, early_access=True) is with_early_access
    assert age_rules.may_apply_for_early_access(age) is may_apply


@pytest.mark.rule("ID-2")
@pytest.mark.rule("ID-3")
def test_the_login_limits_meet_the_journal_limits_at_16():
    assert not age_rules.may_log_in_with_own_bankid(15) and age_rules.may_log_in_with_own_bankid(16)
    assert age_rules.guardian_may_act_for(15) and not age_rules.guardian_may_act_for(16)


@pytest.mark.rule("REC-7")
@pytest.mark.rule("ID-3")
def test_a_guardian_reads_a_childs_journal_until_the_day_before_the_16th_birthday(world):
    summary(world, handled(world, submit(world, world.guardian, acting_for=world.child_14)))
    guardian = world.resident(world.guardian, world.child_14)
    with time_machine.travel(DAY_BEFORE_16, tick=False):
        assert world.child_14.age_on(clock.today()) == 15
        assert any(item.kind == "summary" for item in journal(guardian).items)
    # ID-3: nobody acts for a 16-year-old
    with time_machine.travel(ON_16TH_BIRTHDAY, tick=False), pytest.raises(NotFound):
        journal(guardian)


@pytest.mark.rule("REC-8")
def test_the_child_reads_their_own_journal_from_the_16th_birthday(world):
    summary(world, handled(world, submit(world, world.guardian, acting_for=world.child_14)))
    own = world.resident(world.child_14)
    with time_machine.travel(DAY_BEFORE_16, tick=False):
        with pytest.raises(DomainError) as caught:
            journal(own)
        assert caught.value.code == "journal-not-yet-own" and caught.value.status == 403
        assert "ansöka" in caught.value.message
    with time_machine.travel(ON_16TH_BIRTHDAY, tick=False):
        assert any(item.kind == "summary" for item in journal(own).items)


@pytest.mark.rule("REC-7")
@pytest.mark.rule("REC-8")
def test_the_national_view_and_early_access_turn_on_the_13th_birthday(world):
    child = world.child_8
    with time_machine.travel(DAY_BEFORE_13, tick=False):
        age = child.age_on(clock.today())
        assert age == 12
        assert age_rules.guardian_reads_journal(age, JournalView.NATIONAL)
        assert not age_rules.may_apply_for_early_access(age)
        age_rules.check_journal_reader(reader_is_subject=False, subject_age=age, view=JournalView.NATIONAL)
    with time_machine.travel(ON_13TH_BIRTHDAY, tick=False):
        age = child.age_on(clock.today())
        assert age == 13
        assert not age_rules.guardian_reads_journal(age, JournalView.NATIONAL)
        assert age_rules.guardian_reads_journal(age, JournalView.PROVIDER)
        assert age_rules.may_apply_for_early_access(age)
        with pytest.raises(DomainError) as caught:
            age_rules.check_journal_reader(reader_is_subject=False, subject_age=age, view=JournalView.NATIONAL)
        assert "tills barnet fyller 13 år" in caught.value.message


@pytest.mark.rule("REC-7")
def test_a_guardian_reads_a_14_year_olds_journal_in_the_providers_own_system(world, client):
    from tests.sessions import log_in_client, resident_identity

    summary(world, handled(world, submit(world, world.guardian, acting_for=world.child_14)), body="Halsfluss")
    log_in_client(client, resident_identity(world.guardian, acting_for=world.child_14))
    response = client.get("/mina-sidor/journal/")
    assert response.status_code == 200
    assert "Barnets journal" in response.content.decode() and "Halsfluss" in response.content.decode()


@pytest.mark.rule("REC-8")
def test_at_16_the_child_sees_the_guardians_messages_as_the_guardians(world):
    from vardnav.cases.actions import do_send_resident_message
    from vardnav.records.access import message_author

    case = handled(world, submit(world, world.guardian, acting_for=world.child_14))
    guardian = world.resident(world.guardian, world.child_14)
    do_send_resident_message(guardian, case, body="Tack, det blev bättre.")
    with time_machine.travel(DAY_BEFORE_16, tick=False):
        mine = [i for i in journal(guardian).items if i.message and i.message.body == "Tack, det blev bättre."]
        assert message_author(mine[0].message, guardian) == "Du"
    own = world.resident(world.child_14)
    with time_machine.travel(ON_16TH_BIRTHDAY, tick=False):
        theirs = [i for i in journal(own).items if i.message and i.message.body == "Tack, det blev bättre."]
        assert message_author(theirs[0].message, own) == "Vårdnadshavare"
