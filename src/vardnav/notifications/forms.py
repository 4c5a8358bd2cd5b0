"""The support form (ORG-6); validation itself lives in actions.check_support_request."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vardnav.notifications.actions import SUPPORT_TEXT_MAX_LENGTH
from vardnav.notifications.models import SupportCategory


class SupportForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Vårdgivare"), coerce=int, choices=())
    category = forms.ChoiceField(label=_("Vad gäller det?"), choices=SupportCategory.choices)
    text = forms.CharField(
        label=_("Din fråga eller synpunkt"),
        help_text=format_lazy(
            _(
                "Högst {max} tecken. Skriv inte personnummer eller uppgifter om din hälsa här – "
                "gäller det din vård, skicka ett ärende till din mottagning i stället."
            ),
            max=SUPPORT_TEXT_MAX_LENGTH,
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": SUPPORT_TEXT_MAX_LENGTH}),
        max_length=SUPPORT_TEXT_MAX_LENGTH,
        error_messages={
            "required": _("Skriv din fråga eller synpunkt."),
            "max_length": format_lazy(_("Texten får vara högst {max} tecken."), max=SUPPORT_TEXT_MAX_LENGTH),
        },
    )
    reply_to = forms.CharField(
        label=_("E-postadress för svar (frivilligt)"),
        help_text=_("Fyll i om du vill ha svar och inte är inloggad."),
        required=False,
        max_length=254,
    )

    def __init__(self, *args, providers=(), anonymous: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provider"]).choices = [
            ("", _("Välj vårdgivare")),
            *[(p.pk, p.name) for p in providers],
        ]
        self.fields["provider"].error_messages.update(
            required=_("Välj en vårdgivare."), invalid_choice=_("Välj en vårdgivare i listan.")
        )
        self.fields["category"].error_messages.update(
            required=_("Välj vad det gäller."), invalid_choice=_("Välj vad det gäller.")
        )
        self.fields["reply_to"].widget.attrs.update(autocomplete="email", inputmode="email")
        if not anonymous:
            # A logged-in resident is answered in Vårdnav; no address is asked for.
            del self.fields["reply_to"]
