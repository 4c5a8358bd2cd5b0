"""do_sync_person_from_register: people and guardianships come from folkbokföringen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection

from tests.personas import actor_for
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.demo import identities as ids
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.actions import do_sync_person_from_register, do_update_contact
from vardnav.people.models import GuardianRelation, Person
from vardnav.people.tests.helpers import demo_document, set_protection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen_today"),
]


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=clock.STOCKHOLM), tick=False):
        yield


def raw_columns(person: Person) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT personal_number, given_name, surname, email, phone FROM people_person WHERE id = %s", [person.pk]
        )
        row = cursor.fetchone()
    return dict(zip(["personal_number", "given_name", "surname", "email", "phone"], row, strict=True))


def test_it_creates_a_person_with_the_registers_name_and_birth_date():
    person = do_sync_person_from_register("760101-2391")
    person.refresh_from_db()
    assert person.personal_number == ids.RESIDENT_A
    assert (person.given_name, person.surname) == ("Karin", "Berg")
    assert person.birth_date == dt.date(1976, 1, 1)
    assert not person.is_coordination_number
    assert not person.protected_identity
    assert get_person_by_personal_number(ids.RESIDENT_A) == person


def test_a_samordningsnummer_gets_its_real_birth_date():
    person = do_sync_person_from_register(ids.COORDINATION)
    assert person.is_coordination_number
    assert person.birth_date == dt.date(1990, 5, 13)
    assert person.age_on(clock.today()) == 36


def test_syncing_again_creates_nothing_twice():
    first = do_sync_person_from_register(ids.GUARDIAN)
    entries = AuditEntry.objects.count()
    updated_at = Person.objects.get(pk=first.pk).updated_at
    second = do_sync_person_from_register(ids.GUARDIAN)
    assert second.pk == first.pk
    assert Person.objects.count() == 4  # Anna and her three children
    assert GuardianRelation.objects.count() == 3
    assert AuditEntry.objects.count() == entries
    assert Person.objects.get(pk=first.pk).updated_at == updated_at


def test_a_childs_sync_links_both_guardians():
    child = do_sync_person_from_register(ids.CHILD_8)
    guardians = {rel.guardian.personal_number for rel in GuardianRelation.objects.filter(child=child)}
    assert guardians == {ids.GUARDIAN, ids.GUARDIAN_2}


def test_a_guardians_sync_links_all_their_children():
    guardian = do_sync_person_from_register(ids.GUARDIAN)
    children = {rel.child.personal_number for rel in GuardianRelation.objects.filter(guardian=guardian)}
    assert children == {ids.CHILD_8, ids.CHILD_14, ids.CHILD_17}


def test_a_guardianship_the_register_no_longer_lists_is_removed(use_register):
    document = demo_document()
    use_register(document)
    guardian = do_sync_person_from_register(ids.GUARDIAN_2)
    assert GuardianRelation.objects.filter(guardian=guardian).count() == 3
    document["guardianships"] = [g for g in document["guardianships"] if g["guardian"] != ids.GUARDIAN_2]
    use_register(document)
    do_sync_person_from_register(ids.GUARDIAN_2)
    assert not GuardianRelation.objects.filter(guardian=guardian).exists()
    assert AuditEntry.objects.filter(action=AuditEvent.DELETE, object_type="people.guardianrelation").count() == 3


def test_a_name_change_in_the_register_reaches_the_person(use_register):
    document = demo_document()
    use_register(document)
    person = do_sync_person_from_register(ids.RESIDENT_B)
    next(p for p in document["persons"] if p["personal_number"] == ids.RESIDENT_B)["surname"] = "Hassan Berg"
    use_register(document)
    do_sync_person_from_register(ids.RESIDENT_B)
    person.refresh_from_db()
    assert person.surname == "Hassan Berg"
    assert AuditEntry.objects.filter(subject_person_id=person.pk, action=AuditEvent.UPDATE).exists()


def test_it_refuses_a_number_the_register_does_not_hold():
    with pytest.raises(DomainError) as refused:
        do_sync_person_from_register("189001019802")
    assert refused.value.code == "not-in-population-register"
    assert not Person.objects.exists()


def test_it_refuses_a_malformed_number_and_stores_nothing():
    with pytest.raises(DomainError) as refused:
        do_sync_person_from_register("197901012381")
    assert refused.value.code == "invalid-personal-number"
    assert not Person.objects.exists()


def test_creating_a_person_and_relations_is_audited_as_the_system():
    child = do_sync_person_from_register(ids.CHILD_14)
    created = AuditEntry.objects.filter(action=AuditEvent.CREATE, subject_person_id=child.pk)
    assert set(created.values_list("object_type", flat=True)) == {"people.person", "people.guardianrelation"}
    assert set(created.values_list("actor_kind", flat=True)) == {"system"}


@pytest.mark.rule("PRIV-1")
def test_a_protected_person_is_stored_with_only_the_personal_number():
    person = do_sync_person_from_register(ids.PROTECTED)
    person.refresh_from_db()
    assert person.protected_identity
    assert person.personal_number == ids.PROTECTED
    assert (person.given_name, person.surname, person.email, person.phone) == ("", "", "", "")
    raw = raw_columns(person)
    assert raw["personal_number"].startswith("fernet:")
    assert [raw["given_name"], raw["surname"], raw["email"], raw["phone"]] == ["", "", "", ""]


@pytest.mark.rule("PRIV-1")
@pytest.mark.parametrize("protection", ["skyddad_folkbokforing", "sekretessmarkering"])
def test_a_person_who_becomes_protected_has_their_stored_name_and_contact_wiped(use_register, protection):
    document = demo_document()
    use_register(document)
    person = do_sync_person_from_register(ids.RESIDENT_A)
    do_update_contact(actor_for(person), person, email="karin@example.se", phone="070-174 06 05")

    use_register(set_protection(document, ids.RESIDENT_A, protection))
    do_sync_person_from_register(ids.RESIDENT_A)

    person.refresh_from_db()
    assert person.protected_identity
    assert (person.given_name, person.surname, person.email, person.phone) == ("", "", "", "")
    assert person.email_confirmed_at is None
    assert list(raw_columns(person).values())[1:] == ["", "", "", ""]


@pytest.mark.rule("PRIV-1")
def test_a_protected_guardian_synced_through_their_child_is_stored_without_a_name(use_register):
    use_register(set_protection(demo_document(), ids.GUARDIAN_2, "skyddad_folkbokforing"))
    do_sync_person_from_register(ids.CHILD_8)
    guardian = get_person_by_personal_number(ids.GUARDIAN_2)
    assert guardian.protected_identity
    assert (guardian.given_name, guardian.surname) == ("", "")
