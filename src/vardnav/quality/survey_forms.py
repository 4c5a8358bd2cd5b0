"""The survey's form (QA-2). Fields are loose here: quality.surveys.check_survey_answer is the one validator,
for the page and the API, so its Swedish messages stand next to their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vardnav.quality.models import SurveyAnswer, SurveyRecommendation
from vardnav.quality.surveys import COMMENT_MAX_LENGTH, RATINGS


class SurveyForm(forms.Form):
    overall = forms.ChoiceField(
        label=_("Hur upplevde du besöket som helhet?"),
        help_text=_("Obligatorisk. 1 är mycket dåligt och 5 är mycket bra."),
        choices=[(str(value), label) for value, label in RATINGS.items()],
        widget=forms.RadioSelect,
        required=False,
    )
    problem_solved = forms.ChoiceField(
        label=_("Fick du hjälp med det du sökte för?"),
        choices=SurveyAnswer.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    listened_to = forms.ChoiceField(
        label=_("Kände du dig lyssnad på?"),
        choices=SurveyAnswer.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    would_recommend = forms.ChoiceField(
        label=_("Skulle du rekommendera mottagningen till andra?"),
        choices=SurveyRecommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Vill du berätta något mer? (frivilligt)"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        required=False,
        strip=False,
    )
    wants_follow_up = forms.BooleanField(
        label=_("Jag vill komma tillbaka till samma behandlare för uppföljning"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = gettext(
            "Högst %(limit)s tecken. Skriv inte ditt namn eller personnummer: mottagningen läser kommentarerna "
            "utan att veta vem som har skrivit dem."
        ) % {"limit": COMMENT_MAX_LENGTH}
