"""The journal copy as a PDF (REC-2: a copy of the journal on request).

Why reportlab: a maintained library that lays out text over pages with real
fonts; the copy is built from the same items "Min journal" shows, in the same
order, so the two never disagree. The fonts are the Bitstream Vera files that
ship inside reportlab, so the PDF looks the same on every machine. The file is
made in memory for the one response and never stored.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from vardnav.core.clock import STOCKHOLM
from vardnav.records.access import JournalCopy, JournalItem
from vardnav.records.diagnoses import diagnosis_label

_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD = "VardnavVera", "VardnavVera-Bold"


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=18, leading=24, spaceAfter=4 * mm),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=12, textColor="#444444"),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11, spaceBefore=5 * mm),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor="#444444"),
    }


def _text(value: Any) -> str:
    """Paragraph markup of plain text: escaped, line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def _when(moment: dt.datetime) -> str:
    return formats.date_format(moment.astimezone(STOCKHOLM), "j F Y H:i")


def _item_flowables(item: JournalItem, styles: dict[str, ParagraphStyle]) -> list[Any]:
    where = (
        f"{item.unit.name} · {item.service_name + ', ' if item.service_name else ''}{_('ärende')} {item.case_number}"
    )
    if item.kind == "summary":
        title = _("Sammanfattning")
    elif item.kind == "answers":
        title = _("Dina svar på frågorna")
    else:
        assert item.message is not None
        title = item.message.get_kind_display()
    parts: list[Any] = [
        Paragraph(f"{_text(title)} – {_text(_when(item.at))}", styles["heading"]),
        Paragraph(_text(where), styles["meta"]),
    ]
    if item.note is not None:
        note = item.note
        parts.append(Paragraph(_text(note.body), styles["body"]))
        for label in (diagnosis_label(code) for code in note.diagnosis_codes or []):
            parts.append(Paragraph(f"{_text(_('Diagnos'))}: {_text(label)}", styles["body"]))
        author = f"{note.author.given_name} {note.author.surname}, {note.get_author_profession_display().lower()}"
        parts.append(Paragraph(f"{_text(_('Signerad av'))} {_text(author)}", styles["small"]))
    elif item.kind == "answers":
        for question, answer in getattr(item, "answers", []):
            parts.append(Paragraph(f"<b>{_text(question)}</b><br/>{_text(answer)}", styles["body"]))
    elif item.message is not None:
        parts.append(Paragraph(_text(getattr(item, "author", "")), styles["small"]))
        parts.append(Paragraph(_text(item.message.body), styles["body"]))
    return [KeepTogether(parts[:2]), *parts[2:]]


def render_journal_copy(copy: JournalCopy, *, generated_at: dt.datetime, for_child: bool) -> bytes:
    """The copy as PDF bytes: who it concerns, when it was made, then every item, newest first."""
    _register_fonts()
    styles = _styles()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=str(_("Kopia av journalen")),
        author="Vårdnav",
        lang="sv",
    )
    subject = copy.subject
    who = subject.full_name or _("Skyddade personuppgifter")
    story: list[Any] = [
        Paragraph(_text(_("Kopia av barnets journal") if for_child else _("Kopia av journalen")), styles["title"]),
        Paragraph(f"{_text(who)}, {_text(subject.number.formatted)}", styles["body"]),
        Paragraph(_text(_("Utskriven %(when)s från Vårdnav.") % {"when": _when(generated_at)}), styles["meta"]),
    ]
    if not copy.complete:
        story.append(
            Paragraph(
                _text(_("Kopian innehåller de senaste %(count)s posterna. Kontakta mottagningen för resten."))
                % {"count": len(copy.items)},
                styles["meta"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    if not copy.items:
        story.append(Paragraph(_text(_("Det finns ännu inget i journalen.")), styles["body"]))
    for item in copy.items:
        story.extend(_item_flowables(item, styles))

    def page_number(canvas: Any, doc: Any) -> None:
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, _("Sida %(page)s") % {"page": doc.page})

    document.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
