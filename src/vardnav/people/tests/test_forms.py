"""PersonalNumberFormField: the page says what the API says."""

from __future__ import annotations

from django import forms

from vardnav.core.personal_number import INVALID_MESSAGE, PersonalNumber
from vardnav.demo import identities as ids
from vardnav.people.forms import PersonalNumberFormField


class ChildForm(forms.Form):
    personal_number = PersonalNumberFormField()


def test_a_valid_number_cleans_to_a_personal_number():
    form = ChildForm(data={"personal_number": "20180101-2392"})
    assert form.is_valid()
    assert form.cleaned_data["personal_number"] == PersonalNumber(ids.CHILD_8)


def test_an_invalid_number_gets_the_same_swedish_message_as_the_api():
    form = ChildForm(data={"personal_number": "20180101-2393"})
    assert not form.is_valid()
    assert form.errors["personal_number"] == [INVALID_MESSAGE]


def test_an_empty_required_field_is_refused():
    form = ChildForm(data={"personal_number": "  "})
    assert not form.is_valid()
    assert "personal_number" in form.errors


def test_an_optional_empty_field_cleans_to_none():
    field = PersonalNumberFormField(required=False)
    assert field.clean("") is None
