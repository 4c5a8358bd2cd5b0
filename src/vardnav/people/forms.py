"""Form fields for people, speaking the same Swedish as the API's errors."""

from __future__ import annotations

from typing import Any

from django import forms

from vardnav.core.errors import DomainError
from vardnav.core.personal_number import PersonalNumber, parse_personal_number


class PersonalNumberFormField(forms.CharField):
    """A personal or coordination number in any common format; cleans to a PersonalNumber.

    The error message is the one parse_personal_number gives, so the page and
    the API say the same thing about the same mistake.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Personnummer")
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("help_text", "Tolv siffror, till exempel 19790101-2380.")
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"})
        return attrs

    def clean(self, value: Any) -> PersonalNumber | None:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return parse_personal_number(text)
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None
