"""Summons letters to post (PRIV-4): a kallelse to a protected-identity resident, printed and posted.

bookings.actions queues a `SummonsLetter` when a unit books a time for a resident the register
protects; it is addressed only via Skatteverket's forwarding address (people.letters). Here the unit's
booking staff take the queue as one PDF (core.pdf, as billing's invoice letters) and mark the letters
posted. The letter says that a time has been booked, when, and at which unit, and asks the resident to
log in: never the visit type, which may reveal a condition, and no other health data.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.bookings import access, texts
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import SummonsLetter
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.pdf import BOLD, REGULAR, address_block, letter_batch, pdf_text, register_fonts
from vardnav.organizations.models import Unit


def summons_letter_text(letter: SummonsLetter, unit: Unit) -> tuple[str, list[str]]:
    """The letter's heading and paragraphs below its address block (no visit type, no health data)."""
    paragraphs = [
        _("Du har fått en tid %(when)s hos %(unit)s.")
        % {"when": texts.format_moment(letter.booking.starts_at), "unit": unit.name},
        _("Logga in i Vårdnav för att se den. Där kan du också boka om eller avboka tiden."),
    ]
    if unit.phone:
        paragraphs.append(_("Har du frågor, ring %(unit)s på %(phone)s.") % {"unit": unit.name, "phone": unit.phone})
    return str(_("Kallelse")), [str(text) for text in paragraphs]


def _letter_flowables(letter: SummonsLetter, unit: Unit) -> list[Any]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15, spaceAfter=3 * mm)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=22, spaceAfter=5 * mm)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor="#444444")
    heading, paragraphs = summons_letter_text(letter, unit)
    rows: list[Any] = address_block(letter.address.splitlines(), base)
    rows.append(Paragraph(pdf_text(heading), title))
    rows += [Paragraph(pdf_text(text), base) for text in paragraphs]
    rows += [
        Spacer(1, 8 * mm),
        Paragraph(pdf_text(_("Brevet säger inget om vården. Allt om tiden finns när du loggar in i Vårdnav.")), small),
    ]
    return rows


def render_summons_letters(letters: list[SummonsLetter], unit: Unit) -> bytes:
    """The queued letters as one PDF to print, one page per letter."""
    return letter_batch([_letter_flowables(letter, unit) for letter in letters], str(_("Kallelsebrev att skicka")))


def do_download_summons_letters(actor: Actor) -> tuple[list[SummonsLetter], bytes]:
    """The unit's queued summons letters as one PDF to print (each download audited, naming the letters).
    The letters stay queued until marked posted."""
    letters = access.queued_summons_letters(actor)
    if not letters:
        raise BookingError.SUMMONS_LETTERS_EMPTY.error()
    unit = Unit.objects.get(pk=letters[0].booking.unit_id)  # the queue is one unit's
    printed = render_summons_letters(letters, unit)
    with transaction.atomic():
        # One entry per letter, on its resident (PRIV-2: every action on a protected person's data is logged).
        for letter in letters:
            do_record(
                actor,
                AuditEvent.LETTER_BATCH_DOWNLOAD,
                letter,
                subject_person_id=letter.recipient_id,
                unit_id=unit.pk,
                extra={"letters": [each.pk for each in letters]},
            )
    return letters, printed


def do_mark_summons_letters_posted(actor: Actor, letter_ids: list[int]) -> list[SummonsLetter]:
    """Mark printed summons letters as posted: they leave the queue. Only the unit's queued letters."""
    wanted = sorted({int(pk) for pk in letter_ids})
    if not wanted:
        raise BookingError.SUMMONS_LETTER_NOT_QUEUED.error(field="letter")
    with transaction.atomic():
        letters = access.access_queued_summons_letters(actor, wanted)
        if len(letters) != len(wanted):
            raise BookingError.SUMMONS_LETTER_NOT_QUEUED.error(field="letter")
        now = clock.now()
        SummonsLetter.objects.filter(pk__in=[letter.pk for letter in letters], posted_at__isnull=True).update(
            posted_at=now
        )
        do_record(
            actor,
            AuditEvent.LETTER_POST,
            object_type="bookings.summonsletter",
            object_id="batch",
            unit_id=actor.unit_id,
            extra={"letters": [letter.pk for letter in letters]},
        )
    for letter in letters:
        letter.posted_at = now
    return letters
