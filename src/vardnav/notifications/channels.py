"""How an outgoing message leaves the machine: e-mail over SMTP, SMS through a gateway.

Why an interface for SMS: the real SMS gateway is a contracted service outside
this machine. Development and tests use FileSmsGateway, which appends one JSON
line per message to var/sms/outbox.jsonl so a tester can read what would have
been sent. SMS_GATEWAY names the class (a dotted path), read when a message is
sent, never at import.

E-mail goes through Django's configured e-mail backend (EMAIL_BACKEND and
EMAIL_*; SMTP unless configured otherwise). Each e-mail carries the event key in
its Message-ID, so a receiving system can drop the duplicate that at-least-once
delivery may produce.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from vardnav.notifications.outbox import Attachment

SMTP_TIMEOUT_SECONDS = 15


class DeliveryError(Exception):
    """A send that failed for a reason that may pass (server down, timeout); the message is retried."""


class SmsGateway(Protocol):
    def send(self, *, to: str, body: str, message_id: str) -> None:
        """Hand one SMS to the gateway; raise DeliveryError (or OSError) if it was not accepted."""


class FileSmsGateway:
    """The local stand-in for an SMS gateway: one JSON line per message in var/sms/outbox.jsonl."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(getattr(settings, "SMS_OUTBOX_FILE", settings.VAR_DIR / "sms" / "outbox.jsonl"))

    def send(self, *, to: str, body: str, message_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"id": message_id, "to": to, "body": body}, ensure_ascii=False) + "\n"
        # One write of the whole line on an O_APPEND descriptor: concurrent
        # workers' lines never interleave; fsync so an accepted SMS survives a crash.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)


def get_sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()


def message_id_header(event_key: str) -> str:
    """The Message-ID for an event: the key with anything outside an RFC 5322 dot-atom made a dot."""
    return "<" + re.sub(r"[^A-Za-z0-9._-]", ".", event_key) + "@vardnav>"


def send_email(*, to: str, subject: str, body: str, message_id: str, attachments: Sequence[Attachment] = ()) -> None:
    connection = get_connection(fail_silently=False, timeout=SMTP_TIMEOUT_SECONDS)
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id_header(message_id), "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    for each in attachments:
        email.attach(each.filename, each.content, each.mimetype)
    if email.send() != 1:
        raise DeliveryError("the e-mail backend accepted nothing")


def send_sms(*, to: str, body: str, message_id: str) -> None:
    get_sms_gateway().send(to=to, body=body, message_id=message_id)
