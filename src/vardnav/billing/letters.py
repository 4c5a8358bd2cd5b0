"""The letter-delivery seam (FEE-5, PRIV-4): what would be posted, and to which address
(people.letters.letter_address, which bookings' summons letters use too).

Vårdnav does not print; a print-and-post partner (or a staff member at a printer) takes the
queue of `Letter` rows, prints each letter's PDF (made from its document when asked) and marks
it posted. Here a letter is addressed from the population register on the day: the registered
address, or, for a protected person, only ever Skatteverket's forwarding address
(`RegisterRecord.mailing_address`). A protected person without a forwarding address gets no
letter at all: never a guess, never an address a user typed.
"""

from __future__ import annotations

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.billing import access
from vardnav.billing.errors import BillingError
from vardnav.billing.models import Invoice, Letter
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.people.letters import Addressing


def queue_letter(invoice: Invoice, kind: str, addressing: Addressing) -> Letter:
    """Queue one letter for an invoice document (one per document: a rerun queues nothing new).
    Call inside the transaction of the change that sends it."""
    letter, _ = Letter.objects.get_or_create(
        invoice=invoice,
        kind=kind,
        defaults={
            "recipient_id": invoice.payer_id,
            "address": "\n".join(addressing.lines),
            "via_forwarding": addressing.via_forwarding,
            "created_at": clock.now(),
        },
    )
    return letter


def do_download_letter_batch(actor: Actor) -> tuple[list[Letter], bytes]:
    """The finance staff take the queued letters as one PDF to print (each download audited, naming
    the letters). The letters stay queued until marked posted."""
    from vardnav.billing.pdf import render_letters

    letters = access.queued_letters(actor)
    if not letters:
        raise BillingError.LETTER_QUEUE_EMPTY.error()
    printed = render_letters(letters)
    with transaction.atomic():
        do_record(
            actor,
            AuditEvent.LETTER_BATCH_DOWNLOAD,
            object_type="billing.letter",
            object_id="batch",
            extra={"letters": [letter.pk for letter in letters]},
        )
    return letters, printed


def do_mark_letters_posted(actor: Actor, letter_ids: list[int]) -> list[Letter]:
    """Mark printed letters as posted: they leave the queue. Only the provider's queued letters;
    one already posted is refused."""
    wanted = sorted({int(pk) for pk in letter_ids})
    if not wanted:
        raise BillingError.LETTER_NOT_QUEUED.error(field="letter")
    with transaction.atomic():
        letters = access.access_queued_letters(actor, wanted)
        if len(letters) != len(wanted):
            raise BillingError.LETTER_NOT_QUEUED.error(field="letter")
        now = clock.now()
        Letter.objects.filter(pk__in=[letter.pk for letter in letters], posted_at__isnull=True).update(posted_at=now)
        do_record(
            actor,
            AuditEvent.LETTER_POST,
            object_type="billing.letter",
            object_id="batch",
            extra={"letters": [letter.pk for letter in letters]},
        )
    for letter in letters:
        letter.posted_at = now
    return letters
