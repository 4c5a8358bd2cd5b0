"""Forms of the booking settings pages (issue 11, item 13): a visit type, a unit's booking settings, the
provider's cut-off rules (BOOK-1, BOOK-3).

The fields only carry what was typed; the bookings checks (through the `do_*` actions) decide what is
valid, so a page and the API refuse the same input with the same Swedish message at the same field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.bookings.access import PolicyRow
from vardnav.bookings.models import CutoffCounting, VisitKind
from vardnav.organizations.forms import OPENING_HOURS_ROWS, OpeningHoursForm, SettingsForm
from vardnav.organizations.models import Profession

NUMBER = {"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}
COUNTING_LABELS = [
    (CutoffCounting.HOURS.value, _("Timmar före besöket")),
    (CutoffCounting.WORKING_DAYS.value, _("Hela vardagar före besöket (24 timmar per vardag)")),
]


class VisitTypeForm(SettingsForm):
    id_prefix = "visit-type"
    name = forms.CharField(label=_("Namn på svenska"), required=False, help_text=_("Till exempel TBE-vaccination."))
    name_en = forms.CharField(
        label=_("Namn på engelska (frivilligt)"),
        required=False,
        help_text=_("Visas när invånaren valt engelska. Tomt: det svenska namnet visas."),
    )
    kind = forms.ChoiceField(
        label=_("Sorts besök"), choices=[("", _("Välj sorts besök")), *VisitKind.choices], required=False
    )
    duration_minutes = forms.CharField(
        label=_("Längd i minuter"), required=False, help_text=_("5–240 minuter."), widget=forms.TextInput(NUMBER)
    )
    profession = forms.ChoiceField(label=_("Yrkesgrupp"), required=False)
    minimum_age_months = forms.CharField(
        label=_("Lägsta ålder i månader"),
        required=False,
        help_text=_("0: ingen åldersgräns. Till exempel 9 för en vaccination från 9 månader."),
        widget=forms.TextInput(NUMBER),
    )
    online_bookable = forms.BooleanField(label=_("Kan bokas på nätet"), required=False)
    is_active = forms.BooleanField(
        label=_("Aktiv"),
        required=False,
        help_text=_("En inaktiv besökstyp visas inte för invånare. Bokade besök ligger kvar."),
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        profession = self.fields["profession"]
        assert isinstance(profession, forms.ChoiceField)
        profession.choices = [("", _("Välj yrkesgrupp")), *[(p.value, p.label) for p in Profession]]
        if not creating:
            del self.fields["kind"]  # the kind decides the age rules (BOOK-4): a new visit type for another kind

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class UnitBookingSettingsForm(OpeningHoursForm):
    """BOOK-1: online booking, drop-in and its hours (rows as the unit's opening hours), reminders and how far
    ahead times are shown."""

    id_prefix = "settings"
    online_booking = forms.BooleanField(label=_("Invånare kan boka tid på nätet"), required=False)
    drop_in = forms.BooleanField(label=_("Mottagningen har drop-in"), required=False)
    reminder_hours = forms.CharField(
        label=_("Påminnelse, timmar före besöket"),
        required=False,
        help_text=_("0–72 timmar. 0: ingen påminnelse."),
        widget=forms.TextInput(NUMBER),
    )
    weeks_ahead = forms.CharField(
        label=_("Visa lediga tider så många veckor framåt"),
        required=False,
        help_text=_("1–26 veckor."),
        widget=forms.TextInput(NUMBER),
    )

    def __init__(self, *args: Any, rows: list[dict[str, str]], initial: dict[str, Any], **kwargs: Any) -> None:
        initial = dict(initial)
        for index, row in enumerate(rows[:OPENING_HOURS_ROWS]):
            initial[f"days_{index}"] = row.get("days", "")
            initial[f"hours_{index}"] = row.get("hours", "")
        super().__init__(*args, initial=initial, **kwargs)
        # Where a refusal about the drop-in hours as a whole is shown.
        self.fields["drop_in_hours"] = forms.CharField(required=False, widget=forms.HiddenInput)


class CancellationPoliciesForm(SettingsForm):
    """BOOK-3: per unit kind, how long before a visit digital cancellation and rebooking close."""

    id_prefix = "policy"

    def __init__(self, *args: Any, policies: list[PolicyRow], **kwargs: Any) -> None:
        initial = {}
        for row in policies:
            initial[f"hours_{row.unit_kind}"] = str(row.notice_hours)
            initial[f"counting_{row.unit_kind}"] = row.counting
        super().__init__(*args, initial=initial, **kwargs)
        self.policies = policies
        for row in policies:
            self.fields[f"hours_{row.unit_kind}"] = forms.CharField(
                label=_("Antal timmar"),
                required=False,
                help_text=_("1–336 timmar. 24 timmar är en vardag."),
                widget=forms.TextInput(NUMBER),
            )
            self.fields[f"counting_{row.unit_kind}"] = forms.ChoiceField(
                label=_("Räknas som"), choices=COUNTING_LABELS, required=False, widget=forms.RadioSelect
            )

    def kinds(self) -> list[tuple[PolicyRow, Any, Any]]:
        return [(row, self[f"hours_{row.unit_kind}"], self[f"counting_{row.unit_kind}"]) for row in self.policies]
