"""Encryption at rest (REC-10): what the database holds is ciphertext; lookups use a blind index."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from vardnav.core import crypto
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.actions import do_sync_person_from_register, do_update_contact
from vardnav.people.models import Person

pytestmark = pytest.mark.django_db


def raw_row(person_id: int) -> dict[str, str]:
    columns = ["personal_number", "personal_number_index", "given_name", "surname", "email", "phone"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM people_person WHERE id = %s", [person_id])
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.fixture
def karin() -> Person:
    person = do_sync_person_from_register(ids.RESIDENT_A)
    actor = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    return do_update_contact(actor, person, email="karin.berg@example.se", phone="070-174 06 05")


@pytest.mark.rule("REC-10")
def test_the_database_holds_ciphertext_not_the_name_number_or_contact_details(karin):
    raw = raw_row(karin.pk)
    for column, plaintext in [
        ("personal_number", ids.RESIDENT_A),
        ("given_name", "Karin"),
        ("surname", "Berg"),
        ("email", "karin.berg@example.se"),
        ("phone", "+46701740605"),
    ]:
        assert raw[column].startswith("fernet:"), column
        assert plaintext not in raw[column], column
        assert crypto.decrypt(raw[column]) == plaintext
    assert ids.RESIDENT_A not in raw["personal_number_index"]
    assert "760101" not in raw["personal_number_index"]


@pytest.mark.rule("REC-10")
def test_the_personal_number_is_found_through_its_blind_index(karin):
    raw = raw_row(karin.pk)
    assert raw["personal_number_index"] == crypto.blind_index(ids.RESIDENT_A)
    assert len(raw["personal_number_index"]) == 64
    assert get_person_by_personal_number(ids.RESIDENT_A) == karin


@pytest.mark.rule("REC-10")
def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("Karin") != crypto.encrypt("Karin")
    assert crypto.blind_index("Karin") == crypto.blind_index("Karin")


@pytest.mark.rule("REC-10")
def test_a_filter_on_an_encrypted_column_is_refused_rather_than_silently_empty(karin):
    with pytest.raises(FieldError, match="blind index"):
        list(Person.objects.filter(given_name="Karin"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(surname__icontains="Ber"))
    assert list(Person.objects.filter(given_name="")) == []
    assert list(Person.objects.exclude(email="")) == [karin]


@pytest.mark.rule("REC-10")
def test_without_the_key_the_data_cannot_be_read(karin, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        Person.objects.get(pk=karin.pk)


def test_a_malformed_or_missing_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="malformed"):
        crypto.encrypt("x")
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    settings.FIELD_INDEX_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        crypto.blind_index("x")


def test_empty_values_stay_empty_so_blank_means_blank():
    person = do_sync_person_from_register(ids.PROTECTED)
    raw = raw_row(person.pk)
    assert (raw["given_name"], raw["email"]) == ("", "")


def test_text_that_looks_like_ciphertext_is_stored_as_text(karin):
    Person.objects.filter(pk=karin.pk).update(surname="fernet:not-a-token")
    karin.refresh_from_db()
    assert karin.surname == "fernet:not-a-token"
    assert Person._meta.get_field("surname").to_python("fernet:x") == "fernet:x"
