"""Forms of the resident identity pages; validation itself lives in checks and actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    email = forms.CharField(label=_("E-postadress"), required=False, max_length=254)
    phone = forms.CharField(label=_("Mobilnummer"), required=False, max_length=40)

    email.widget.attrs.update(autocomplete="email", inputmode="email")
    phone.widget.attrs.update(autocomplete="tel", inputmode="tel")


class MessageLanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Språk för e-post och sms"),
        choices=[("sv", "Svenska"), ("en", "English")],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj svenska eller engelska."),
            "invalid_choice": _("Välj svenska eller engelska."),
        },
    )


class ContactSharingForm(forms.Form):
    share_email = forms.BooleanField(label=_("Dela min e-postadress"), required=False)
    share_phone = forms.BooleanField(label=_("Dela mitt mobilnummer"), required=False)


class ChoosePersonForm(forms.Form):
    """'self' or a person id; whether the id is one of the guardian's children is access's business."""

    person = forms.CharField(max_length=20)
