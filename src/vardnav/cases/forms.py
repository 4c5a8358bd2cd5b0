"""Web forms built from a questionnaire's items.

Why every field is optional here: the questionnaire engine (catalog.questionnaires)
is the one validator for the web form and the API alike; these forms only render
the items accessibly and carry the raw values to it, then show its Swedish
messages next to the right field.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.http import QueryDict

from vardnav.cases.actions import MESSAGE_MAX_LENGTH

YES_NO = [("ja", "Ja"), ("nej", "Nej")]


def _field_for(item: dict[str, Any]) -> forms.Field:
    # A questionnaire author may have written "(frivilligt)" already: say it once.
    optional = not item.get("required") and "(frivilligt)" not in item["text"].lower()
    label = item["text"] + (" (frivilligt)" if optional else "")
    attrs: dict[str, Any] = {}
    if item.get("enableWhen"):
        attrs["data-enable-when"] = json.dumps(item["enableWhen"], ensure_ascii=False)
    kind = item["type"]
    common = {"label": label, "required": False, "help_text": item.get("help", "")}
    if kind == "string":
        return forms.CharField(widget=forms.TextInput(attrs={**attrs, "maxlength": item["maxLength"]}), **common)
    if kind == "text":
        return forms.CharField(
            widget=forms.Textarea(attrs={**attrs, "rows": 5, "maxlength": item["maxLength"]}),
            strip=False,
            **common,
        )
    if kind == "boolean":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect(attrs=attrs), **common)
    if kind == "choice":
        choices = [(option["code"], option["display"]) for option in item["answerOption"]]
        if item.get("repeats"):
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple(attrs=attrs), **common
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={**attrs, "type": "date"}), **common)
    if kind in ("integer", "decimal"):
        mode = "numeric" if kind == "integer" else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs={**attrs, "inputmode": mode}), **common)
    if kind == "phone":
        return forms.CharField(widget=forms.TextInput(attrs={**attrs, "type": "tel", "autocomplete": "tel"}), **common)
    raise ValueError(f"no form field for item type {kind}")


class QuestionnaireForm(forms.Form):
    """One field per answerable item, named by linkId; display items are rendered between them."""

    def __init__(self, items: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item["type"] not in ("display", "attachment"):
                self.fields[item["linkId"]] = _field_for(item)

    def entries(self) -> list[tuple[dict[str, Any], Any]]:
        """(item, bound field or None) in questionnaire order, for the template."""
        return [
            (item, self[item["linkId"]] if item["linkId"] in self.fields else None)
            for item in self.items
            if item["type"] != "attachment"
        ]

    def enhance(self, field_attrs: dict[str, dict[str, str]]) -> None:
        """Add a service's widget attributes (from its hooks) to the fields they name."""
        for link_id, attrs in field_attrs.items():
            if link_id in self.fields:
                self.fields[link_id].widget.attrs.update(attrs)

    def raw_answers(self) -> dict[str, Any]:
        """The typed answers, by linkId: only the questionnaire's own fields (files travel separately)."""
        answers: dict[str, Any] = {}
        answerable = {item["linkId"] for item in self.items}
        for name, field in self.fields.items():
            if name not in answerable:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                answers[name] = cast(QueryDict, self.data).getlist(self.add_prefix(name))
            else:
                answers[name] = self.data.get(self.add_prefix(name), "")
        return answers


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Ditt meddelande",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX_LENGTH}),
    )
