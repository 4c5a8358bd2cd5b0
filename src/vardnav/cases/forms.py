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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
        label=_("Ditt meddelande"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX_LENGTH}),
    )


# --- the staff case page ------------------------------------------------------------------
#
# Why lenient fields (CharField with a select, nothing required): the actions are
# the one validator (do_distribute_case, do_ask_question, …); these forms render
# the controls with their labels and carry the action's DomainError to the field
# it names (core.forms.apply_domain_error), so the staff member sees the message
# next to the control, as a resident does. Each form has its own id prefix: the
# page holds several forms with a field called `body` or `outcome`.


def _message_area(label: Any, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": MESSAGE_MAX_LENGTH}),
    )


class _StaffForm(forms.Form):
    """A handling form of the case page: ids prefixed by `id_prefix`, labels as written."""

    id_prefix = ""

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)


class TakeForm(_StaffForm):
    """No fields: a refusal to take the case shows above the button."""

    id_prefix = "take"


# Why the selects start on an empty choice: a pre-selected handler or outcome is sent by a
# staff member who never looked at it; an empty one is refused at its field ("Välj …").
def _choose_first(prompt: Any, choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", prompt), *choices]


class DistributeForm(_StaffForm):
    id_prefix = "distribute"
    handler = forms.CharField(label=_("Ärendehanterare"), required=False, widget=forms.Select)
    partial_reply = _message_area(_("Delsvar till invånaren (frivilligt)"))

    def __init__(self, handlers: list[tuple[int, str]], data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.Select, self.fields["handler"].widget).choices = _choose_first(
            _("Välj ärendehanterare"), list(handlers)
        )


class QuestionForm(_StaffForm):
    id_prefix = "question"
    body = _message_area(_("Motfråga till invånaren"))


class NoteForm(_StaffForm):
    id_prefix = "note"
    body = _message_area(_("Anteckning (syns aldrig för invånaren)"))


class CloseForm(_StaffForm):
    id_prefix = "close"
    outcome = forms.CharField(label=_("Utfall"), required=False, widget=forms.Select)

    def __init__(self, outcomes: list[tuple[str, Any]], data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.Select, self.fields["outcome"].widget).choices = _choose_first(_("Välj utfall"), outcomes)


def _translated(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A reply form's texts in the chosen language.

    Why here and not for residents' questionnaires: reply forms are written in code (the services'
    hooks) and have catalogue entries; a provider's questionnaire is data and is shown as written.
    """
    return [
        {
            **item,
            **({"text": gettext(item["text"])} if isinstance(item.get("text"), str) else {}),
            **(
                {"answerOption": [{**option, "display": gettext(option["display"])} for option in item["answerOption"]]}
                if item.get("answerOption")
                else {}
            ),
        }
        for item in items
    ]


class ReplyForm(QuestionnaireForm):
    """The service's reply form (prefixed `reply-`) with whether to close the case and with which outcome."""

    UNPREFIXED = ("close", "outcome")

    def __init__(self, items: list[dict[str, Any]], outcomes: list[tuple[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(_translated(items), *args, prefix="reply", **kwargs)
        self.fields["close"] = forms.BooleanField(
            label=_("Avsluta ärendet med svaret"),
            required=False,
            widget=forms.CheckboxInput(attrs={"value": "1"}),  # the view and API callers post close=1
        )
        self.fields["outcome"] = forms.CharField(
            label=_("Utfall om ärendet avslutas"),
            required=False,
            widget=forms.Select(choices=_choose_first(_("Välj utfall"), outcomes)),
        )

    def add_prefix(self, field_name: str) -> str:
        # `close` and `outcome` keep the names the page and its callers have always posted.
        return field_name if field_name in self.UNPREFIXED else super().add_prefix(field_name)
