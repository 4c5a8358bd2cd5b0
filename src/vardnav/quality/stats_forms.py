"""The statistics pages' period field (QA-3, QA-4): a month or a quarter, checked by statistics.check_period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.quality.statistics import Period, check_period, current_period


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=20,
        help_text=_("En månad som 2026-11 eller ett kvartal som 2026-K4."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": "10"}),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data if data and "period" in data else None)
        self.checked: Period = current_period()
        if self.is_bound:
            self.is_valid()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "period" in cleaned:
            try:
                self.checked = check_period(cleaned["period"])
            except DomainError as error:
                apply_domain_error(self, error)
        return cleaned
