"""A certificate as a PDF the resident downloads and sends on themselves (CERT-3).

Made with reportlab and its bundled Vera fonts (as records.pdf), in memory for
the one response and never stored or sent anywhere.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from vardnav.certificates.models import Certificate, CertificateKind
from vardnav.core.clock import STOCKHOLM

_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "VardnavVera", "VardnavVera-Bold"


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def render_certificate(certificate: Certificate) -> bytes:
    _register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=22, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11, spaceBefore=4 * mm)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor="#444444")
    person = certificate.subject
    doctor = certificate.issued_by
    number_label, patient_label, provider_label = _("Intygsnummer"), _("Patient"), _("Vårdgivare")
    sought_label, period_label, reduction_label = _("Vård söktes"), _("Period"), _("Nedsatt arbetsförmåga")
    issued_label, by_label = _("Utfärdat"), _("av")
    rows = [
        Paragraph(_text(certificate.get_kind_display()), title),
        Paragraph(_text(f"{number_label}: {certificate.number}"), base),
        Paragraph(_text(f"{patient_label}: {person.given_name} {person.surname}, {person.personal_number}"), base),
        Paragraph(_text(f"{provider_label}: {certificate.provider.name}, {certificate.unit.name}"), base),
        Paragraph(_text(f"{sought_label}: {formats.date_format(certificate.care_sought_on, 'j F Y')}"), base),
    ]
    if certificate.kind == CertificateKind.SICK_NOTE:
        assert certificate.sick_from is not None and certificate.sick_to is not None
        period = f"{formats.date_format(certificate.sick_from, 'j F Y')} – {formats.date_format(certificate.sick_to, 'j F Y')}"
        rows += [
            Paragraph(_text(_("Sjukskrivning")), heading),
            Paragraph(_text(f"{period_label}: {period}"), base),
            Paragraph(_text(f"{reduction_label}: {certificate.get_reduction_display()}"), base),
            Paragraph(
                _text(
                    _(
                        "Läkaren intygar att ingen fysisk undersökning behövdes för att bedöma besvären och arbetsförmågan."
                    )
                ),
                base,
            ),
        ]
    rows += [
        Paragraph(_text(_("Läkarens bedömning")), heading),
        Paragraph(_text(certificate.statement), base),
        Spacer(1, 6 * mm),
        Paragraph(
            _text(
                f"{issued_label} {formats.date_format(certificate.issued_at.astimezone(STOCKHOLM), 'j F Y H:i')} "
                f"{by_label} {doctor.given_name} {doctor.surname}, {doctor.get_profession_display().lower()} "
                f"({doctor.hsa_id})"
            ),
            base,
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            _text(
                _(
                    "Intyget skickas inte automatiskt till Försäkringskassan, Transportstyrelsen eller 1177. "
                    "Skriv ut det eller spara det och skicka det själv till mottagaren."
                )
            ),
            small,
        ),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=str(certificate.get_kind_display()), leftMargin=20 * mm, rightMargin=20 * mm
    )
    document.build(rows)
    return buffer.getvalue()
