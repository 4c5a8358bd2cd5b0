"""Forms of the fee pages: a new fee, how an e-service is charged, the provider's policy,
and moving a case to another profession."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vardnav.billing.models import ContactKind
from vardnav.core import clock
from vardnav.organizations.models import Profession

NOT_CHARGED = ""


class FeeForm(forms.Form):
    profession = forms.ChoiceField(
        label=_("Yrkesgrupp"), choices=Profession.choices, error_messages={"required": _("Välj en yrkesgrupp.")}
    )
    contact_kind = forms.ChoiceField(
        label=_("Kontaktform"), choices=ContactKind.choices, error_messages={"required": _("Välj en kontaktform.")}
    )
    amount = forms.CharField(
        label=_("Avgift i kronor"),
        max_length=12,
        help_text=_("Till exempel 100 eller 87,50. Samma avgift gäller för besök och återbesök."),
        error_messages={"required": _("Skriv avgiften i kronor.")},
    )
    inside_ceiling = forms.BooleanField(
        label=_("Räknas in i högkostnadsskyddet"),
        required=False,
        initial=True,
        help_text=_("Ta bort bocken för avgifter utanför högkostnadsskyddet, till exempel intyg och vaccinationer."),
    )
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Välj från vilken dag avgiften gäller."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
    )
    valid_until = forms.DateField(
        label=_("Gäller till och med (frivilligt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt om avgiften gäller tills vidare."),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = clock.today()


class ServiceChargeForm(forms.Form):
    profession = forms.ChoiceField(
        label=_("Avgift som för"),
        choices=[(NOT_CHARGED, _("Ingen avgift")), *Profession.choices],
        required=False,
    )
    contact_kind = forms.ChoiceField(label=_("Kontaktform"), choices=ContactKind.choices, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("profession") and not data.get("contact_kind"):
            self.add_error("contact_kind", _("Välj en kontaktform."))
        return data


def _one_message(message: Any) -> dict[str, Any]:
    """The same message for a number field left empty, not a number, or out of range."""
    return {key: message for key in ("required", "invalid", "min_value", "max_value")}


class PolicyForm(forms.Form):
    child_free_under_age = forms.IntegerField(
        label=_("Barn är avgiftsfria till"),
        min_value=0,
        max_value=25,
        help_text=_("Barn som är yngre än så här många år betalar ingen avgift (till exempel 18 eller 20)."),
        error_messages=_one_message(_("Skriv en ålder mellan 0 och 25 år.")),
    )
    return_window_days = forms.IntegerField(
        label=_("Avgiftsfri återkomst i samma ärende, dagar efter avslut"),
        min_value=0,
        max_value=30,
        help_text=_(
            "Inom så här många dagar efter att ärendet avslutades kan invånaren skriva igen i samma ärende utan ny avgift (oftast 4). En ändring gäller från i dag."
        ),
        error_messages=_one_message(_("Skriv ett antal dagar mellan 0 och 30.")),
    )
    uses_efrikort = forms.BooleanField(
        label=_("Regionen använder e-frikort"),
        required=False,
        help_text=_(
            "Frikort och betalda avgifter hämtas då från e-frikort, och invånare kan inte registrera frikort för hand. Annars registrerar invånaren kortet och ni kontrollerar det."
        ),
    )


class ProfessionForm(forms.Form):
    profession = forms.ChoiceField(
        label=_("Flytta ärendet till"),
        choices=Profession.choices,
        error_messages={"required": _("Välj en yrkesgrupp.")},
    )


class FreeCardForm(forms.Form):
    provider = forms.TypedChoiceField(
        label=_("Vårdgivare som ska kontrollera kortet"),
        coerce=int,
        error_messages={"required": _("Välj vårdgivare."), "invalid_choice": _("Välj vårdgivare.")},
    )
    card_number = forms.CharField(
        label=_("Frikortets nummer"), max_length=20, error_messages={"required": _("Skriv frikortets nummer.")}
    )
    issuer = forms.CharField(
        label=_("Utfärdat av (region)"), max_length=100, error_messages={"required": _("Skriv vilken region.")}
    )
    valid_from = forms.DateField(
        label=_("Giltigt från"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Skriv första giltighetsdag."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )
    valid_until = forms.DateField(
        label=_("Giltigt till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Skriv sista giltighetsdag."), "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.TypedChoiceField)
        provider.choices = [("", _("Välj vårdgivare")), *providers]


class CreditForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför krediteras fakturan?"),
        max_length=300,
        help_text=_("Till exempel: fel avgift, fel betalare. Skriv inget om vården: texten står på kreditfakturan."),
        error_messages={"required": _("Skriv varför fakturan krediteras.")},
    )


# --- payments and the finance views (FEE-6, BOOK-5) ------------------------------------------------


class BgMaxForm(forms.Form):
    file = forms.FileField(
        label=_("BgMax-fil från Bankgirot"),
        help_text=_("Filen med inbetalningar (Bankgiro Inbetalningar). En felaktig fil läses inte in alls."),
        error_messages={"required": _("Välj en BgMax-fil från Bankgirot (högst 10 MB).")},
    )


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("Vad gjordes?"),
        max_length=300,
        help_text=_("Till exempel: återbetald till betalaren, eller bokförd på faktura 1234."),
        error_messages={
            "required": _("Skriv vad som gjordes med inbetalningen."),
            "max_length": _("Skriv högst 300 tecken."),
        },
    )


class CeilingLookupForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer"),
        max_length=13,
        help_text=_("12 siffror, till exempel 19121212-1212. Läsningen loggas."),
        error_messages={"required": _("Skriv invånarens personnummer.")},
    )


class DeskSearchForm(forms.Form):
    """Finding an invoice by invoice or OCR number (the desk, and putting a payment on an invoice)."""

    query = forms.CharField(
        label=_("Fakturanummer eller OCR-nummer"),
        max_length=30,
        error_messages={"required": _("Skriv ett fakturanummer eller ett OCR-nummer.")},
    )


class DeskPaymentForm(forms.Form):
    # BOOK-5: card and Swish only; there is no cash choice.
    method = forms.ChoiceField(
        label=_("Betalsätt"),
        choices=[("desk_card", _("Kort")), ("desk_swish", _("Swish"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj hur betalningen gjordes: kort eller Swish."),
            "invalid_choice": _("Mottagningen tar emot kort och Swish, aldrig kontanter."),
        },
    )


class DeskSwishForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobilnummer kopplat till Swish"),
        max_length=30,
        help_text=_("Invånaren får betalningen i sin Swish-app och godkänner den där."),
        error_messages={"required": _("Skriv mobilnumret som är kopplat till Swish, till exempel 070-123 45 67.")},
    )
