"""Forms of the certificate pages: a sick note and a certificate that care was sought."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.certificates.actions import STATEMENT_MAX
from vardnav.certificates.models import WorkReduction


class SickNoteForm(forms.Form):
    no_physical_examination_needed = forms.BooleanField(
        label=_("Jag intygar att ingen fysisk undersökning behövs för att bedöma besvären och arbetsförmågan"),
        required=False,
    )
    ongoing_sick_leave = forms.BooleanField(
        label=_("Invånaren är redan sjukskriven för samma besvär (förlängning)"), required=False
    )
    sick_from = forms.CharField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    sick_to = forms.CharField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}), required=False)
    reduction = forms.ChoiceField(
        label=_("Arbetsförmågan är nedsatt med"),
        choices=[("", _("Välj"))] + list(WorkReduction.choices),
        required=False,
    )
    statement = forms.CharField(
        label=_("Bedömning"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": STATEMENT_MAX}),
        required=False,
        strip=False,
    )


class CareCertificateForm(forms.Form):
    statement = forms.CharField(
        label=_("Bedömning"),
        help_text=_("Till exempel vilka besvär invånaren sökte vård för."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        required=False,
        strip=False,
    )
