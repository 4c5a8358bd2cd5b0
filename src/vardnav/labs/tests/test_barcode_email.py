"""VISIT-11: the blood-pressure code's e-mail carries the code as a Code 128 barcode image, and nothing else.

The test reads the PNG the SMTP server received the way a scanner does: one
row of pixels across the bars, the runs of black and white measured in
modules, every six runs one Code 128 symbol (seven for the stop), looked up in
the standard's table of patterns, the check symbol verified, and the digits of
code set C read back.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from reportlab.graphics.barcode.code128 import _patterns

from tests.tasks import run_tasks
from vardnav.labs.actions import EMAIL_SUBJECT, do_send_pressure_voucher
from vardnav.notifications.models import OutgoingMessage, OutgoingStatus
from vardnav.notifications.tests.conftest import smtp_server  # noqa: F401 - the real SMTP server

pytestmark = pytest.mark.django_db

START_C, STOP = 105, 106
# Code 128's patterns as module widths (bar, space, bar, …), e.g. "212222" for symbol 0.
SYMBOL_OF_WIDTHS = {
    "".join(str(ord(letter.upper()) - ord("A") + 1) for letter in pattern): symbol
    for symbol, pattern in _patterns.items()
}


def runs(row: list[int]) -> list[tuple[bool, int]]:
    """A row of grey pixels as runs of (is_black, length)."""
    out: list[tuple[bool, int]] = []
    for pixel in row:
        black = pixel < 128
        if out and out[-1][0] == black:
            out[-1] = (black, out[-1][1] + 1)
        else:
            out.append((black, 1))
    return out


def decode_code128(png: bytes) -> str:
    image = Image.open(BytesIO(png)).convert("L")
    row = [image.getpixel((x, image.height // 4)) for x in range(image.width)]
    bars = runs(row)
    while bars and not bars[0][0]:
        bars.pop(0)
    while bars and not bars[-1][0]:
        bars.pop()
    module = min(length for _black, length in bars)
    widths = [round(length / module) for _black, length in bars]
    symbols: list[int] = []
    while widths:
        size = 7 if len(widths) == 7 else 6
        symbols.append(SYMBOL_OF_WIDTHS["".join(map(str, widths[:size]))])
        widths = widths[size:]
    assert symbols[0] == START_C and symbols[-1] == STOP
    data, check = symbols[1:-2], symbols[-2]
    assert (START_C + sum(position * value for position, value in enumerate(data, start=1))) % 103 == check
    return "".join(f"{value:02d}" for value in data)


@pytest.mark.rule("VISIT-11")
def test_the_code_email_carries_a_barcode_image_that_scans_to_the_code(visit_of_a, with_email, smtp_server):  # noqa: F811
    with_email(visit_of_a.person, "blodtryck@example.se")
    voucher = do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    queued = OutgoingMessage.objects.get(event_key__startswith="pressure-voucher:")
    assert [each["filename"] for each in queued.attachments] == ["streckkod.png"]

    assert run_tasks() >= 1
    # The chat's "news in your case" e-mail goes too; the code's is the one with the subject about the measurement.
    [sent] = [each for each in smtp_server.messages if each["Subject"] == EMAIL_SUBJECT]
    [image] = [part for part in sent.iter_attachments() if part.get_content_type() == "image/png"]
    assert image.get_filename() == "streckkod.png"
    assert decode_code128(image.get_content()) == voucher.code
    # Still nothing about the visit: no complaint area, no case number, in the text or the subject.
    text = sent.get_body(preferencelist=("plain",)).get_content()
    for detail in (visit_of_a.visit.area.name, visit_of_a.case.number, "urin", "infektion"):
        assert detail.lower() not in (text + sent["Subject"]).lower()
    queued.refresh_from_db()
    assert queued.status == OutgoingStatus.SENT and queued.attachments == []  # the image is not kept once sent


@pytest.mark.rule("VISIT-11")
def test_without_an_email_address_no_barcode_is_made_or_stored(visit_of_a):
    voucher = do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    assert not voucher.emailed and not OutgoingMessage.objects.exists()
