"""The card's forms. Fields are loose here: the actions are the one validator, for the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.vaccinations import checks, schedules
from vardnav.vaccinations.models import InjectionSite


def vaccine_choices() -> list[tuple[str, Any]]:
    return [("", _("Välj vaccin"))] + [
        (v.code, v.name) for v in sorted(schedules.vaccines().values(), key=lambda v: v.name)
    ]


def product_choices() -> list[tuple[str, Any]]:
    groups: list[tuple[str, Any]] = [("", _("Välj preparat"))]
    for vaccine in sorted(schedules.vaccines().values(), key=lambda v: v.name):
        groups.append((vaccine.name, [(product, product) for product in vaccine.products]))
    return groups


def destination_choices() -> list[tuple[str, Any]]:
    return [("", _("Välj land"))] + [(d.code, d.name) for d in schedules.destinations_sorted()]


class _DateInput(forms.DateInput):
    input_type = "date"


class SelfReportForm(forms.Form):
    vaccine = forms.ChoiceField(label=_("Vaccin"), choices=vaccine_choices, required=False)
    product = forms.ChoiceField(label=_("Preparat (om du vet)"), choices=product_choices, required=False)
    dose_number = forms.IntegerField(
        label=_("Dosnummer"), min_value=None, required=False, widget=forms.NumberInput(attrs={"min": 1, "max": 10})
    )
    given_on = forms.CharField(label=_("Datum då vaccinationen gavs"), required=False, widget=_DateInput)
    place = forms.CharField(
        label=_("Var vaccinationen gavs (frivilligt)"),
        help_text=_("Till exempel en annan region, en privat mottagning eller ett annat land."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": checks.PLACE_MAX_LENGTH}),
    )


class RegisterForm(forms.Form):
    vaccine = forms.ChoiceField(label=_("Vaccin"), choices=vaccine_choices, required=False)
    product = forms.ChoiceField(label=_("Preparat"), choices=product_choices, required=False)
    dose_number = forms.IntegerField(
        label=_("Dosnummer"), required=False, widget=forms.NumberInput(attrs={"min": 1, "max": 10})
    )
    batch = forms.CharField(
        label=_("Batchnummer"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": checks.BATCH_MAX_LENGTH, "autocomplete": "off"}),
    )
    site = forms.ChoiceField(
        label=_("Injektionsställe"), choices=[("", _("Välj"))] + list(InjectionSite.choices), required=False
    )
    given_on = forms.CharField(label=_("Datum"), required=False, widget=_DateInput)


class TravelForm(forms.Form):
    destination = forms.ChoiceField(label=_("Resmål"), choices=destination_choices, required=False)
    trip_days = forms.IntegerField(
        label=_("Resans längd i dagar"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": checks.MAX_TRIP_DAYS}),
    )


class TravelRecordForm(TravelForm):
    note = forms.CharField(
        label=_("Anteckning om rådet (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": checks.NOTE_MAX_LENGTH}),
    )


class FindPersonForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer"),
        required=False,
        help_text=_("12 siffror, till exempel 19121212-1212."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
