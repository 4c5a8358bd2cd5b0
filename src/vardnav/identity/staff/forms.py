"""The unit choice: a unit id and a role, both checked against the staff member's grants."""

from __future__ import annotations

from django import forms

from vardnav.organizations.models import Role


class ChooseUnitForm(forms.Form):
    unit = forms.IntegerField(min_value=1)
    role = forms.ChoiceField(choices=Role.choices)
