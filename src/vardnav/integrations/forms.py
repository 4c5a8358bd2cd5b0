"""The settings area's form for a new integration token (issue 11, item 13)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.integrations.models import IntegrationScope
from vardnav.organizations.forms import SettingsForm


class NewTokenForm(SettingsForm):
    """A name for the system and what it may do; the action checks both (CASE-7)."""

    id_prefix = "token"
    name = forms.CharField(
        label=_("Systemets namn"),
        help_text=_("Till exempel journalsystemet eller laboratoriet, så att ni ser vilken nyckel som är vilken."),
        required=False,
        max_length=100,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Behörigheter"),
        choices=IntegrationScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
