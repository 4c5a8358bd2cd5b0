"""The interface other apps tell people through: the notice, then e-mail and SMS as contact details allow."""

from __future__ import annotations

import pytest

from vardnav.identity.actions import do_give_contact_sharing_consent
from vardnav.notifications.actions import notify_staff
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage

from .conftest import CASE_LINK, give_confirmed_email, tell


def test_a_resident_gets_the_notice_and_an_email_to_the_confirmed_address(world):
    give_confirmed_email(world.resident_a, "karin.berg@example.se")
    notice = tell(world.resident_a, NoticeKind.QUESTION, link="/arenden/3/")

    assert (notice.person, notice.kind, notice.link) == (world.resident_a, "question", "/arenden/3/")
    assert notice.text == "Du har fått en motfråga i ett ärende."
    email = OutgoingMessage.objects.get()
    assert email.channel == "email" and email.subject == "Du har fått en motfråga i Vårdnav"
    assert f"http://127.0.0.1:8000{CASE_LINK}" in email.body


def test_news_about_a_child_says_so(world):
    notice = tell(world.guardian, NoticeKind.REPLY, for_child=True)
    assert notice.text == "Du har fått svar i ett ärende. Ärendet gäller ditt barn."


@pytest.mark.rule("PRIV-3")
def test_protection_known_to_the_caller_keeps_it_in_the_app(world):
    give_confirmed_email(world.guardian, "anna.lindqvist@example.se")
    tell(world.guardian, NoticeKind.REPLY, for_child=True, protected=True)
    assert Notice.objects.filter(person=world.guardian).count() == 1
    assert not OutgoingMessage.objects.exists()


@pytest.mark.rule("PRIV-6")
def test_an_sms_needs_consent_to_use_the_mobile_number(world):
    give_confirmed_email(world.resident_a, "karin.berg@example.se", phone="0701234567")
    tell(world.resident_a)
    assert not OutgoingMessage.objects.filter(channel="sms").exists()
    do_give_contact_sharing_consent(world.resident(world.resident_a), share_email=False, share_phone=True)
    tell(world.resident_a)
    assert OutgoingMessage.objects.filter(channel="sms").count() == 1


def test_staff_get_in_app_notices_only(world):
    notify_staff([world.receiver_x.pk, world.handler_y.pk], NoticeKind.OVERDUE, text="Passerad", link="/personal/")
    assert sorted(Notice.objects.values_list("staff_id", flat=True)) == sorted(
        [world.receiver_x.pk, world.handler_y.pk]
    )
    assert not OutgoingMessage.objects.exists()
