"""Notification tests: a real SMTP server, an SMS outbox and a way to run the queued tasks.

The people and staff are the shared world (tests/personas.py, fixture `world`);
notifications know no case, so the tests call notify_resident and notify_staff
as the case engine would. E-mail goes over real SMTP to an aiosmtpd server on a
free port of 127.0.0.1; tasks run through django_tasks_db's own worker
(Worker.run_task), so what is tested is what `manage.py db_worker` does.
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.personas import actor_for
from tests.tasks import run_tasks  # noqa: F401 - the notification tests import it from here
from vardnav.identity.actions import do_confirm_email, make_email_confirmation_token
from vardnav.notifications.actions import notify_resident
from vardnav.notifications.models import Notice, NoticeKind
from vardnav.people.actions import do_update_contact

CASE_LINK = "/arenden/"


def tell(person, kind: str = NoticeKind.REPLY, *, link: str = CASE_LINK, **options: Any) -> Notice:
    """What a case action does when it has news for a resident (cases decides who and when)."""
    return notify_resident(person, NoticeKind(kind), link=link, login_link=CASE_LINK, **options)


def give_confirmed_email(person, address: str, phone: str = ""):
    """The resident enters an address in the profile and opens the confirmation link."""
    do_update_contact(actor_for(person), person, email=address, phone=phone)
    confirmed = do_confirm_email(make_email_confirmation_token(person))
    person.refresh_from_db()
    return confirmed


# --- a real SMTP server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Recorder:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and started again on the same port."""

    port: int
    recorder: _Recorder = field(default_factory=_Recorder)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
            for envelope in self.recorder.envelopes
        ]

    def recipients(self) -> list[str]:
        return [address for envelope in self.recorder.envelopes for address in envelope.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer(port=_free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    path = tmp_path / "sms" / "outbox.jsonl"
    settings.SMS_OUTBOX_FILE = path
    settings.SMS_GATEWAY = "vardnav.notifications.channels.FileSmsGateway"
    return path
