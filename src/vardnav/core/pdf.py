"""The generic part of Vårdnav's printed letters: reportlab with its bundled Vera fonts, an A4 page,
and a batch of letters as one PDF with each letter on its own page.

Billing's invoice letters and bookings' summons letters (PRIV-4) are built on it; what a letter says
stays in its app. Made in memory for the one response, never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "VardnavVera", "VardnavVera-Bold"


def register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def pdf_text(value: object) -> str:
    """Text for a Paragraph: escaped, line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def build_pdf(flowables: list[Any], title: str) -> bytes:
    """An A4 document with 20 mm margins."""
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Vårdnav",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    ).build(flowables)
    return buffer.getvalue()


def address_block(lines: Sequence[str], style: ParagraphStyle) -> list[Any]:
    """The address a letter is posted to, at the top of its first page."""
    return [Paragraph(pdf_text("\n".join(lines)), style), Spacer(1, 10 * mm)]


def letter_batch(letters: Sequence[list[Any]], title: str) -> bytes:
    """Letters (each a list of flowables) as one PDF to print, each starting on a new page."""
    flowables: list[Any] = []
    for index, letter in enumerate(letters):
        if index:
            flowables.append(PageBreak())
        flowables += letter
    return build_pdf(flowables, title)
