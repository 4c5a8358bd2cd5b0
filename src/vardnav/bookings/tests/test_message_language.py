"""Issue 11, item 15: a booking's e-mail, .ics file, reminder and cancellation are written in the booker's chosen language."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import time_machine
from django.utils import translation

from vardnav.bookings.actions import do_book, do_cancel_by_staff
from vardnav.bookings.reminders import do_send_reminders
from vardnav.core.clock import STOCKHOLM
from vardnav.identity.actions import do_give_contact_sharing_consent, do_set_message_language
from vardnav.notifications.models import OutgoingMessage
from vardnav.notifications.outbox import Attachment
from vardnav.organizations.models import Role

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)


def _summary(message: OutgoingMessage) -> str:
    [invite] = [Attachment.from_json(each) for each in message.attachments]
    return str(icalendar.Calendar.from_ical(invite.content).walk("VEVENT")[0]["summary"])


def test_the_confirmation_and_its_ics_file_are_in_english_for_a_resident_who_chose_english(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(demo_resident_a)
    do_set_message_language(resident_actor(demo_resident_a), "en")
    with translation.override("sv"):
        result = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)

    message = OutgoingMessage.objects.get()
    assert message.subject == "Confirmation of your booking in Vårdnav"
    for body in (message.body, message.secret_body):
        assert body.startswith("Hello,\n\nYour time is booked.")
        assert "Cancellation code: " in body and " at 09.00" in body
        assert nurse_visit.name not in body  # no more than the Swedish: never the visit type
    assert result.code in message.secret_body and result.code not in message.body
    assert _summary(message) == f"Visit at {nurse_visit.unit.name}"


def test_the_confirmation_stays_swedish_for_a_resident_who_kept_swedish(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(demo_resident_a)
    with translation.override("en"):  # the resident browses in English but never chose English for e-mail
        do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk)

    message = OutgoingMessage.objects.get()
    assert message.subject == "Bekräftelse av din bokning i Vårdnav"
    assert message.secret_body.startswith("Hej!\n\nDin tid är bokad.") and "Avbokningskod: " in message.secret_body
    assert _summary(message) == f"Besök på {nurse_visit.unit.name}"


def test_the_reminder_e_mail_and_sms_are_in_the_bookers_language(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(demo_resident_a)
    demo_resident_a.phone = "+46701740605"
    demo_resident_a.save(update_fields=["phone"])
    do_give_contact_sharing_consent(resident_actor(demo_resident_a), share_email=True, share_phone=True)
    do_set_message_language(resident_actor(demo_resident_a), "en")
    with time_machine.travel(NOW, tick=False):
        do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, NOW + dt.timedelta(hours=20)).pk)
    OutgoingMessage.objects.all().delete()  # the confirmation

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False), translation.override("sv"):
        assert do_send_reminders() == 1

    email, sms = OutgoingMessage.objects.order_by("channel")
    assert email.subject == "Reminder of your booked time"
    assert email.body.startswith("Reminder from Vårdnav: you have a booked time ")
    assert email.body.rstrip().endswith("This message cannot be replied to.")
    assert sms.body.startswith("Reminder from Vårdnav: you have a booked time ") and " at 08.00 " in sms.body
    assert nurse_visit.name not in email.body + sms.body


def test_the_units_cancellation_is_in_the_bookers_language(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email, staff_actor, demo_booking_admin_x, demo_unit_x
):
    with_email(demo_resident_a)
    do_set_message_language(resident_actor(demo_resident_a), "en")
    booking = do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit).pk).booking
    OutgoingMessage.objects.all().delete()

    with translation.override("sv"):  # the unit's staff work in Swedish
        do_cancel_by_staff(staff_actor(demo_booking_admin_x, demo_unit_x, Role.RECEIVER), booking)

    message = OutgoingMessage.objects.get()
    assert message.subject == "Your booked time is cancelled"
    assert message.body.startswith("The unit has cancelled your time ")
    assert nurse_visit.name not in message.body
