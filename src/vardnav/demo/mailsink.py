"""A local SMTP sink for the demo: every e-mail Vårdnav sends lands in a folder as an .eml file.

Why: in the demo nobody has a real mailbox, yet some mails carry a link the
tester must open (the e-mail confirmation of the profile page). `manage.py
rundemo` starts this sink on EMAIL_HOST/EMAIL_PORT (127.0.0.1:1025 in
development), and /demo/e-post/ lists what arrived. Files rather than memory:
the sink and the web server are separate processes.

The sink accepts any sender and recipient and never relays; it binds to
loopback only.
"""

from __future__ import annotations

import email
import email.policy
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from django.utils import timezone

MAIL_SUFFIX = ".eml"


class MailDirHandler:
    """aiosmtpd handler: store each message's raw bytes as one file, written whole before it is visible."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        # A sortable name: newest last by name, unique even within one microsecond.
        name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        staging = self.directory / f".{name}.tmp"
        staging.write_bytes(envelope.original_content or envelope.content)
        os.replace(staging, self.directory / f"{name}{MAIL_SUFFIX}")
        return "250 Message accepted for delivery"


def start_sink(directory: Path, host: str = "127.0.0.1", port: int = 1025) -> Controller:
    """Start the sink in a background thread; call .stop() on the result to end it."""
    controller = Controller(MailDirHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


@dataclass(frozen=True)
class ReceivedMail:
    """What the demo page shows of one received e-mail."""

    name: str
    subject: str
    sender: str
    to: str
    date: datetime
    body: str


def received_mails(directory: Path, limit: int = 50) -> list[ReceivedMail]:
    """The newest `limit` e-mails in the sink's folder, newest first; none if the folder does not exist."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    files = sorted(directory.glob(f"*{MAIL_SUFFIX}"), key=lambda path: path.name, reverse=True)[:limit]
    return [_read(path) for path in files]


def _read(path: Path) -> ReceivedMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    return ReceivedMail(
        name=path.stem,
        subject=str(message.get("Subject", "")),
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        date=_date(message.get("Date")) or _received_at(path),
        body=part.get_content() if part is not None else "",
    )


def _received_at(path: Path) -> datetime:
    """When the sink stored the file: the date of a mail that carries none."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _date(value: object) -> datetime | None:
    try:
        return parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None
