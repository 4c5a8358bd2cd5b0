"""Issue 11, item 15: the blood-pressure code's e-mail is written in the resident's chosen language (VISIT-11's content)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.personas import actor_for
from vardnav.identity.actions import do_set_message_language
from vardnav.labs.actions import do_send_pressure_voucher, format_code
from vardnav.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db


def _code_email() -> OutgoingMessage:
    return OutgoingMessage.objects.get(event_key__startswith="pressure-voucher:")


@pytest.mark.rule("VISIT-11")
def test_the_code_e_mail_is_in_english_for_a_resident_who_chose_english(visit_of_a, with_email):
    with_email(visit_of_a.person, "blodtryck@example.se")
    do_set_message_language(actor_for(visit_of_a.person), "en")
    with translation.override("sv"):  # the doctor works in Swedish
        voucher = do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)

    message = _code_email()
    assert message.subject == "Code for a free blood pressure measurement"
    assert message.body.startswith("Hello,\n\nYou have received a code for a free blood pressure measurement")
    assert "Code: •••• •••• ••••" in message.body and voucher.code not in message.body
    assert f"Code: {format_code(voucher.code)}" in message.secret_body
    for detail in (visit_of_a.visit.area.name, visit_of_a.case.number):
        assert detail.lower() not in (message.secret_body + message.subject).lower()


def test_the_code_e_mail_stays_swedish_by_default(visit_of_a, with_email):
    with_email(visit_of_a.person, "blodtryck@example.se")
    with translation.override("en"):
        do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)

    message = _code_email()
    assert message.subject == "Kod för en kostnadsfri blodtrycksmätning"
    assert message.secret_body.startswith("Hej!\n\nDu har fått en kod för en kostnadsfri blodtrycksmätning")
