"""The outbox: e-mail and SMS queued in the caller's transaction, delivered at least once by the task worker.

Why the task lives here and not in tasks.py: queueing, retrying and requeueing
all enqueue the delivery task, and the task runs the delivery; in one module
that needs no import cycle. The OutgoingMessage row, locked while it is sent
and marked sent in the same transaction, turns a repeated task into a no-op.
"""

from __future__ import annotations

import base64
import datetime as dt
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tasks import task

from vardnav.core import clock
from vardnav.notifications import channels
from vardnav.notifications.models import OutgoingChannel, OutgoingMessage, OutgoingStatus

MAX_ATTEMPTS = 5
# Seconds to wait after failed attempt 1, 2, 3, 4; the fifth failure is final.
RETRY_DELAYS = (60, 5 * 60, 20 * 60, 60 * 60)


def stale_after() -> dt.timedelta:
    """A queued message whose task has not run this long after it was due is requeued.

    Its task was lost, e.g. a worker killed in the middle of it (NOTIFICATIONS_STALE_AFTER_SECONDS,
    15 minutes by default; the crash test shortens it).
    """
    return dt.timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER_SECONDS)


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail (as an attachment part)."""

    filename: str
    mimetype: str
    content: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "mimetype": self.mimetype,
            "content": base64.b64encode(self.content).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Attachment:
        return cls(
            filename=data["filename"],
            mimetype=data["mimetype"],
            content=base64.b64decode(data["content"]),
        )


def calendar_attachment(calendar_ics: str) -> Attachment:
    """An iCalendar file as the invite.ics of an e-mail."""
    return Attachment("invite.ics", "text/calendar; charset=utf-8; method=PUBLISH", calendar_ics.encode())


@task()
def deliver_outgoing_message(message_id: int) -> str:
    return do_deliver_outgoing_message(message_id)


def queue_message(
    *,
    event_key: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    secret_body: str = "",
    calendar_ics: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutgoingMessage:
    """Insert one outgoing message and its delivery task in the caller's transaction.

    `secret_body`, when given, is what is sent; `body` is then the masked copy
    kept readable. `attachments` go with an e-mail (stored encrypted until it is
    sent); `calendar_ics` is the common case of one, attached as invite.ics.
    """
    files = [*([calendar_attachment(calendar_ics)] if calendar_ics else []), *attachments]
    now = clock.now()
    with transaction.atomic(savepoint=False):
        message = OutgoingMessage.objects.create(
            event_key=event_key,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            secret_body=secret_body,
            attachments=[each.to_json() for each in files],
            created_at=now,
            next_attempt_at=now,
        )
        deliver_outgoing_message.enqueue(message.pk)
    return message


def _describe_error(exc: BaseException) -> str:
    """The error's type and SMTP code: an exception's text may hold the recipient's address."""
    description = type(exc).__name__
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        description += f" {code}"
    return description[:200]


def do_deliver_outgoing_message(message_id: int) -> str:
    """Send one queued message; on failure count the attempt and try again later with backoff.

    The row is locked for the send and marked sent in the same transaction: a
    second task for the same message waits (or skips) and then finds it sent.
    A crash between the send and the commit sends it once more, which the
    event key in the Message-ID lets the receiving side recognise.
    """
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "busy-or-missing"
        if message.status != OutgoingStatus.QUEUED:
            return str(message.status)
        try:
            if message.channel == OutgoingChannel.EMAIL:
                channels.send_email(
                    to=message.recipient,
                    subject=message.subject,
                    body=message.secret_body or message.body,
                    message_id=message.event_key,
                    attachments=[Attachment.from_json(each) for each in message.attachments or []],
                )
            else:
                channels.send_sms(
                    to=message.recipient, body=message.secret_body or message.body, message_id=message.event_key
                )
        except (smtplib.SMTPException, OSError, channels.DeliveryError) as exc:
            now = clock.now()
            message.attempts += 1
            message.last_error = _describe_error(exc)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutgoingStatus.FAILED
            else:
                message.next_attempt_at = now + dt.timedelta(seconds=RETRY_DELAYS[message.attempts - 1])
                deliver_outgoing_message.using(run_after=message.next_attempt_at).enqueue(message.pk)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return str(message.status)
        message.attempts += 1
        message.status = OutgoingStatus.SENT
        message.sent_at = clock.now()
        message.last_error = ""
        # Sent: the secret and the attachments are no longer needed at rest.
        message.secret_body = ""
        message.attachments = []
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "secret_body", "attachments"])
    return str(OutgoingStatus.SENT)


def do_requeue_stale_messages(*, limit: int = 500) -> int:
    """Give queued messages whose delivery task was lost a new task; returns how many.

    Why: django_tasks_db leaves a task claimed by a worker that was killed as
    "running" for ever. The message itself is still queued, so nothing is lost
    as long as something enqueues it again; a spare task is harmless.
    """
    now = clock.now()
    with transaction.atomic():
        stale = list(
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingStatus.QUEUED, next_attempt_at__lt=now - stale_after())
            .order_by("next_attempt_at", "id")[:limit]
        )
        for message in stale:
            message.next_attempt_at = now
            message.save(update_fields=["next_attempt_at"])
            deliver_outgoing_message.enqueue(message.pk)
    return len(stale)
