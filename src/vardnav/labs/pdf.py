"""Referrals as PDFs the resident downloads or prints: a referral for tests (with the lab and its barcode of the
referral number) and a referral letter to another care provider (VISIT-6, VISIT-7); the blood-pressure code's
barcode (VISIT-11), as SVG on the page and as a PNG image in the e-mail.

Made with reportlab in the certificates' style (its bundled Vera fonts), in memory for the one response,
never stored or sent anywhere. Barcodes are reportlab's Code 128; the PNG is drawn with Pillow from
reportlab's bar widths (reportlab's own bitmap renderer needs rl_renderPM, which is not installed).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from vardnav.certificates.pdf import _FONTS, BOLD, REGULAR, _register_fonts
from vardnav.core.clock import STOCKHOLM
from vardnav.labs.content import test_name
from vardnav.labs.models import CareReferral, LabReferral


def barcode_drawing(value: str, *, height_mm: float = 18, bar_mm: float = 0.35) -> Drawing:
    """A Code 128 barcode of `value` with the value written under it."""
    drawing: Drawing = createBarcodeDrawing(
        "Code128", value=value, barHeight=height_mm * mm, barWidth=bar_mm * mm, humanReadable=True, fontName=REGULAR
    )
    return drawing


def barcode_svg(value: str) -> str:
    """The barcode as an SVG document for a page (shown on screen at the pharmacy)."""
    _register_fonts()
    svg: str = renderSVG.drawToString(barcode_drawing(value, height_mm=22, bar_mm=0.6))
    # Drop the XML prolog and DOCTYPE so the markup can sit inside HTML.
    return svg[svg.index("<svg") :]


PNG_MODULE_PX = 3
PNG_BAR_HEIGHT_PX = 110
PNG_QUIET_MODULES = 10
PNG_TEXT_PX = 28


def code128_widths(value: str) -> list[int]:
    """The Code 128 symbol of `value` as module widths, bar first, bars and spaces alternating (reportlab's)."""
    symbol = Code128(value)
    symbol.validate()
    symbol.encode()
    # reportlab writes each element as a letter: upper case a bar, lower case a space, A/a one module wide.
    return [ord(letter.upper()) - ord("A") + 1 for letter in symbol.decompose()]


def barcode_png(value: str, *, human_readable: str = "") -> bytes:
    """The Code 128 barcode of `value` as a PNG (black bars on white, quiet zones on both sides).

    `human_readable`, when given, is written under the bars (e.g. the code in groups of four).
    """
    widths = code128_widths(value)
    modules = sum(widths) + 2 * PNG_QUIET_MODULES
    text_height = PNG_TEXT_PX + 12 if human_readable else 0
    image = Image.new("L", (modules * PNG_MODULE_PX, PNG_BAR_HEIGHT_PX + text_height + 20), 255)
    draw = ImageDraw.Draw(image)
    x = PNG_QUIET_MODULES * PNG_MODULE_PX
    for index, width in enumerate(widths):
        if index % 2 == 0:
            draw.rectangle((x, 10, x + width * PNG_MODULE_PX - 1, 10 + PNG_BAR_HEIGHT_PX - 1), fill=0)
        x += width * PNG_MODULE_PX
    if human_readable:
        font = ImageFont.truetype(str(_FONTS / "Vera.ttf"), PNG_TEXT_PX)
        draw.text((image.width // 2, PNG_BAR_HEIGHT_PX + 18), human_readable, fill=0, font=font, anchor="mt")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class _Barcode(Flowable):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.drawing = barcode_drawing(value)
        self.width, self.height = self.drawing.width, self.drawing.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=22, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11, spaceBefore=4 * mm)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor="#444444")
    return base, title, heading, small


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


def _build(title: str, rows: list[Flowable]) -> bytes:
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm).build(rows)
    return buffer.getvalue()


def render_lab_referral(referral: LabReferral) -> bytes:
    base, title, heading, small = _styles()
    person, doctor, lab = referral.subject, referral.issued_by, referral.lab
    issued = formats.date_format(referral.issued_at.astimezone(STOCKHOLM), "j F Y")
    heading_text = _("Remiss för provtagning")
    number_label, patient_label, provider_label = _("Remissnummer"), _("Patient"), _("Remitterande vårdgivare")
    doctor_label, hours_label = _("Remitterande läkare"), _("Öppettider")
    rows: list[Flowable] = [
        Paragraph(_text(heading_text), title),
        _Barcode(referral.number),
        Spacer(1, 3 * mm),
        Paragraph(_text(f"{number_label}: {referral.number}"), base),
        Paragraph(_text(f"{patient_label}: {person.given_name} {person.surname}, {person.personal_number}"), base),
        Paragraph(_text(f"{provider_label}: {referral.provider.name}, {referral.unit.name}"), base),
        Paragraph(_text(f"{doctor_label}: {doctor.given_name} {doctor.surname} ({doctor.hsa_id}), {issued}"), base),
        Paragraph(_text(_("Prover")), heading),
    ]
    for code in referral.tests:
        rows.append(Paragraph(_text(f"• {code} – {test_name(code)}"), base))
    if referral.question:
        rows += [Paragraph(_text(_("Frågeställning")), heading), Paragraph(_text(referral.question), base)]
    rows.append(Paragraph(_text(_("Provtagningsställe")), heading))
    if lab is not None:
        rows += [
            Paragraph(_text(f"{lab.name}, {lab.street_address}, {lab.postal_code} {lab.town}"), base),
            Paragraph(_text(f"{hours_label}: {lab.opening_hours}" + (f" · {lab.phone}" if lab.phone else "")), base),
        ]
    rows += [
        Spacer(1, 6 * mm),
        Paragraph(
            _text(
                _(
                    "Ta med remissen och legitimation till provtagningen. Svaret går till vården, som går igenom "
                    "det med dig. Du ser svaret under Mina sidor när din behandlare har bedömt det."
                )
            ),
            small,
        ),
    ]
    return _build(heading_text, rows)


def render_care_referral(referral: CareReferral) -> bytes:
    base, title, heading, small = _styles()
    person, staff = referral.subject, referral.issued_by
    issued = formats.date_format(referral.issued_at.astimezone(STOCKHOLM), "j F Y")
    heading_text = _("Remiss")
    number_label, to_label, patient_label = _("Remissnummer"), _("Till"), _("Patient")
    provider_label, by_label = _("Remitterande vårdgivare"), _("Remitterande")
    rows: list[Flowable] = [
        Paragraph(_text(heading_text), title),
        Paragraph(_text(f"{number_label}: {referral.number}"), base),
        Paragraph(_text(f"{to_label}: {referral.recipient}"), base),
        Paragraph(_text(f"{patient_label}: {person.given_name} {person.surname}, {person.personal_number}"), base),
        Paragraph(_text(f"{provider_label}: {referral.provider.name}, {referral.unit.name}"), base),
        Paragraph(
            _text(
                f"{by_label}: {staff.given_name} {staff.surname}, {staff.get_profession_display().lower()} "
                f"({staff.hsa_id}), {issued}"
            ),
            base,
        ),
        Paragraph(_text(_("Frågeställning och bakgrund")), heading),
        Paragraph(_text(referral.reason), base),
        Spacer(1, 6 * mm),
        Paragraph(
            _text(
                _(
                    "Remissen skickas inte automatiskt. Ta med den till mottagningen eller skicka den dit själv, "
                    "och kontakta mottagningen för en tid."
                )
            ),
            small,
        ),
    ]
    return _build(heading_text, rows)
