"""Reminders before a visit: once, at the unit's time, by the resident's channels, with no health data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from vardnav.bookings.actions import do_book
from vardnav.bookings.models import UnitBookingSettings
from vardnav.bookings.reminders import do_send_reminders
from vardnav.core.clock import STOCKHOLM
from vardnav.notifications.models import OutgoingMessage
from vardnav.people.models import ContactSharingConsent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)


def test_a_reminder_goes_once_the_units_hours_before_the_visit_by_e_mail_and_sms(
    demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(demo_resident_a)
    demo_resident_a.phone = "+46701740605"
    demo_resident_a.save(update_fields=["phone"])
    ContactSharingConsent.objects.create(person=demo_resident_a, share_email=True, share_phone=True, given_at=NOW)
    with time_machine.travel(NOW, tick=False):
        booking = do_book(
            resident_actor(demo_resident_a), time_id=make_time(nurse_visit, NOW + dt.timedelta(hours=30)).pk
        )
    OutgoingMessage.objects.all().delete()  # the confirmation

    with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):  # 25 hours before: not yet
        assert do_send_reminders() == 0
    with time_machine.travel(NOW + dt.timedelta(hours=7), tick=False):  # 23 hours before
        assert do_send_reminders() == 1
        call_command("send_booking_reminders")  # again: nothing more
    messages = list(OutgoingMessage.objects.order_by("channel"))
    assert [m.channel for m in messages] == ["email", "sms"]
    for message in messages:
        assert "kl. 18.00" in message.body and nurse_visit.unit.name in message.body
        assert nurse_visit.name not in message.body
    booking.booking.refresh_from_db()
    assert booking.booking.reminded_at is not None


def test_no_reminder_when_the_unit_sends_none_or_the_resident_is_protected(
    protected_resident, demo_resident_a, resident_actor, nurse_visit, make_time, with_email
):
    with_email(protected_resident)
    with_email(demo_resident_a)
    with time_machine.travel(NOW, tick=False):
        do_book(resident_actor(protected_resident), time_id=make_time(nurse_visit, NOW + dt.timedelta(hours=20)).pk)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert do_send_reminders() == 1
    assert not OutgoingMessage.objects.exists()

    UnitBookingSettings.objects.filter(unit=nurse_visit.unit).update(reminder_hours=0)
    with time_machine.travel(NOW, tick=False):
        do_book(resident_actor(demo_resident_a), time_id=make_time(nurse_visit, NOW + dt.timedelta(hours=21)).pk)
    OutgoingMessage.objects.all().delete()
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert do_send_reminders() == 0
    assert not OutgoingMessage.objects.exists()
