"""The note form. Every field is optional here: do_sign_note is the one validator, for the page and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.organizations.models import Unit
from vardnav.records.actions import NOTE_MAX_LENGTH
from vardnav.records.models import (
    ConsentBasis,
    ContactCategory,
    EarlyAccessStatus,
    Insurer,
    NoteKind,
    RestrictionScope,
    ReviewOutcome,
    SharingMode,
)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av anteckning"),
        choices=[(NoteKind.NOTE.value, _("Journalanteckning")), (NoteKind.SUMMARY.value, _("Sammanfattning"))],
        initial=NoteKind.NOTE.value,
        widget=forms.RadioSelect,
        required=False,
    )
    body = forms.CharField(
        label=_("Anteckning"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": NOTE_MAX_LENGTH}),
        required=False,
        strip=False,
    )
    diagnosis_codes = forms.CharField(
        label=_("Diagnoskoder enligt ICD-10-SE (frivilligt)"),
        help_text=_("Skriv en eller flera koder med kommatecken emellan, till exempel J06.9, R50.9."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    shared_with_resident = forms.BooleanField(
        label=_("Dela sammanfattningen med invånaren (visas i Min journal)"),
        required=False,
    )
    close_case = forms.BooleanField(
        label=_("Avsluta ärendet med sammanfattningen (utfall: besvarat)"),
        required=False,
    )
    amends = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContactCategoryForm(forms.Form):
    # A CharField with a select: do_classify_contact is the one validator, as for the note form.
    category = forms.CharField(
        label=_("Vilken sorts kontakt är ärendet?"),
        help_text=_(
            "Avgör vad som får delas i sammanhållen journalföring: vaccinationsrådgivning, ärenden via "
            "privat vårdförsäkring och företagshälsovård delas aldrig."
        ),
        widget=forms.Select(choices=ContactCategory.choices),
        required=False,
    )


class RestrictionForm(forms.Form):
    """A block (spärr) or a seal (försegling): the whole journal, one unit, or a period.

    Optional fields: records.checks.check_restriction is the one validator.
    """

    scope = forms.CharField(
        label=_("Vad gäller det?"),
        widget=forms.RadioSelect(choices=RestrictionScope.choices),
        required=False,
        initial=RestrictionScope.ALL.value,
    )
    unit = forms.CharField(label=_("Mottagning (om du valt en mottagning)"), required=False)
    starts_on = forms.CharField(
        label=_("Periodens första dag (om du valt en tidsperiod)"),
        help_text=_("ÅÅÅÅ-MM-DD"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.CharField(
        label=_("Periodens sista dag"),
        help_text=_("ÅÅÅÅ-MM-DD"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Välj mottagning"))] + [(str(u.pk), f"{u.name} ({u.provider.name})") for u in units or []]
        self.fields["unit"].widget = forms.Select(choices=choices)


class ConsentForm(forms.Form):
    basis = forms.CharField(
        label=_("Varför får du läsa?"),
        widget=forms.RadioSelect(choices=ConsentBasis.choices),
        required=False,
    )
    reason = forms.CharField(
        label=_("Kommentar (krävs vid nödsituation)"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        required=False,
    )


class ReviewDecisionForm(forms.Form):
    outcome = forms.CharField(
        label=_("Utfall"), widget=forms.RadioSelect(choices=ReviewOutcome.choices), required=False
    )
    comment = forms.CharField(
        label=_("Dokumentation (krävs om läsningen inte var befogad eller utreds vidare)"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        required=False,
    )


class EarlyAccessDecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Beslut"),
        widget=forms.RadioSelect(
            choices=[
                (EarlyAccessStatus.GRANTED.value, _("Bevilja: barnet får läsa sin journal")),
                (EarlyAccessStatus.REFUSED.value, _("Avslå")),
            ]
        ),
        required=False,
    )
    reason = forms.CharField(
        label=_("Skäl till beslutet"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        required=False,
    )


class InsurerRequestForm(forms.Form):
    insurer = forms.ChoiceField(label=_("Försäkringsbolag som begär uppgifterna"), required=False)

    def __init__(self, *args: Any, insurers: list[Insurer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["insurer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Välj försäkringsbolag"))] + [(str(insurer.pk), insurer.name) for insurer in insurers]


class EarlyAccessWithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till att åtkomsten återkallas"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        required=False,
    )


class InsurerForm(forms.Form):
    name = forms.CharField(label=_("Namn"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    active = forms.BooleanField(label=_("Visas för invånarna"), required=False)


class InsurerTokenForm(forms.Form):
    token = forms.ChoiceField(label=_("API-nyckel"), required=False)

    def __init__(self, *args: Any, tokens: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["token"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Välj en nyckel"))] + [(str(t.pk), t.name) for t in tokens]


# --- the provider administrator's records settings (issue 11, item 13) ----------------------------

_DATE = {"type": "date", "class": "input--short"}


class SharingPeriodForm(forms.Form):
    """A national-sharing period (REC-3); do_set_sharing_period checks order and overlaps."""

    starts_on = forms.CharField(label=_("Första dagen"), required=False, widget=forms.DateInput(attrs=_DATE))
    ends_on = forms.CharField(
        label=_("Sista dagen (frivilligt)"),
        help_text=_("Lämna tomt om perioden gäller tills vidare."),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
    )
    mode = forms.ChoiceField(
        label=_("Under perioden"), choices=SharingMode.choices, required=False, widget=forms.RadioSelect
    )
    principal_name = forms.CharField(
        label=_("Huvudmannens namn (frivilligt)"),
        help_text=_("När vårdgivaren var underleverantör och huvudmannen delade journalen."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "period-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EndSharingPeriodForm(forms.Form):
    ends_on = forms.CharField(label=_("Sista dagen"), required=False, widget=forms.DateInput(attrs=_DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "end-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StaffPersonalNumberForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer"),
        help_text=_("12 siffror, till exempel 19790101-2380."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "staffnumber-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
