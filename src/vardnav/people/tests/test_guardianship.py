"""check_guardianship (ID-4): the relation and the child's name must match folkbokföringen."""

from __future__ import annotations

import pytest

from vardnav.core.errors import DomainError
from vardnav.demo import identities as ids
from vardnav.people.checks import check_guardianship
from vardnav.people.errors import PeopleError
from vardnav.people.tests.helpers import demo_document

pytestmark = pytest.mark.rule("ID-4")


@pytest.mark.parametrize("guardian", [ids.GUARDIAN, ids.GUARDIAN_2])
@pytest.mark.parametrize("child", [ids.CHILD_8, ids.CHILD_14, ids.CHILD_17])
def test_a_guardian_the_register_lists_passes(guardian, child):
    assert check_guardianship(guardian, child) is None


@pytest.mark.parametrize("typed", ["Elsa Lindqvist", "  elsa   LINDQVIST ", "Elsa\u00a0Lindqvist"])
def test_the_childs_name_matches_whatever_the_case_and_spacing(typed):
    assert check_guardianship(ids.GUARDIAN, "180101-2392", child_name=typed) is None


def test_it_refuses_a_child_the_register_does_not_list_for_the_guardian():
    with pytest.raises(DomainError) as refused:
        check_guardianship(ids.RESIDENT_A, ids.CHILD_8)
    assert refused.value.code == "guardianship-mismatch"
    assert refused.value.code == PeopleError.GUARDIANSHIP_MISMATCH
    assert refused.value.field == "child_personal_number"


def test_it_refuses_when_the_relation_points_the_other_way():
    with pytest.raises(DomainError) as refused:
        check_guardianship(ids.CHILD_8, ids.GUARDIAN)
    assert refused.value.code == "guardianship-mismatch"


@pytest.mark.parametrize(
    "typed", ["Oskar Lindqvist", "Elsa Lindkvist", "Elsa", "Lindqvist", "Elsa Maria Lindqvist", ""]
)
def test_it_refuses_a_name_that_does_not_match_the_register(typed):
    with pytest.raises(DomainError) as refused:
        check_guardianship(ids.GUARDIAN, ids.CHILD_8, child_name=typed)
    assert refused.value.code == PeopleError.CHILD_NAME_MISMATCH
    assert refused.value.message.startswith("Namnet och personnumret stämmer inte med folkbokföringen")
    assert refused.value.field == "child_name"


def test_someone_who_is_not_the_guardian_learns_nothing_about_the_name():
    for typed in ("Elsa Lindqvist", "Fel Namn"):
        with pytest.raises(DomainError) as refused:
            check_guardianship(ids.RESIDENT_A, ids.CHILD_8, child_name=typed)
        assert refused.value.code == PeopleError.GUARDIANSHIP_MISMATCH


def test_a_child_number_the_register_does_not_hold_is_a_mismatch():
    with pytest.raises(DomainError) as refused:
        check_guardianship(ids.GUARDIAN, "189001019802", child_name="Elsa Lindqvist")
    assert refused.value.code == "guardianship-mismatch"


def test_a_malformed_child_number_is_reported_on_the_childs_field():
    with pytest.raises(DomainError) as refused:
        check_guardianship(ids.GUARDIAN, "201801012393")
    assert refused.value.code == "invalid-personal-number"
    assert refused.value.field == "child_personal_number"


def test_a_given_name_the_register_holds_among_several_is_enough(use_register):
    document = demo_document()
    next(p for p in document["persons"] if p["personal_number"] == ids.CHILD_14)["given_name"] = "Oskar Emil"
    use_register(document)
    assert check_guardianship(ids.GUARDIAN, ids.CHILD_14, child_name="Oskar Lindqvist") is None
    assert check_guardianship(ids.GUARDIAN, ids.CHILD_14, child_name="Oskar Emil Lindqvist") is None
    with pytest.raises(DomainError):
        check_guardianship(ids.GUARDIAN, ids.CHILD_14, child_name="Emil Oskar Lindqvist Berg")
