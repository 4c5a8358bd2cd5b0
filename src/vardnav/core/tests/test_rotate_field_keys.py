"""manage.py rotate_field_keys (REC-10): keys can be replaced without losing data or lookups."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from vardnav.core import crypto
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.actions import do_sync_person_from_register, do_update_contact
from vardnav.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.rule("REC-10")]

ENCRYPTED = ["personal_number", "given_name", "surname", "email", "phone"]


@pytest.fixture
def population() -> dict[str, dict[str, str]]:
    """Persons synced through the actions; returns each one's decrypted values by number."""
    do_sync_person_from_register(ids.GUARDIAN)  # and three children
    for number in [ids.RESIDENT_A, ids.RESIDENT_B, ids.PROTECTED, ids.COORDINATION]:
        do_sync_person_from_register(number)
    karin = get_person_by_personal_number(ids.RESIDENT_A)
    do_update_contact(
        Actor(kind=ActorKind.RESIDENT, person_id=karin.pk), karin, email="karin@example.se", phone="0701740605"
    )
    return snapshot()


def snapshot() -> dict[str, dict[str, str]]:
    return {p.personal_number: {f: getattr(p, f) for f in ENCRYPTED} for p in Person.objects.all()}


def raw_values() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(ENCRYPTED)} FROM people_person ORDER BY id")
        return [value for row in cursor.fetchall() for value in row if value]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_moves_every_value_to_the_new_key_so_the_old_key_can_be_removed(population, settings):
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, *old]

    output = rotate("--batch-size", "3")

    assert "people.Person: " in output
    values = raw_values()
    assert len(values) > 20
    for value in values:
        Fernet(new.encode()).decrypt(value.removeprefix(crypto.PREFIX).encode())
        with pytest.raises(InvalidToken):
            Fernet(old[0].encode()).decrypt(value.removeprefix(crypto.PREFIX).encode())
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert snapshot() == population
    assert get_person_by_personal_number(ids.COORDINATION).personal_number == ids.COORDINATION


def test_rotation_is_idempotent(population, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    rotate()
    after_first = raw_values()
    output = rotate()
    assert raw_values() == after_first
    assert "people.Person: 0 of" in output


def test_rotation_encrypts_plaintext_left_from_before_encryption(population):
    karin = get_person_by_personal_number(ids.RESIDENT_A)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET surname = %s WHERE id = %s", ["Berg", karin.pk])
    rotate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT surname FROM people_person WHERE id = %s", [karin.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith(crypto.PREFIX)
    assert crypto.decrypt(raw) == "Berg"


def test_the_output_names_no_person():
    do_sync_person_from_register(ids.RESIDENT_A)
    output = rotate("--reindex")
    assert ids.RESIDENT_A not in output
    assert "Karin" not in output


def test_a_new_index_key_keeps_lookups_working_before_and_after_reindexing(population, settings):
    old = list(settings.FIELD_INDEX_KEYS)
    settings.FIELD_INDEX_KEYS = ["a-new-blind-index-key-of-at-least-32-chars", *old]
    # Lookups try every index key, so nothing breaks before the reindex has run.
    assert get_person_by_personal_number(ids.CHILD_14).personal_number == ids.CHILD_14

    rotate("--reindex", "--batch-size", "2")

    settings.FIELD_INDEX_KEYS = settings.FIELD_INDEX_KEYS[:1]
    for number in population:
        assert get_person_by_personal_number(number).personal_number == number


def test_a_new_encryption_key_does_not_touch_the_blind_indexes(population, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT personal_number_index FROM people_person ORDER BY id")
        before = cursor.fetchall()
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    rotate()
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT personal_number_index FROM people_person ORDER BY id")
        assert cursor.fetchall() == before
    assert get_person_by_personal_number(ids.GUARDIAN).personal_number == ids.GUARDIAN


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError):
        rotate("--batch-size", "0")
