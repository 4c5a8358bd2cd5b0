"""Issue 11, item 15: e-mail and SMS are written in the recipient's chosen language, whatever language the request is in."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.personas import actor_for
from vardnav.identity.actions import do_give_contact_sharing_consent, do_set_message_language
from vardnav.labs.actions import EMAIL_SUBJECT, EMAIL_TEXT
from vardnav.notifications.actions import CHILD_SUFFIX, EMAIL_BODY, RESIDENT_TEXTS, SMS_BODY
from vardnav.notifications.models import NoticeKind, OutgoingMessage

from .conftest import give_confirmed_email, tell


def _english(msgid: str) -> str:
    with translation.override("en"):
        return gettext(msgid)


def test_every_resident_e_mail_and_sms_text_has_an_english_translation():
    texts = [text for pair in RESIDENT_TEXTS.values() for text in pair]
    texts += [CHILD_SUFFIX, EMAIL_BODY, SMS_BODY, EMAIL_SUBJECT, EMAIL_TEXT]
    texts += [text + CHILD_SUFFIX for text, _subject in RESIDENT_TEXTS.values()]  # the stored notice for a child
    untranslated = [text for text in texts if not _english(text).strip() or _english(text) == text]
    assert untranslated == []
    for text in (EMAIL_BODY, SMS_BODY):
        assert "{url}" in _english(text)
    assert all(part in _english(EMAIL_TEXT) for part in ("{url}", "{code}", "{until}"))


def _with_email_and_sms(person, address: str, phone: str) -> None:
    give_confirmed_email(person, address, phone=phone)
    do_give_contact_sharing_consent(actor_for(person), share_email=False, share_phone=True)


@pytest.mark.rule("CASE-9")
def test_a_resident_who_chose_english_gets_the_notice_e_mail_and_sms_in_english(world):
    _with_email_and_sms(world.resident_a, "karin.berg@example.se", "0701234567")
    do_set_message_language(actor_for(world.resident_a), "en")
    world.resident_a.refresh_from_db()

    with translation.override("sv"):  # e.g. a Swedish-speaking handler's reply triggers it
        notice = tell(world.resident_a, NoticeKind.REPLY)

    email = OutgoingMessage.objects.get(channel="email")
    sms = OutgoingMessage.objects.get(channel="sms")
    assert email.subject == "You have received a reply in Vårdnav"
    assert email.body.startswith("Hello,\n\nYou have a new message in Vårdnav. Log in at http")
    assert "never write anything about your care" in email.body
    assert sms.body.startswith("Vårdnav: You have a new message. Log in at http")
    # The in-app notice stays stored in Swedish: it is translated where it is shown.
    assert notice.text == "Du har fått svar i ett ärende."
    assert _english(notice.text) == "You have received a reply in a case."


def test_a_resident_who_keeps_swedish_gets_swedish_even_from_an_english_request(world):
    _with_email_and_sms(world.resident_b, "resident.b@example.se", "0701234568")
    with translation.override("en"):
        tell(world.resident_b, NoticeKind.INVOICE)

    email = OutgoingMessage.objects.get(channel="email")
    sms = OutgoingMessage.objects.get(channel="sms")
    assert world.resident_b.preferred_language == "sv"
    assert email.subject == "Du har fått en faktura från Vårdnav"
    assert email.body.startswith("Hej!\n\nDu har fått ett nytt meddelande i Vårdnav.")
    assert sms.body.startswith("Vårdnav: Du har fått ett nytt meddelande.")


def test_english_texts_reveal_no_more_than_the_swedish():
    """CASE-9 in both languages: the same placeholders and no added detail (no fee, case, or service)."""
    for text in (EMAIL_BODY, SMS_BODY):
        assert set(_placeholders(text)) == set(_placeholders(_english(text)))
    assert set(_placeholders(EMAIL_TEXT)) == set(_placeholders(_english(EMAIL_TEXT)))
    for _notice, subject in RESIDENT_TEXTS.values():
        assert _placeholders(_english(subject)) == []
        assert not any(char.isdigit() for char in _english(subject))


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[a-z_]+\}|%\([a-z_]+\)s", text))
