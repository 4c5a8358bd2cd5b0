"""Forms of the complaints pages; the actions are the validators."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UnitAssignmentForm(forms.Form):
    hsa_id = forms.CharField(
        label=_("Mottagningens HSA-id"),
        required=False,
        help_text=_("Till exempel SE2321000016-ABCD."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 31}),
    )


class PolicyForm(forms.Form):
    show_on_unit_pages = forms.BooleanField(
        label=_("Visa Lämna synpunkter och klagomål på varje ansluten mottagnings sida"), required=False
    )
