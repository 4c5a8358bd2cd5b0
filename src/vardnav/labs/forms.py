"""Forms of the labs pages. Every field is optional here: the actions check the input and say what is wrong."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.labs.actions import QUESTION_MAX, REASON_MAX, RECIPIENT_MAX, REVIEW_MAX
from vardnav.labs.content import TESTS, WHERE_TO_TURN, place_name, test_name
from vardnav.labs.models import Lab


def _lab_choices(labs: list[Lab], empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(lab.pk), f"{lab.town}: {lab.name}, {lab.street_address}") for lab in labs]


class LabReferralForm(forms.Form):
    tests = forms.MultipleChoiceField(label=_("Prover"), widget=forms.CheckboxSelectMultiple, required=False)
    question = forms.CharField(
        label=_("Frågeställning till laboratoriet"),
        help_text=_("Står på remissen. Skriv bara det laboratoriet behöver."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": QUESTION_MAX}),
        required=False,
    )
    lab = forms.ChoiceField(
        label=_("Provtagningsställe"),
        help_text=_("Välj tillsammans med invånaren, eller låt invånaren välja själv under Mina sidor."),
        required=False,
    )

    def __init__(self, *args: Any, labs: list[Lab], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lab"]).choices = _lab_choices(labs, str(_("Invånaren väljer själv")))
        cast(forms.ChoiceField, self.fields["tests"]).choices = [
            (test["code"], f"{test_name(test['code'])} ({test['code']})") for test in TESTS
        ]


class ChooseLabForm(forms.Form):
    lab = forms.ChoiceField(label=_("Provtagningsställe"), required=False)

    def __init__(self, *args: Any, labs: list[Lab], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lab"]).choices = _lab_choices(labs, str(_("Välj provtagningsställe")))


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Vad provsvaret betyder, till invånaren"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REVIEW_MAX}),
        required=False,
    )
    offer_revisit = forms.BooleanField(
        label=_("Erbjud ett återbesök inom 14 dagar för att gå igenom svaret"), required=False
    )


class CareReferralForm(forms.Form):
    recipient = forms.CharField(
        label=_("Till vårdgivare eller mottagning"),
        widget=forms.TextInput(attrs={"maxlength": RECIPIENT_MAX}),
        required=False,
    )
    reason = forms.CharField(
        label=_("Frågeställning och bakgrund"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX}),
        required=False,
    )


class WhereToTurnForm(forms.Form):
    place = forms.ChoiceField(label=_("Vart ska invånaren vända sig?"), required=False)
    note = forms.CharField(
        label=_("Dina egna ord till invånaren (frivilligt)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["place"]).choices = [("", _("Välj"))] + [
            (place["code"], place_name(place)) for place in WHERE_TO_TURN
        ]


class MeasurementForm(forms.Form):
    systolic = forms.CharField(
        label=_("Övre trycket (systoliskt), mm Hg"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        required=False,
    )
    diastolic = forms.CharField(
        label=_("Undre trycket (diastoliskt), mm Hg"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        required=False,
    )
    pulse = forms.CharField(
        label=_("Puls, slag per minut"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        required=False,
    )
    measured_on = forms.CharField(
        label=_("Dag du mätte"),
        help_text=_("ÅÅÅÅ-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
