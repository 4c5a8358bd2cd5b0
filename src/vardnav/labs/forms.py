"""Forms of the labs pages. Every field is optional here: the actions check the input and say what is wrong."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.labs.actions import (
    DEFAULT_PERIOD_DAYS,
    ORDERABLE_KINDS,
    QUESTION_MAX,
    REASON_MAX,
    RECIPIENT_MAX,
    REVIEW_MAX,
)
from vardnav.labs.content import TESTS, WHERE_TO_TURN, place_name, test_name
from vardnav.labs.models import Lab, MeasurementFrequency, MeasurementKind, MeasurementSlot


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


# --- home measurement periods (QA-5) ---------------------------------------------------------------------

VARIABILITY_HELP = _(
    "PEF-variabilitet per dag = (dagens högsta − lägsta PEF) / medelvärdet av dem, i medeltal över perioden. "
    "Över 10 procent hos vuxna (13 procent hos barn 6–11 år) talar för astma (GINA 2024, Box 1-2; "
    "Läkemedelsverkets behandlingsrekommendation för astma 2023). Reversibilitet: FEV1 ökar minst 12 procent "
    "och minst 200 ml efter luftrörsvidgande (ERS/ATS 2005)."
)


class OrderPeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vad ska invånaren mäta?"), required=False)
    days = forms.CharField(
        label=_("Antal dagar"),
        initial=DEFAULT_PERIOD_DAYS,
        help_text=_("Två veckor räcker oftast som underlag för diagnos."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        required=False,
    )
    frequency = forms.ChoiceField(
        label=_("Hur ofta?"),
        choices=MeasurementFrequency.choices,
        initial=MeasurementFrequency.MORNING_AND_EVENING,
        widget=forms.RadioSelect,
        required=False,
    )
    after_bronchodilator = forms.BooleanField(
        label=_("Be också om en mätning efter luftrörsvidgande läkemedel (reversibilitet)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (kind.value, kind.label) for kind in MeasurementKind if kind in ORDERABLE_KINDS
        ]
        self.fields["kind"].initial = MeasurementKind.PEF


class ReadingForm(forms.Form):
    measured_on = forms.CharField(
        label=_("Dag du mätte"),
        help_text=_("ÅÅÅÅ-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    slot = forms.ChoiceField(label=_("När på dagen?"), widget=forms.RadioSelect, required=False)
    pef = forms.CharField(
        label=_("PEF, liter per minut"),
        help_text=_("Blås tre gånger och skriv in det högsta värdet."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        required=False,
    )
    fev1 = forms.CharField(
        label=_("FEV1, liter"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        required=False,
    )
    fvc = forms.CharField(
        label=_("FVC, liter"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        required=False,
    )
    after_bronchodilator = forms.BooleanField(
        label=_("Mätt efter att jag tagit luftrörsvidgande läkemedel"), required=False
    )
    correction = forms.BooleanField(
        label=_("Det här är en rättelse av en mätning jag redan skrivit in"),
        help_text=_("Den första mätningen finns kvar men visas som rättad."),
        required=False,
    )

    def __init__(self, *args: Any, kind: str, slots: list[str], after_bronchodilator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot"]).choices = [(slot, MeasurementSlot(slot).label) for slot in slots]
        if kind != MeasurementKind.SPIROMETRY:
            del self.fields["fvc"]
            self.fields["fev1"].label = _("FEV1, liter (om mätaren visar det)")
        if not after_bronchodilator:
            del self.fields["after_bronchodilator"]


class PeriodSummaryForm(forms.Form):
    body = forms.CharField(
        label=_("Sammanfattning och bedömning"),
        help_text=_("Underlaget (perioden, variabiliteten och reversibiliteten) läggs till i anteckningen."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    diagnosis_codes = forms.CharField(
        label=_("Diagnoskoder (ICD-10-SE)"),
        help_text=_("Till exempel J45.9. Skilj flera med komma."),
        required=False,
    )
    shared_with_resident = forms.BooleanField(
        label=_("Dela sammanfattningen med invånaren (Min journal)"), initial=True, required=False
    )
