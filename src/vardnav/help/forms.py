from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HelpSearchForm(forms.Form):
    """The search box; the query is checked by access.clean_query so the UI and any caller say the same."""

    q = forms.CharField(label=_("Sök i hjälpen"), required=False, max_length=1000)
