"""Invoices for the payment tests: a closed-case invoice made directly (the invoice run is tested
elsewhere), with the OCR number the invoice run gives it."""

from __future__ import annotations

import datetime as dt

from tests.personas import actor_for
from vardnav.billing import ocr
from vardnav.billing.models import DeliveryChannel, Invoice
from vardnav.cases.actions import do_submit_case
from vardnav.core import clock

ANSWERS = {"subject": "Intyg", "details": "Jag behöver ett intyg."}


def make_invoice(world, payer=None, *, amount_ore: int = 200_00, provider=None, unit=None) -> Invoice:
    payer = payer or world.resident_a
    case = do_submit_case(actor_for(payer), service=world.open_service, unit=unit or world.unit_x, answers=ANSWERS)
    return invoice_of(case, payer, amount_ore=amount_ore, provider_id=(provider or world.provider).pk)


def invoice_of(
    case, payer, *, amount_ore: int, provider_id: int | None = None, delivery: str = DeliveryChannel.APP
) -> Invoice:
    """The invoice of `case`, as the invoice run would number it, due in 30 days."""
    today = clock.today()
    return Invoice.objects.create(
        case=case,
        provider_id=provider_id or case.provider_id,
        payer=payer,
        patient=payer,
        number=f"F{case.pk:07d}",
        ocr=ocr.invoice_ocr(case.pk),
        amount_ore=amount_ore,
        delivery=delivery,
        issued_on=today,
        due_on=today + dt.timedelta(days=30),
        created_at=clock.now(),
    )


def our_bankgiro() -> str:
    """The payee bankgiro a BgMax file for Vårdnav carries (digits only, as in the file)."""
    from django.conf import settings

    return "".join(ch for ch in settings.VARDNAV_BANKGIRO if ch.isdigit())
