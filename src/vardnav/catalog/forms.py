"""Admin forms of the catalogue: services, questionnaires (ORG-3) and unit offerings (ORG-2).

The questionnaire's items are edited as JSON shaped like FHIR
Questionnaire.item; the engine's own check (check_questionnaire_definition)
decides what is valid, so the admin, the API and the demo loader accept
exactly the same questionnaires, and its Swedish message lands on the field.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from vardnav.catalog.actions import check_handling_time
from vardnav.catalog.models import Questionnaire, Service, UnitService
from vardnav.catalog.questionnaires import check_questionnaire_definition
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.organizations.models import Role, ServiceOffering

ROUTED_ROLES = [(Role.RECEIVER.value, Role.RECEIVER.label), (Role.HANDLER.value, Role.HANDLER.label)]
ITEMS_MAX_CHARS = 200_000
ITEMS_HELP = (
    "Frågorna som JSON-lista i FHIR-form: linkId (små bokstäver, siffror, _), type (string, text, boolean, "
    "choice, date, integer, decimal, phone, display, attachment), text, required, och för val answerOption "
    '[{"code": "…", "display": "…"}] och repeats; maxLength, minValue/maxValue och enableWhen '
    '[{"question": "…", "operator": "=", "answer": "…"}] vid behov.'
)


class ServiceForm(forms.ModelForm):
    routed_role = forms.ChoiceField(label="Går till rollen", choices=ROUTED_ROLES, initial=Role.RECEIVER)

    class Meta:
        model = Service
        fields = [
            "provider",
            "kind",
            "name",
            "description",
            "handling_time_value",
            "handling_time_unit",
            "routed_role",
            "listing_bound",
            "attachments_allowed",
            "is_active",
        ]
        labels = {
            "provider": "Vårdgivare",
            "kind": "Typ av e-tjänst",
            "name": "Namn",
            "description": "Beskrivning",
            "handling_time_value": "Hanteringstid",
            "handling_time_unit": "Enhet för hanteringstid",
            "listing_bound": "Går till vårdcentralen där invånaren är listad",
            "attachments_allowed": "Invånaren får bifoga filer (vårdgivare med samma e-tjänster överallt)",
            "is_active": "Aktiv",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "name" in self.fields:
            # An empty name on creation takes the kind's Swedish label.
            self.fields["name"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm.clean returns self.cleaned_data
        data = self.cleaned_data
        if "handling_time_value" in data and "handling_time_unit" in data:
            try:
                check_handling_time(data["handling_time_value"], data["handling_time_unit"])
            except DomainError as error:
                apply_domain_error(self, error)
        return data


class QuestionnaireForm(forms.ModelForm):
    """Title and items; saving goes through do_save_questionnaire (a published version is never changed)."""

    items = forms.CharField(
        label="Frågor (JSON)",
        help_text=ITEMS_HELP,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false", "class": "vLargeTextField"}),
        max_length=ITEMS_MAX_CHARS,
    )

    class Meta:
        model = Questionnaire
        fields = ["service", "title", "items"]
        labels = {"service": "E-tjänst", "title": "Rubrik"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            items = self.instance.items if self.instance.pk else []
            self.initial["items"] = json.dumps(items, ensure_ascii=False, indent=2)

    def clean_items(self) -> list[dict[str, Any]]:
        text = self.cleaned_data.get("items", "")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Frågorna är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}). "
                "Kontrollera kommatecken, citattecken och hakparenteser.",
                code="invalid-json",
            ) from None
        try:
            return check_questionnaire_definition(raw)
        except DomainError as error:
            raise forms.ValidationError(error_lines(error), code=str(error.code)) from None

    def clean_title(self) -> str:
        title = " ".join(str(self.cleaned_data.get("title", "")).split())
        if not title:
            raise forms.ValidationError("Skriv en rubrik.", code="invalid-title")
        return title


class UnitServiceForm(forms.ModelForm):
    class Meta:
        model = UnitService
        fields = ["unit", "service", "attachments_allowed"]
        labels = {
            "unit": "Mottagning",
            "service": "E-tjänst",
            "attachments_allowed": "Invånaren får bifoga filer (ATT-4)",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm.clean returns self.cleaned_data
        data = self.cleaned_data
        unit, service = data.get("unit"), data.get("service")
        if unit is not None and unit.provider.service_offering != ServiceOffering.PER_UNIT:
            self.add_error(
                "unit",
                "Vårdgivaren erbjuder samma e-tjänster på alla mottagningar; det går inte att välja per mottagning.",
            )
        if unit is not None and service is not None and service.provider_id != unit.provider_id:
            self.add_error("service", "E-tjänsten hör till en annan vårdgivare än mottagningen.")
        return data
