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

from vardnav.billing.models import Invoice, Letter
from vardnav.core import clock
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
