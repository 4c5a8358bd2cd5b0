"""The invoice as a PDF: the receipt (FEE-7), and the documents that follow it (reminder, credit note).

Made with reportlab and its bundled Vera fonts (as certificates.pdf), in memory for the one response
or letter and never stored. It shows paid or unpaid, the OCR number and the bankgiro, and carries no
health data: no service, unit, profession or condition; the personal number only when the resident
asks for it (FEE-7). A letter's PDF starts with the address block it is posted to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from vardnav.billing.access import InvoiceDocument
from vardnav.billing.models import CreditNote, Dunning, DunningKind, Invoice, InvoiceStatus, Letter
from vardnav.billing.texts import kronor
from vardnav.core.pdf import BOLD, REGULAR, address_block, build_pdf, letter_batch, register_fonts
from vardnav.core.pdf import pdf_text as _text
from vardnav.people.models import Person


def _day(value: dt.date) -> str:
    return formats.date_format(value, "j F Y")


def status_text(invoice: Invoice) -> str:
    if invoice.status == InvoiceStatus.PAID:
        return _("Betald")
    if invoice.status == InvoiceStatus.CREDITED:
        return _("Krediterad")
    return _("Obetald")


def render_invoice(invoice: Invoice, **kwargs: Any) -> bytes:
    flowables, heading_text = _invoice_flowables(invoice, **kwargs)
    return build_pdf(flowables, heading_text)


def _invoice_flowables(
    invoice: Invoice,
    *,
    provider_name: str,
    case_number: str,
    payer: Person,
    with_personal_number: bool = False,
    address_lines: list[str] | None = None,
    dunnings: list[Dunning] | None = None,
    credit_note: CreditNote | None = None,
    reminder_fee_ore: int = 0,
    refunded_ore: int = 0,
) -> tuple[list[Any], str]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=22, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11, spaceBefore=4 * mm)
    status_style = ParagraphStyle("status", parent=base, fontName=BOLD, fontSize=13, leading=18)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor="#444444")
    rows: list[object] = []
    if address_lines:
        rows += address_block(address_lines, base)
    reminder = next((d for d in dunnings or [] if d.kind == DunningKind.REMINDER), None)
    heading_text = _("Faktura och kvitto")
    if reminder is not None and invoice.status == InvoiceStatus.UNPAID:
        heading_text = _("Påminnelse: faktura och kvitto")
    rows.append(Paragraph(_text(heading_text), title))
    rows.append(Paragraph(_text(_("Status: %(status)s") % {"status": status_text(invoice)}), status_style))
    payer_line = payer.full_name
    if with_personal_number:
        payer_line = f"{payer_line}, {payer.number.formatted}"
    facts = [
        (_("Fakturanummer"), invoice.number),
        (_("Fakturadatum"), _day(invoice.issued_on)),
        (_("Förfallodag"), _day(reminder.due_on if reminder else invoice.due_on)),
        (_("Ärendenummer"), case_number),
        (_("Betalningsmottagare"), provider_name),
        (_("Betalare"), payer_line),
        (_("Bankgiro"), settings.VARDNAV_BANKGIRO),
        (_("OCR-nummer"), invoice.ocr),
    ]
    rows.append(
        Table([[Paragraph(_text(k), base), Paragraph(_text(v), base)] for k, v in facts], colWidths=[50 * mm, 110 * mm])
    )
    rows.append(Paragraph(_text(_("Belopp")), heading))
    lines = [(_("Patientavgift"), kronor(invoice.amount_ore))]
    for dunning in dunnings or []:
        if dunning.fee_ore:
            lines.append((_("Påminnelseavgift"), kronor(dunning.fee_ore)))
    if refunded_ore:
        # What came in, then what went back (the receipt shows the refund).
        lines.append((_("Betalt"), "−" + kronor(invoice.paid_ore + refunded_ore)))
        lines.append((_("Återbetalt"), kronor(refunded_ore)))
    elif invoice.paid_ore:
        lines.append((_("Betalt"), "−" + kronor(min(invoice.paid_ore, invoice.total_ore))))
    if credit_note is not None:
        lines.append(
            (
                _("Krediterat (kreditfaktura %(number)s)") % {"number": credit_note.number},
                "−" + kronor(credit_note.amount_ore),
            )
        )
    lines.append((_("Att betala"), kronor(invoice.due_ore)))
    rows.append(
        Table([[Paragraph(_text(k), base), Paragraph(_text(v), base)] for k, v in lines], colWidths=[110 * mm, 50 * mm])
    )
    if invoice.patient_id != invoice.payer_id:
        rows.append(Paragraph(_text(_("Avgiften gäller ett barn som du är vårdnadshavare för.")), base))
    rows.append(Spacer(1, 6 * mm))
    if invoice.status == InvoiceStatus.UNPAID:
        rows.append(
            Paragraph(
                _text(
                    _(
                        "Betala till bankgiro %(bankgiro)s och ange OCR-numret %(ocr)s. "
                        "Den här fakturan är ditt kvitto när den är betald."
                    )
                    % {"bankgiro": settings.VARDNAV_BANKGIRO, "ocr": invoice.ocr}
                ),
                base,
            )
        )
        if reminder_fee_ore:
            rows.append(
                Paragraph(
                    _text(
                        _("Betalar du efter förfallodagen tas en påminnelseavgift på %(fee)s ut (lag 1981:739).")
                        % {"fee": kronor(reminder_fee_ore)}
                    ),
                    base,
                )
            )
    rows += [
        Spacer(1, 6 * mm),
        Paragraph(_text(_("Fakturan säger inget om vården. Logga in i Vårdnav för att se ärendet.")), small),
    ]
    return rows, str(heading_text)


def render_invoice_document(document: InvoiceDocument, *, with_personal_number: bool) -> bytes:
    """The invoice (the receipt) as its payer gets it, with the reminder-fee term agreed on issue."""
    from vardnav.billing.invoicing import reminder_fee_maximum

    invoice = document.invoice
    maximum = reminder_fee_maximum(invoice.issued_on)
    return render_invoice(
        invoice,
        provider_name=document.provider_name,
        case_number=document.case_number,
        payer=document.payer,
        with_personal_number=with_personal_number,
        dunnings=document.dunnings,
        credit_note=document.credit_note,
        reminder_fee_ore=maximum.reminder_ore if maximum else 0,
        refunded_ore=document.refunded_ore,
    )


def _letter_kwargs(letter: Letter) -> dict[str, Any]:
    from vardnav.billing.access import invoice_document
    from vardnav.billing.invoicing import reminder_fee_maximum

    document = invoice_document(Invoice.objects.get(pk=letter.invoice_id))
    maximum = reminder_fee_maximum(document.invoice.issued_on)
    return {
        "provider_name": document.provider_name,
        "case_number": document.case_number,
        "payer": document.payer,
        "address_lines": letter.address.splitlines(),
        "dunnings": document.dunnings,
        "credit_note": document.credit_note,
        "reminder_fee_ore": maximum.reminder_ore if maximum else 0,
        "refunded_ore": document.refunded_ore,
        "invoice": document.invoice,
    }


def render_letter(letter: Letter) -> bytes:
    """A queued letter as it is printed: the address block it was queued with, then its document (the
    invoice, or the invoice as it stands after a reminder, collection or credit note)."""
    return render_letters([letter])


def render_letters(letters: list[Letter]) -> bytes:
    """A batch of queued letters as one PDF to print, each letter starting on a new page."""
    pages = [_invoice_flowables(**_letter_kwargs(letter)) for letter in letters]
    title = pages[0][1] if len(pages) == 1 else _("Brev att skicka")
    return letter_batch([rows for rows, _heading in pages], str(title))
