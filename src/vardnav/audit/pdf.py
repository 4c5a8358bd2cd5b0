"""The log extract as a PDF (PDL 8 kap. 5 §): unit, staff member and time, for a chosen period.

Built with reportlab and its bundled Bitstream Vera fonts, like the journal
copy, from the same rows the page shows; made in memory for the one response.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from vardnav.audit.access import ExtractPeriod, WholeExtract
from vardnav.core.clock import STOCKHOLM

_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "VardnavVera", "VardnavVera-Bold"


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def _when(moment: dt.datetime) -> str:
    return formats.date_format(moment.astimezone(STOCKHOLM), "j F Y H:i")


def render_log_extract(extract: WholeExtract, period: ExtractPeriod, *, generated_at: dt.datetime) -> bytes:
    _register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=22, spaceAfter=3 * mm)
    head = ParagraphStyle("head", parent=base, fontName=BOLD)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Loggutdrag"),
    )
    first = formats.date_format(period.first_day, "j F Y") if period.first_day else _("början")
    last = formats.date_format(period.last_day, "j F Y") if period.last_day else _("i dag")
    story = [
        Paragraph(escape(_("Loggutdrag")), title),
        Paragraph(
            escape(
                _("Vilken mottagning och vem i personalen som har läst eller ändrat uppgifterna, och när.")
                + " "
                + _("Period: %(first)s – %(last)s. Utskrivet %(when)s.")
                % {"first": first, "last": last, "when": _when(generated_at)}
            ),
            base,
        ),
        Spacer(1, 4 * mm),
    ]
    if not extract.complete:
        story += [
            Paragraph(
                escape(_("Utdraget är långt: här visas de senaste raderna. Välj en kortare period för resten.")), base
            )
        ]
    rows = [[Paragraph(escape(text), head) for text in (_("När"), _("Mottagning"), _("Personal"), _("Vad"))]]
    for item in extract.items:
        unit = f"{item.unit_name}\nHSA-id {item.unit_hsa_id}" if item.unit_name else _("Okänd mottagning")
        staff = f"{item.staff_name}\nHSA-id {item.staff_hsa_id}" if item.staff_name else item.actor_label or _("Okänd")
        what = str(item.action_label) + (f": {item.object_label}" if item.object_label else "")
        rows.append(
            [
                Paragraph(escape(text).replace("\n", "<br/>"), base)
                for text in (_when(item.occurred_at), unit, staff, what)
            ]
        )
    if extract.items:
        table = LongTable(rows, colWidths=[32 * mm, 50 * mm, 45 * mm, 53 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(escape(_("Ingen personal har läst eller ändrat uppgifterna under perioden.")), base))
    document.build(story)
    return buffer.getvalue()
