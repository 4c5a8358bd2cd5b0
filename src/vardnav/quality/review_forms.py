"""Forms of the peer-review pages (QA-1); the action is the validator (check_assessment)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.quality.actions import LEARNING_POINT_MAX_LENGTH
from vardnav.quality.models import Assessment, ReviewOutcome


def _question(label: Any) -> forms.ChoiceField:
    # Not required here: check_assessment refuses a missing answer with the one message the API also gives.
    return forms.ChoiceField(label=label, choices=Assessment.choices, widget=forms.RadioSelect, required=False)


class AssessmentForm(forms.Form):
    medically_reasonable = _question(_("Var den medicinska bedömningen rimlig?"))
    documentation_sufficient = _question(_("Var dokumentationen tillräcklig?"))
    answered_in_time = _question(_("Fick invånaren svar i tid?"))
    prescribing_per_guidelines = _question(_("Skedde förskrivningen enligt riktlinjerna?"))
    learning_point = forms.CharField(
        label=_("Lärdom"),
        help_text=_(
            "Vad kan kollegerna lära av ärendet? Skriv inte invånarens namn. Krävs vid anmärkning och avvikelse."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": LEARNING_POINT_MAX_LENGTH}),
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        help_text=_("En avvikelse att rapportera visas för verksamhetschefen och vårdgivarens administratörer."),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AppointForm(forms.Form):
    staff = forms.TypedChoiceField(label=_("Medarbetare"), coerce=int, required=False, empty_value=None)

    def __init__(self, data: Any = None, *, staff_choices: list[tuple[int, str]]) -> None:
        super().__init__(data)
        field = cast(forms.TypedChoiceField, self.fields["staff"])
        field.choices = [("", _("Välj medarbetare")), *staff_choices]
