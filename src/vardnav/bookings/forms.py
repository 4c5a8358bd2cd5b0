"""Forms of the booking pages: whom a booking is for, a cancellation code, a new time, a series of times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.bookings.models import VisitType
from vardnav.core import clock
from vardnav.organizations.models import Staff

WEEKDAYS = [
    (0, _("måndag")),
    (1, _("tisdag")),
    (2, _("onsdag")),
    (3, _("torsdag")),
    (4, _("fredag")),
    (5, _("lördag")),
    (6, _("söndag")),
]


class BookForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Vem gäller besöket?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vem besöket gäller.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = choices
        if len(choices) == 1:
            person.initial = choices[0][0]


class CancelCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Avbokningskod"),
        max_length=40,
        help_text=_("Koden står i bekräftelsen du fick med e-post, till exempel K7QF-9XM2-P4TR."),
        error_messages={"required": _("Skriv avbokningskoden.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class PublishForm(forms.Form):
    visit_type = forms.ModelChoiceField(
        label=_("Besökstyp"), queryset=VisitType.objects.none(), error_messages={"required": _("Välj en besökstyp.")}
    )
    staff = forms.ModelChoiceField(
        label=_("Medarbetare"), queryset=Staff.objects.none(), error_messages={"required": _("Välj en medarbetare.")}
    )
    first_day = forms.DateField(
        label=_("Första dagen"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Välj första dagen."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    last_day = forms.DateField(
        label=_("Sista dagen"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Välj sista dagen."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
        error_messages={"required": _("Välj minst en veckodag.")},
    )
    start = forms.TimeField(
        label=_("Från klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Skriv starttiden."), "invalid": _("Skriv tiden som TT:MM.")},
    )
    end = forms.TimeField(
        label=_("Till klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Skriv sluttiden."), "invalid": _("Skriv tiden som TT:MM.")},
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visit_type = self.fields["visit_type"]
        staff = self.fields["staff"]
        assert isinstance(visit_type, forms.ModelChoiceField) and isinstance(staff, forms.ModelChoiceField)
        visit_type.queryset = VisitType.objects.filter(unit_id=unit_id, is_active=True).order_by("name")
        staff.queryset = (
            Staff.objects.filter(role_grants__unit_id=unit_id, is_active=True)
            .distinct()
            .order_by("surname", "given_name")
        )
        today = clock.today()
        self.fields["first_day"].initial = today + dt.timedelta(days=1)
        self.fields["last_day"].initial = today + dt.timedelta(days=14)


class BlockForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Medarbetare"), queryset=Staff.objects.none(), error_messages={"required": _("Välj en medarbetare.")}
    )
    day = forms.DateField(
        label=_("Dag"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Välj dag."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    start = forms.TimeField(
        label=_("Från klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Skriv starttiden."), "invalid": _("Skriv tiden som TT:MM.")},
    )
    end = forms.TimeField(
        label=_("Till klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"required": _("Skriv sluttiden."), "invalid": _("Skriv tiden som TT:MM.")},
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelChoiceField)
        staff.queryset = (
            Staff.objects.filter(role_grants__unit_id=unit_id, is_active=True)
            .distinct()
            .order_by("surname", "given_name")
        )
        self.fields["day"].initial = clock.today()
