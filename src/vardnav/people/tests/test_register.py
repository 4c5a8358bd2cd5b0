"""The local population register: the demo file, its validation and the backend setting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from vardnav.demo import identities as ids
from vardnav.people.register import (
    LocalPopulationRegister,
    PopulationRegister,
    Protection,
    RegisterRecord,
    get_population_register,
)
from vardnav.people.tests.helpers import demo_document

ALL_DEMO_NUMBERS = [
    ids.GUARDIAN,
    ids.GUARDIAN_2,
    ids.CHILD_8,
    ids.CHILD_14,
    ids.CHILD_17,
    ids.PROTECTED,
    ids.AGED_85,
    ids.COORDINATION,
    ids.RESIDENT_A,
    ids.RESIDENT_B,
    *ids.RESIDENTS,
]


class EmptyRegister(PopulationRegister):
    """A register that knows nobody: shows the backend really comes from the setting."""

    def lookup(self, personal_number: str) -> RegisterRecord | None:
        return None

    def guardians_of(self, personal_number: str) -> list[str]:
        return []

    def children_of(self, personal_number: str) -> list[str]:
        return []


def test_the_demo_register_holds_every_demo_identity_with_a_name():
    register = LocalPopulationRegister()
    for number in ALL_DEMO_NUMBERS:
        record = register.lookup(number)
        assert record is not None, number
        assert record.given_name and record.surname


def test_the_demo_names_are_those_of_the_demo_identities():
    register = LocalPopulationRegister()
    assert (register.lookup(ids.GUARDIAN).given_name, register.lookup(ids.GUARDIAN).surname) == ("Anna", "Lindqvist")
    assert register.lookup(ids.CHILD_8).given_name == "Elsa"
    assert register.lookup(ids.COORDINATION).surname == "Moreno"


def test_both_lindqvist_parents_are_guardians_of_all_three_children():
    register = LocalPopulationRegister()
    for child in (ids.CHILD_8, ids.CHILD_14, ids.CHILD_17):
        assert register.guardians_of(child) == sorted([ids.GUARDIAN, ids.GUARDIAN_2])
    assert register.children_of(ids.GUARDIAN) == sorted([ids.CHILD_8, ids.CHILD_14, ids.CHILD_17])
    assert register.children_of(ids.RESIDENT_A) == []
    assert register.guardians_of(ids.GUARDIAN) == []


def test_the_protected_resident_has_only_a_forwarding_address():
    record = LocalPopulationRegister().lookup(ids.PROTECTED)
    assert record.protection == Protection.SKYDDAD_FOLKBOKFORING
    assert record.is_protected
    assert record.address is None
    assert record.mailing_address == record.forwarding_address
    assert record.forwarding_address.lines()[-1].endswith("Stockholm")


def test_an_ordinary_resident_gets_letters_at_home():
    record = LocalPopulationRegister().lookup(ids.RESIDENT_A)
    assert not record.is_protected
    assert record.mailing_address == record.address


def test_a_number_the_register_does_not_hold_gives_none():
    assert LocalPopulationRegister().lookup("189001019802") is None


def test_a_missing_register_file_stops_with_a_clear_configuration_error(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        LocalPopulationRegister(tmp_path / "nowhere.json").lookup(ids.GUARDIAN)


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ("{not json", "malformed"),
        ("[]", "list of persons"),
        ('{"persons": [{"personal_number": "197901012381"}]}', "not a valid personal number"),
        ('{"persons": [{"personal_number": "197901012380", "protection": "secret"}]}', "protection"),
        (
            '{"persons": [{"personal_number": "197901012380"}], "guardianships": '
            '[{"guardian": "197901012380", "child": "201801012392"}]}',
            "does not hold",
        ),
        (
            '{"persons": [{"personal_number": "198501012382", "protection": "skyddad_folkbokforing"}]}',
            "forwarding address",
        ),
    ],
)
def test_a_malformed_register_file_stops_with_a_clear_configuration_error(tmp_path, document, complaint):
    path = tmp_path / "register.json"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=complaint):
        LocalPopulationRegister(path).lookup(ids.GUARDIAN)


def test_the_file_is_read_once_per_process(use_register):
    path = use_register(demo_document())
    register = LocalPopulationRegister()
    assert register.lookup(ids.GUARDIAN) is not None
    path.write_text('{"persons": []}', encoding="utf-8")
    assert LocalPopulationRegister().lookup(ids.GUARDIAN) is not None


def test_the_backend_is_chosen_by_setting(settings):
    assert isinstance(get_population_register(), LocalPopulationRegister)
    settings.POPULATION_REGISTER_BACKEND = "vardnav.people.tests.test_register.EmptyRegister"
    register = get_population_register()
    assert isinstance(register, EmptyRegister)
    assert register.lookup(ids.GUARDIAN) is None


@pytest.mark.parametrize("dotted", ["vardnav.people.register.NoSuchRegister", "vardnav.people.register.Protection"])
def test_a_wrong_backend_setting_is_a_clear_configuration_error(settings, dotted):
    settings.POPULATION_REGISTER_BACKEND = dotted
    with pytest.raises(ImproperlyConfigured, match="POPULATION_REGISTER_BACKEND"):
        get_population_register()
