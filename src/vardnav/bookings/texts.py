"""What a resident is told about a booking: payment, times in Swedish, the confirmation e-mail and its .ics file.

Why the e-mail says so little: e-mail is not a safe channel for health data.
It carries the time, the place, how to pay and the cancellation code, which is
what the resident needs to turn up or cancel; never the visit type (a
"Cellprovtagning" or a vaccine tells why someone goes) nor the name of the
person the visit is for.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from vardnav.bookings.models import Booking
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import Unit, UnitKind


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(STOCKHOLM)


def format_moment(moment: dt.datetime) -> str:
    """'onsdag 9 december 2026 kl. 09.00' in Swedish local time (the active language's words)."""
    when = local(moment)
    return _("%(day)s kl. %(time)s") % {
        "day": formats.date_format(when, "l j F Y"),
        "time": when.strftime("%H.%M"),
    }


def is_physical(unit: Unit) -> bool:
    return unit.kind != UnitKind.DIGITAL


def payment_text(unit: Unit) -> str:
    """BOOK-5: physical units take card and Swish, never cash."""
    if is_physical(unit):
        return _("Du betalar på mottagningen med kort eller Swish. Mottagningen tar inte emot kontanter.")
    return _("Du betalar med kort eller Swish när du loggar in till besöket.")


def place_text(unit: Unit) -> str:
    parts = [unit.name]
    if unit.street_address:
        parts.append(unit.street_address)
    if unit.postal_code or unit.city:
        parts.append(f"{unit.postal_code} {unit.city}".strip())
    return ", ".join(parts)


def confirmation_subject() -> str:
    return _("Bekräftelse av din bokning i Vårdnav")


def confirmation_body(
    booking: Booking, *, code: str, cancel_url: str, deadline: dt.datetime, for_child: bool, masked: bool = False
) -> str:
    """The confirmation e-mail. `masked` writes the code as dots (the copy kept in the outbox's plain column)."""
    unit = booking.unit
    lines = [
        _("Hej!"),
        "",
        _("Din tid är bokad.") + (" " + _("Bokningen gäller ditt barn.") if for_child else ""),
        "",
        _("Tid: %(time)s") % {"time": format_moment(booking.starts_at)},
        _("Plats: %(place)s") % {"place": place_text(unit)},
        _("Betalning: %(payment)s") % {"payment": payment_text(unit)},
        "",
        _("Avbokningskod: %(code)s") % {"code": "••••-••••-••••" if masked else code},
        _(
            "Avboka eller boka om senast %(deadline)s, med koden på %(url)s eller under Mina bokningar. "
            "Efter det ringer du mottagningen på %(phone)s."
        )
        % {"deadline": format_moment(deadline), "url": cancel_url, "phone": unit.phone or "-"},
        "",
        _("Tiden finns också i den bifogade kalenderfilen."),
        _("Det här meddelandet går inte att svara på."),
        "",
        _("Vänliga hälsningar"),
        "Vårdnav",
    ]
    return "\n".join(lines) + "\n"


def calendar_file(booking: Booking, *, cancel_url: str) -> str:
    """An iCalendar (RFC 5545) event for the booking: time, place and how to pay, no health data."""
    unit = booking.unit
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Vårdnav//Tidbokning//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"booking-{booking.pk}@vardnav")
    event.add("dtstamp", booking.created_at.astimezone(dt.UTC))
    event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
    event.add("dtend", booking.slot.ends_at.astimezone(dt.UTC))
    event.add("summary", _("Besök på %(unit)s") % {"unit": unit.name})
    event.add("location", place_text(unit))
    event.add("description", payment_text(unit) + "\n" + _("Avboka eller boka om: %(url)s") % {"url": cancel_url})
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics.decode()


def cancel_page_path() -> str:
    return reverse("bookings:cancel_by_code")
