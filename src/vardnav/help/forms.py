from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.help.checks import BODY_MAX_LENGTH
from vardnav.help.models import Audience, HelpCategory
from vardnav.organizations.forms import SettingsForm


class HelpSearchForm(forms.Form):
    """The search box; the query is checked by access.clean_query so the UI and any caller say the same."""

    q = forms.CharField(label=_("Sök i hjälpen"), required=False, max_length=1000)


AUDIENCE_LABELS = [
    (Audience.RESIDENT.value, _("Invånare")),
    (Audience.STAFF.value, _("Personal (visas bara för vårdgivarens personal)")),
]


class HelpEntryForm(SettingsForm):
    """HELP-1: a provider's question and answer in Swedish. help.actions checks it; this form renders it."""

    id_prefix = "entry"
    title = forms.CharField(label=_("Fråga"), required=False, max_length=1000)
    body_html = forms.CharField(
        label=_("Svar"),
        required=False,
        strip=False,
        max_length=BODY_MAX_LENGTH,
        help_text=_(
            "Rubriker, fetstil, kursiv, listor och länkar behålls; allt annat tas bort när texten sparas. "
            "Varje sparning blir en ny version, och de tidigare finns kvar."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": ""}),
    )
    # Plain fields with choice widgets: help.checks refuses an unknown value with the product's own message.
    category = forms.CharField(
        label=_("Ämne"), required=False, widget=forms.Select(choices=[("", _("Välj ämne")), *HelpCategory.choices])
    )
    audience = forms.CharField(
        label=_("Till vem"), required=False, widget=forms.RadioSelect(choices=AUDIENCE_LABELS), initial="resident"
    )
    published = forms.BooleanField(label=_("Publicerad (visas i hjälpen)"), required=False, initial=True)


class HelpEntryEnglishForm(SettingsForm):
    """The English text of an entry: both or neither (empty shows the Swedish text in English)."""

    id_prefix = "entry-en"
    title = forms.CharField(label=_("Fråga på engelska"), required=False, max_length=1000)
    body_html = forms.CharField(
        label=_("Svar på engelska"),
        required=False,
        strip=False,
        max_length=BODY_MAX_LENGTH,
        help_text=_("Lämna båda tomma för att visa den svenska texten för den som valt engelska."),
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-text": ""}),
    )
