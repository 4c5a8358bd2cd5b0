"""Forms of the visits pages: the triage (built from the area's questions), duty and internal referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.cases.forms import YES_NO, QuestionnaireForm
from vardnav.organizations.models import Profession
from vardnav.visits.actions import PROFILE_FIELD_MAX, REFERRAL_PROFESSIONS, REFERRAL_REASON_MAX
from vardnav.visits.models import RevisitKind


class TriageForm(QuestionnaireForm):
    """The area's triage questions, then whether the resident is abroad (VISIT-9)."""

    def __init__(self, items: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(items, *args, **kwargs)
        self.fields["abroad"] = forms.ChoiceField(
            label=_("Befinner du dig utomlands just nu?"),
            help_text=_("Utomlands kan du få bedömning och råd, men inte recept eller remiss till provtagning."),
            choices=YES_NO,
            widget=forms.RadioSelect,
            required=False,
        )

    def abroad_answer(self) -> str:
        return str(self.data.get(self.add_prefix("abroad"), ""))


class DutyForm(forms.Form):
    on_duty = forms.ChoiceField(choices=[("1", _("I tjänst")), ("0", _("Inte i tjänst"))], required=False)


class ReferralForm(forms.Form):
    profession = forms.ChoiceField(
        label=_("Till yrkesgrupp"),
        choices=[("", _("Välj yrkesgrupp"))] + [(p.value, p.label) for p in Profession if p in REFERRAL_PROFESSIONS],
        required=False,
    )
    reason = forms.CharField(
        label=_("Varför remitterar du besöket?"),
        help_text=_("Syns bara för personalen."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REFERRAL_REASON_MAX}),
        required=False,
    )


class HealthProfileForm(forms.Form):
    allergies = forms.CharField(
        label=_("Allergier"),
        help_text=_("Till exempel mot läkemedel, födoämnen eller pollen. Lämna tomt om du inte har några."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PROFILE_FIELD_MAX}),
        required=False,
        strip=False,
    )
    medicines = forms.CharField(
        label=_("Läkemedel du använder"),
        help_text=_("Även receptfria läkemedel och naturläkemedel."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PROFILE_FIELD_MAX}),
        required=False,
        strip=False,
    )
    conditions = forms.CharField(
        label=_("Sjukdomar och tillstånd"),
        help_text=_("Långvariga sjukdomar, till exempel astma, diabetes eller högt blodtryck."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PROFILE_FIELD_MAX}),
        required=False,
        strip=False,
    )


class RevisitForm(TriageForm):
    """VISIT-5: the revisit's few questions, whether the resident is abroad, and the health profile confirmed."""

    def __init__(self, items: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(items, *args, **kwargs)
        self.fields["profile_confirmed"] = forms.BooleanField(label=_("Min hälsoprofil stämmer"), required=False)


class WriteAgainForm(forms.Form):
    body = forms.CharField(
        label=_("Ditt meddelande"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        required=False,
        strip=False,
    )


class RevisitOfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av återbesök"),
        choices=[("", _("Välj typ"))] + [(k.value, k.label) for k in RevisitKind],
        required=False,
    )
    days = forms.CharField(
        label=_("Gäller i antal dagar"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        required=False,
    )


class MeetingProposalForm(forms.Form):
    """VISIT-8: the practitioner proposes a date and time (Swedish time) for the video meeting."""

    day = forms.CharField(
        label=_("Dag"), widget=forms.DateInput(attrs={"type": "date"}), required=False, help_text=_("ÅÅÅÅ-MM-DD")
    )
    time = forms.CharField(
        label=_("Klockslag"), widget=forms.TimeInput(attrs={"type": "time"}), required=False, help_text=_("TT:MM")
    )


class MeetingAnswerForm(forms.Form):
    """VISIT-8: the resident accepts the proposed time or asks for another one (the note goes to the chat)."""

    note = forms.CharField(
        label=_("Vilka tider passar dig bättre? (frivilligt)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Skriv till exempel vilka dagar eller tider du kan. Det skickas som ett meddelande i chatten."),
    )
