"""Forms of the booking pages: whom a booking is for, a cancellation code, a new time, a series of times."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.bookings.models import VisitType
from vardnav.core import clock
from vardnav.organizations.models import Staff

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WEEKDAYS = [
    (0, _("måndag")),
    (1, _("tisdag")),
    (2, _("onsdag")),
    (3, _("torsdag")),
    (4, _("fredag")),
    (5, _("lördag")),
    (6, _("söndag")),
]


class _OneChoiceForm(forms.Form):
    """A form of one radio group (`choice_field`) whose choices the page gives; a single choice is preselected."""

    choice_field = ""
    preselect_single = True

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.choice_field]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices
        if self.preselect_single and len(choices) == 1:
            field.initial = choices[0][0]


def _radio_field(label: StrOrPromise, **error_messages: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, widget=forms.RadioSelect, error_messages=error_messages)


class BookForm(_OneChoiceForm):
    choice_field = "person"
    person = _radio_field(_("Vem gäller besöket?"), required=_("Välj vem besöket gäller."))


class ChooseBookingForm(_OneChoiceForm):
    """The "Boka om tid"/"Avboka tid" e-services: which of the resident's bookings at the unit."""

    choice_field = "booking"
    booking = _radio_field(
        _("Vilken tid gäller det?"),
        required=_("Välj den bokade tid det gäller."),
        invalid_choice=_("Välj en av dina bokade tider i listan."),
    )


class NewTimeForm(_OneChoiceForm):
    """The "Boka om tid" e-service: the new time, among the free times of the same visit type."""

    choice_field = "time"
    preselect_single = False
    time = _radio_field(
        _("Välj en ny tid"),
        required=_("Välj en ny tid."),
        invalid_choice=_("Tiden är tyvärr inte längre ledig. Välj en annan tid."),
    )


class CancelCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Avbokningskod"),
        max_length=40,
        help_text=_("Koden står i bekräftelsen du fick med e-post, till exempel K7QF-9XM2-P4TR."),
        error_messages={"required": _("Skriv avbokningskoden.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


def _staff_field() -> forms.ModelChoiceField[Staff]:
    return forms.ModelChoiceField(
        label=_("Medarbetare"), queryset=Staff.objects.none(), error_messages={"required": _("Välj en medarbetare.")}
    )


def _day_field(label: StrOrPromise, required: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": required, "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )


def _time_field(label: StrOrPromise, required: StrOrPromise) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": required, "invalid": _("Skriv tiden som TT:MM.")},
    )


def _offer_unit_staff(form: forms.Form, unit_id: int) -> None:
    """The staff choice of a unit's time forms: who holds a role at the unit, by name."""
    staff = form.fields["staff"]
    assert isinstance(staff, forms.ModelChoiceField)
    staff.queryset = (
        Staff.objects.filter(role_grants__unit_id=unit_id, is_active=True).distinct().order_by("surname", "given_name")
    )


class PublishForm(forms.Form):
    visit_type = forms.ModelChoiceField(
        label=_("Besökstyp"), queryset=VisitType.objects.none(), error_messages={"required": _("Välj en besökstyp.")}
    )
    staff = _staff_field()
    first_day = _day_field(_("Första dagen"), _("Välj första dagen."))
    last_day = _day_field(_("Sista dagen"), _("Välj sista dagen."))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
        error_messages={"required": _("Välj minst en veckodag.")},
    )
    start = _time_field(_("Från klockan"), _("Skriv starttiden."))
    end = _time_field(_("Till klockan"), _("Skriv sluttiden."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visit_type = self.fields["visit_type"]
        assert isinstance(visit_type, forms.ModelChoiceField)
        visit_type.queryset = VisitType.objects.filter(unit_id=unit_id, is_active=True).order_by("name")
        _offer_unit_staff(self, unit_id)
        today = clock.today()
        self.fields["first_day"].initial = today + dt.timedelta(days=1)
        self.fields["last_day"].initial = today + dt.timedelta(days=14)


class BlockForm(forms.Form):
    staff = _staff_field()
    day = _day_field(_("Dag"), _("Välj dag."))
    start = _time_field(_("Från klockan"), _("Skriv starttiden."))
    end = _time_field(_("Till klockan"), _("Skriv sluttiden."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_unit_staff(self, unit_id)
        self.fields["day"].initial = clock.today()


class ExtraTimeForm(forms.Form):
    visit_type = forms.ModelChoiceField(
        label=_("Besökstyp"), queryset=VisitType.objects.none(), error_messages={"required": _("Välj en besökstyp.")}
    )
    staff = _staff_field()
    day = _day_field(_("Dag"), _("Välj dag."))
    start = _time_field(_("Klockan"), _("Skriv starttiden."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visit_type = self.fields["visit_type"]
        assert isinstance(visit_type, forms.ModelChoiceField)
        visit_type.queryset = VisitType.objects.filter(unit_id=unit_id, is_active=True).order_by("name")
        _offer_unit_staff(self, unit_id)
        self.fields["day"].initial = clock.today() + dt.timedelta(days=1)


class SummonForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Invånarens personnummer"),
        max_length=20,
        help_text=_("12 siffror, till exempel 19121212-1212."),
        error_messages={"required": _("Skriv invånarens personnummer.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
