"""Reminders before a visit, by e-mail and SMS through the outbox.

Why a sweep and not a task per booking: bookings are made weeks ahead and
rebooked or cancelled in between; a periodic sweep (`manage.py
send_booking_reminders`, run by cron or with --every) finds what is due now
and marks each booking reminded in the same transaction as its messages, so
a booking is reminded once however often the sweep runs. What is said: the
time and the place, never the visit type (it can say why someone goes) nor a
child's name. The booker hears by e-mail when their address is confirmed and
by SMS while they consent to share their number (PRIV-6); nobody with
protected identity is written to (PRIV-3).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from vardnav.bookings import texts
from vardnav.bookings.models import Booking, BookingStatus, UnitBookingSettings
from vardnav.core import clock
from vardnav.notifications.actions import public_url, written_for
from vardnav.notifications.models import OutgoingChannel
from vardnav.notifications.outbox import queue_message
from vardnav.people.models import ContactSharingConsent, Person

MAX_REMINDER_HOURS = 72


def _message(booking: Booking) -> str:
    return _("Påminnelse från Vårdnav: du har en bokad tid %(time)s på %(place)s. Avboka eller boka om: %(url)s") % {
        "time": texts.format_moment(booking.starts_at),
        "place": texts.place_text(booking.unit),
        "url": public_url(texts.cancel_page_path()),
    }


def _remind(booking: Booking) -> int:
    return tell_booker(booking, kind="reminder", compose=lambda: (_("Påminnelse om din bokade tid"), _message(booking)))


def tell_booker(booking: Booking, *, kind: str, compose: Callable[[], tuple[str, str]]) -> int:
    """Queue an e-mail (confirmed address) and an SMS (with consent) to whoever booked; none for protected identity.

    `compose` returns the subject and the text; it is called in the booker's language (written_for).
    Call inside the transaction of the change it reports; returns how many messages were queued.
    """
    booker: Person = booking.booked_by or booking.person
    if booker.protected_identity or booking.person.protected_identity:
        return 0
    with written_for(booker):
        subject, body = compose()
        no_reply = _("Det här meddelandet går inte att svara på.")
    sent = 0
    event = f"booking:{booking.pk}:{kind}:{uuid.uuid4().hex}"
    if booker.email and booker.email_confirmed_at is not None:
        queue_message(
            event_key=f"{event}:email",
            channel=OutgoingChannel.EMAIL,
            recipient=booker.email,
            subject=subject,
            body=body + "\n\n" + no_reply + "\n",
        )
        sent += 1
    consented = ContactSharingConsent.objects.filter(person=booker, withdrawn_at__isnull=True, share_phone=True)
    if booker.phone and consented.exists():
        queue_message(
            event_key=f"{event}:sms", channel=OutgoingChannel.SMS, recipient=booker.phone, subject="", body=body
        )
        sent += 1
    return sent


def do_send_reminders(*, limit: int = 500) -> int:
    """Remind every active booking whose unit's reminder time has come; returns how many bookings were handled.

    Only due bookings are read: one query per reminder length the units use
    (a handful), each bounded by its own window, so bookings that are not yet
    due never take the places of due ones in a run of `limit`.
    """
    now = clock.now()
    handled = 0
    lengths = sorted(
        set(UnitBookingSettings.objects.filter(reminder_hours__gt=0).values_list("reminder_hours", flat=True))
    )
    with transaction.atomic():
        for hours in lengths:
            if handled >= limit:
                break
            due = list(
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit", "person", "booked_by")
                .filter(
                    status=BookingStatus.BOOKED,
                    reminded_at__isnull=True,
                    starts_at__gt=now,
                    starts_at__lte=now + dt.timedelta(hours=min(hours, MAX_REMINDER_HOURS)),
                    unit__booking_settings__reminder_hours=hours,
                )
                .order_by("starts_at", "id")[: limit - handled]
            )
            for booking in due:
                _remind(booking)
                booking.reminded_at = now
                booking.save(update_fields=["reminded_at"])
                handled += 1
    return handled
