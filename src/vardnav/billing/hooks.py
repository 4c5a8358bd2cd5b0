"""How the fee shows on every case: billing's extension of the case engine (FEE-2).

Why a hook: the case engine knows nothing of fees (billing sits above cases).
Before sending, the resident sees the expected fee; at submission the fee is set
in the same transaction as the case; the resident's case page says what the case
costs and, when it moved to another profession, what changed and why; the staff
case page links to the case's fee.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from vardnav.billing import fees
from vardnav.billing.access import case_fee_history, case_invoice
from vardnav.billing.contraceptives import contraceptive_note
from vardnav.billing.models import CaseFee, Exemption, FeeReason, InvoiceStatus
from vardnav.billing.texts import kronor
from vardnav.cases.hooks import CaseLink, register_case_extension
from vardnav.cases.models import Case
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.models import Profession, Unit
from vardnav.people.models import Person


def exemption_text(exemption: str, provider_id: int) -> str:
    if exemption == Exemption.AGED_85:
        return _("avgiftsfritt från 85 år")
    if exemption == Exemption.FREE_CARD:
        return _("frikort")
    if exemption == Exemption.CHILD:
        return _("avgiftsfritt för barn under %(age)s år") % {"age": fees.child_free_under_age(provider_id)}
    return ""


def _profession(code: str) -> str:
    return str(Profession(code).label).lower() if code in Profession.values else code


def fee_line(case_fee: CaseFee | fees.Quote, provider_id: int) -> str:
    """ "Avgift: 100 kr." or "Avgift: 0 kr (avgiftsfritt för barn under 18 år)." """
    if case_fee.exemption == Exemption.NO_FEE_FOR_PROFESSION:
        why = _("ingen avgift för kontakt med %(profession)s") % {"profession": _profession(case_fee.profession)}
    elif not case_fee.exemption and case_fee.amount_ore < case_fee.schedule_amount_ore:
        why = _("högkostnadsskyddet: avgiften är %(full)s, resten tas inte ut") % {
            "full": kronor(case_fee.schedule_amount_ore)
        }
    else:
        why = exemption_text(case_fee.exemption, provider_id)
    if why:
        return _("Avgift: %(amount)s (%(why)s).") % {"amount": kronor(case_fee.amount_ore), "why": why}
    return _("Avgift: %(amount)s.") % {"amount": kronor(case_fee.amount_ore)}


def change_line(before: CaseFee, after: CaseFee) -> str:
    """FEE-2: what changed and why, in the resident's words."""
    return _(
        "Avgiften ändrades från %(before)s till %(after)s eftersom ärendet flyttades från %(from)s till %(to)s."
    ) % {
        "before": kronor(before.amount_ore),
        "after": kronor(after.amount_ore),
        "from": _profession(before.profession),
        "to": _profession(after.profession),
    }


class BillingCaseExtension:
    def submission_notes(self, actor: Actor, subject: Person, unit: Unit, service: Service) -> list[str]:
        payer = Person.objects.get(pk=actor.person_id) if actor.person_id else subject
        quote = fees.expected(subject, payer, service, clock.today())
        # FEE-9: whether the method itself will be free, from the resident's age today.
        method = contraceptive_note(subject, service.kind, clock.today())
        extra = [method] if method else []
        if not quote.charged:
            return [_("Ärendet är avgiftsfritt."), *extra]
        return [
            fee_line(quote, service.provider_id)
            + " "
            + _(
                "Avgiften gäller om ärendet hanteras av %(profession)s; flyttas det till en annan yrkesgrupp kan avgiften ändras."
            )
            % {"profession": _profession(quote.profession)},
            *extra,
        ]

    def on_submitted(self, actor: Actor, case: Case) -> None:
        from vardnav.billing.actions import do_set_case_fee

        do_set_case_fee(actor, case)

    def on_closed(self, actor: Actor, case: Case) -> None:
        from vardnav.billing.actions import do_charge_case

        do_charge_case(actor, case)

    def resident_case_notes(self, case: Case) -> list[str]:
        history = case_fee_history(case.pk)
        if not history:
            return []
        current = history[-1]
        lines = [fee_line(current, case.provider_id)]
        if current.reason == FeeReason.PROFESSION_CHANGED and len(history) > 1:
            lines.append(change_line(history[-2], current))
        invoice = case_invoice(case.pk)
        if invoice is not None:
            # FEE-4: the invoice appears in the case; the payer opens it under Mina fakturor.
            lines.append(
                _(
                    "Faktura %(number)s, %(day)s: %(amount)s, %(status)s. Du hittar den under Mina avgifter, Mina fakturor."
                )
                % {
                    "number": invoice.number,
                    "day": invoice.issued_on.isoformat(),
                    "amount": kronor(invoice.total_ore),
                    "status": str(InvoiceStatus(invoice.status).label).lower(),
                }
            )
        return lines

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        links = [CaseLink(_("Avgift för ärendet"), reverse("billing:staff_case_fee", args=[case.pk]))]
        invoice = case_invoice(case.pk)
        if invoice is not None:
            links.append(
                CaseLink(
                    _("Faktura %(number)s (%(status)s)")
                    % {"number": invoice.number, "status": str(InvoiceStatus(invoice.status).label).lower()},
                    reverse("billing:staff_case_fee", args=[case.pk]) + "#faktura",
                )
            )
        return links


def register() -> None:
    register_case_extension(BillingCaseExtension())
