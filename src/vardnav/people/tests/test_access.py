"""Finding people: by blind index, and for an actor with the same 404 for missing and not-yours."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.personas import actor_for
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound
from vardnav.demo import identities as ids
from vardnav.people.access import access_person_by_id, children_of, get_person_by_personal_number, guardians_of
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.tests.helpers import demo_document

pytestmark = pytest.mark.django_db

BORN_2010_11_22 = "201011222385"  # a Skatteverket test number; turns 16 on 2026-11-22
STAFF = Actor(kind=ActorKind.STAFF, staff_id=7, unit_id=3, role="handler", provider_id=1)


@pytest.fixture
def family():
    anna = do_sync_person_from_register(ids.GUARDIAN)
    by_number = {p.personal_number: p for p in children_of(anna)}
    return anna, by_number[ids.CHILD_8], by_number[ids.CHILD_14], by_number[ids.CHILD_17]


@pytest.mark.parametrize("typed", [ids.RESIDENT_A, "19760101-2391", "760101-2391", " 7601012391 "])
def test_a_person_is_found_by_their_number_however_it_is_written(typed):
    karin = do_sync_person_from_register(ids.RESIDENT_A)
    assert get_person_by_personal_number(typed) == karin


def test_an_unknown_number_finds_nobody():
    do_sync_person_from_register(ids.RESIDENT_A)
    assert get_person_by_personal_number(ids.RESIDENT_B) is None


def test_a_malformed_number_is_an_error_not_nobody():
    with pytest.raises(DomainError):
        get_person_by_personal_number("197601012390")


def test_children_of_lists_every_child_oldest_first_and_guardians_of_both_parents(family):
    anna, elsa, oskar, maja = family
    assert children_of(anna) == [maja, oskar, elsa]
    do_sync_person_from_register(ids.CHILD_8)  # a child's other guardians come with the child's own sync
    assert {g.personal_number for g in guardians_of(elsa)} == {ids.GUARDIAN, ids.GUARDIAN_2}


def test_a_resident_reaches_themself(family):
    anna = family[0]
    assert access_person_by_id(actor_for(anna), anna.pk) == anna


@time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=clock.STOCKHOLM), tick=False)
@pytest.mark.rule("ID-3")
def test_a_guardian_reaches_children_under_sixteen_but_not_the_seventeen_year_old(family):
    anna, elsa, oskar, maja = family
    assert access_person_by_id(actor_for(anna), elsa.pk) == elsa
    assert access_person_by_id(actor_for(anna), oskar.pk) == oskar
    with pytest.raises(NotFound):
        access_person_by_id(actor_for(anna), maja.pk)


@pytest.mark.rule("ID-3")
def test_a_guardian_loses_access_on_the_childs_sixteenth_birthday(use_register):
    document = demo_document()
    document["persons"].append(
        {"personal_number": BORN_2010_11_22, "given_name": "Alva", "surname": "Lindqvist", "address": None}
    )
    document["guardianships"].append({"guardian": ids.GUARDIAN, "child": BORN_2010_11_22})
    use_register(document)
    anna = do_sync_person_from_register(ids.GUARDIAN)
    alva = get_person_by_personal_number(BORN_2010_11_22)
    with time_machine.travel(dt.datetime(2026, 11, 21, 23, 55, tzinfo=clock.STOCKHOLM), tick=False):
        assert access_person_by_id(actor_for(anna), alva.pk) == alva
    birthday = time_machine.travel(dt.datetime(2026, 11, 22, 0, 5, tzinfo=clock.STOCKHOLM), tick=False)
    with birthday, pytest.raises(NotFound):
        access_person_by_id(actor_for(anna), alva.pk)


def test_a_child_does_not_reach_their_guardian(family):
    anna, elsa = family[0], family[1]
    with pytest.raises(NotFound):
        access_person_by_id(actor_for(elsa), anna.pk)


def test_another_resident_gets_the_same_answer_as_for_a_missing_id(family):
    elsa = family[1]
    karin = do_sync_person_from_register(ids.RESIDENT_A)
    with pytest.raises(NotFound) as not_yours:
        access_person_by_id(actor_for(karin), elsa.pk)
    with pytest.raises(NotFound) as missing:
        access_person_by_id(actor_for(karin), 10**9)
    assert not_yours.value.as_problem() == missing.value.as_problem()


@pytest.mark.parametrize("actor", [Actor.anonymous(), Actor.system(), STAFF])
def test_without_a_stated_purpose_nobody_else_reaches_a_person(family, actor):
    with pytest.raises(NotFound):
        access_person_by_id(actor, family[1].pk)


def test_staff_reach_a_person_only_with_a_purpose_and_the_read_is_logged(family):
    elsa = family[1]
    with pytest.raises(NotFound):
        access_person_by_id(STAFF, elsa.pk, purpose="   ")
    assert access_person_by_id(STAFF, elsa.pk, purpose="Registrera ärende från telefonsamtal") == elsa
    entry = AuditEntry.objects.get(action=AuditEvent.READ, subject_person_id=elsa.pk)
    assert (entry.actor_staff_id, entry.unit_id, entry.purpose) == (7, 3, "Registrera ärende från telefonsamtal")
