"""How the fee shows on every case: billing's extension of the case engine (FEE-2).

Why a hook: the case engine knows nothing of fees (billing sits above cases).
Before sending, the resident sees the expected fee; at submission the fee is set
in the same transaction as the case; the resident's case page says what the case
costs and, when it moved to another profession, what changed and why; the staff
case page links to the case's fee.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from vardnav.billing import fees
from vardnav.billing.access import case_fee_history, case_invoice
from vardnav.billing.contraceptives import contraceptive_note
from vardnav.billing.models import CaseFee, Exemption, FeeReason, InvoiceStatus
from vardnav.billing.texts import kronor
from vardnav.cases.hooks import CaseLink, register_case_extension, register_profession_follower
from vardnav.cases.models import Case, CaseStatus
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
    if exemption == Exemption.FREE_RETURN:
        return _("avgiftsfri återkomst i samma ärende")
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


def return_line(provider_id: int, closed_on: dt.date) -> str:
    """VISIT-4: why a return in the same case costs nothing."""
    return _(
        "Att skriva igen i samma ärende inom %(days)s dagar efter att det avslutades är avgiftsfritt: du betalar inte en gång till."
    ) % {"days": fees.return_window_days(provider_id, closed_on)}


class BillingCaseExtension:
    """The fee on every case (a case extension) and the fee that follows the handling profession
    (a profession follower: the digital visit's triage, its internal referral, the return window)."""

    def submission_notes(self, actor: Actor, subject: Person, unit: Unit, service: Service) -> list[str]:
        return self.profession_notes(actor, subject, service, None)

    def profession_notes(self, actor: Actor, subject: Person, service: Service, profession: str | None) -> list[str]:
        """FEE-2 before sending: the expected fee for the profession that will handle the case."""
        payer = Person.objects.get(pk=actor.person_id) if actor.person_id else subject
        quote = fees.expected(subject, payer, service, clock.today(), profession=profession)
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

    def on_profession_changed(self, actor: Actor, case: Case, profession: str) -> None:
        """FEE-2, VISIT-6: an internal referral moves the fee to the new profession (with a notice when it changes)."""
        from vardnav.billing.actions import do_change_case_profession

        current = case_fee_history(case.pk)
        if not current or current[-1].profession == profession:
            return
        do_change_case_profession(actor, case, profession=profession, followed=True)

    def return_window_days(self, provider_id: int, day: dt.date) -> int | None:
        return fees.return_window_days(provider_id, day)

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
        charged = [row for row in history if row.reason != FeeReason.RETURNED]
        current = charged[-1]
        lines = [fee_line(current, case.provider_id)]
        if current.reason == FeeReason.PROFESSION_CHANGED and len(charged) > 1:
            lines.append(change_line(charged[-2], current))
        if history[-1].reason == FeeReason.RETURNED or (
            case.status != CaseStatus.CLOSED and fees.free_return(case.pk, case.provider_id, clock.today())
        ):
            # VISIT-4: the resident wrote again within the window; the return costs nothing.
            charge = next(row for row in reversed(history) if row.reason == FeeReason.CHARGED)
            lines.append(return_line(case.provider_id, charge.created_at.astimezone(clock.STOCKHOLM).date()))
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
    fees.register_charge_facts()
    extension = BillingCaseExtension()
    register_case_extension(extension)
    register_profession_follower(extension)
