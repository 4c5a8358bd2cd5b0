"""Telling people that something happened: in-app notices, e-mail and SMS through the outbox.

Why this shape (security-durability B4, docs/decisions/0006-notifications-outbox.md):
a case action calls notify_case_event inside its own transaction. That writes
the Notice, one OutgoingMessage per channel, and a django-tasks row per message
(django_tasks_db inserts the task row in the caller's transaction), so all of
it commits with the case change or none of it does. A worker then delivers each
message at least once; the message row, locked while it is sent and marked sent
in the same transaction, turns a repeated task into a no-op.

What is said never carries health data (CASE-9): no service, unit, case content
or message text, only that there is news and where to log in. A resident with
protected identity gets the in-app notice only (PRIV-3).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from vardnav.audit.actions import do_record
from vardnav.cases.models import OPEN_STATUSES, Case
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.identity.models import ContactSharingConsent
from vardnav.notifications import channels
from vardnav.notifications.models import (
    Notice,
    NoticeKind,
    OutgoingChannel,
    OutgoingMessage,
    OutgoingStatus,
    SupportCategory,
    SupportRequest,
)
from vardnav.organizations.models import CareProvider, Role, Staff
from vardnav.people.models import Person

MAX_ATTEMPTS = 5
# Seconds to wait after failed attempt 1, 2, 3, 4; the fifth failure is final.
RETRY_DELAYS = (60, 5 * 60, 20 * 60, 60 * 60)
# A queued message whose task has not run this long after it was due is
# requeued (its task was lost, e.g. a worker killed in the middle of it).
STALE_AFTER = dt.timedelta(minutes=15)
SUPPORT_TEXT_MAX_LENGTH = 2000

RESIDENT_EVENTS = {
    NoticeKind.PARTIAL_REPLY: ("Du har fått ett delsvar i ett ärende.", "Du har fått ett delsvar i Vårdnav"),
    NoticeKind.QUESTION: ("Du har fått en motfråga i ett ärende.", "Du har fått en motfråga i Vårdnav"),
    NoticeKind.REPLY: ("Du har fått svar i ett ärende.", "Du har fått svar i Vårdnav"),
    NoticeKind.CLOSED: ("Ett ärende har avslutats.", "Ett ärende har avslutats i Vårdnav"),
}
CHILD_SUFFIX = " Ärendet gäller ditt barn."
EMAIL_BODY = (
    "Hej!\n\n"
    "Du har fått ett nytt meddelande i Vårdnav. Logga in på {url} för att läsa det.\n\n"
    "Av säkerhetsskäl skriver vi aldrig något om din vård i e-post eller sms. "
    "Det här meddelandet går inte att svara på.\n\n"
    "Vänliga hälsningar\nVårdnav\n"
)
SMS_BODY = "Vårdnav: Du har fått ett nytt meddelande. Logga in på {url} för att läsa det."
SUPPORT_SUBJECT = "Ny supportförfrågan i Vårdnav"
SUPPORT_BODY = (
    "Hej!\n\n"
    "Det har kommit en ny supportförfrågan till {provider} i Vårdnav. "
    "Logga in i administrationen för att läsa och hantera den: {url}\n\n"
    "Vänliga hälsningar\nVårdnav\n"
)


def public_url(path: str) -> str:
    """An absolute link for e-mail and SMS; the setting names where residents reach the site."""
    return settings.VARDNAV_PUBLIC_URL.rstrip("/") + path


# --- case events ----------------------------------------------------------------------


def notify_case_event(case: Case, event: str) -> None:
    """Tell whoever must know about `event` in `case`; call it inside the case action's transaction.

    Resident events (partial_reply, question, reply, closed) go to the person who
    submitted the case: the guardian for a child's case, never the child. The
    staff event (overdue) goes to the unit's receivers and the assignee.
    """
    with transaction.atomic(savepoint=False):
        if event == NoticeKind.OVERDUE:
            _notify_staff_overdue(case)
            return
        if event not in RESIDENT_EVENTS:
            raise ValueError(f"unknown case event {event!r}")
        _notify_resident(case, NoticeKind(event))


def _resident_recipients(case: Case) -> list[Person]:
    """Who hears about a case: whoever submitted it, or, when that is a child under 16
    (a case registered for the child by another channel, CASE-7), the child's guardians,
    since children under 16 have no login of their own (ID-2)."""
    submitter = Person.objects.get(pk=case.submitted_by_id)
    if submitter.pk != case.subject_id or submitter.age_on(clock.today()) >= 16:
        return [submitter]
    return list(Person.objects.filter(child_relations__child_id=submitter.pk).order_by("pk"))


def _notify_resident(case: Case, kind: NoticeKind) -> None:
    for recipient in _resident_recipients(case):
        _notify_person(case, kind, recipient)


def _notify_person(case: Case, kind: NoticeKind, recipient: Person) -> None:
    for_child = case.subject_id != recipient.pk
    text, subject = RESIDENT_EVENTS[kind]
    if for_child:
        text += CHILD_SUFFIX
    # A guardian reads a child's case after choosing to act for the child, so the
    # link goes to the case list, which offers that choice.
    link = reverse("cases:mine") if for_child else reverse("cases:detail", args=[case.pk])
    now = clock.now()
    Notice.objects.create(person=recipient, kind=kind, text=text, link=link, created_at=now)
    subject_protected = for_child and Person.objects.filter(pk=case.subject_id, protected_identity=True).exists()
    if recipient.protected_identity or subject_protected:
        return  # PRIV-3: in-app only; an address could lead to where they live.
    url = public_url(reverse("cases:mine"))
    event_id = uuid.uuid4().hex
    if recipient.email and recipient.email_confirmed_at is not None:
        queue_message(
            event_key=f"{event_id}:email",
            channel=OutgoingChannel.EMAIL,
            recipient=recipient.email,
            subject=subject,
            body=EMAIL_BODY.format(url=url),
        )
    if recipient.phone and _consented_to_sms(recipient):
        queue_message(
            event_key=f"{event_id}:sms",
            channel=OutgoingChannel.SMS,
            recipient=recipient.phone,
            subject="",
            body=SMS_BODY.format(url=url),
        )


def _consented_to_sms(person: Person) -> bool:
    """PRIV-6: the mobile number is used only while the resident's consent to share it is in force."""
    return ContactSharingConsent.objects.filter(person=person, withdrawn_at__isnull=True, share_phone=True).exists()


def _notify_staff_overdue(case: Case) -> None:
    """In-app only: staff records hold no e-mail address to write to."""
    receivers = set(
        Staff.objects.filter(
            is_active=True, role_grants__unit_id=case.unit_id, role_grants__role=Role.RECEIVER
        ).values_list("pk", flat=True)
    )
    if case.assigned_to_id is not None:
        receivers.add(case.assigned_to_id)
    now = clock.now()
    text = f"Ärende {case.number} har passerat sin svarstid."
    link = reverse("cases:staff_detail", args=[case.pk])
    Notice.objects.bulk_create(
        [
            Notice(staff_id=staff_id, kind=NoticeKind.OVERDUE, text=text, link=link, created_at=now)
            for staff_id in sorted(receivers)
        ]
    )


def do_notify_overdue(*, limit: int = 500) -> int:
    """CASE-2: tell staff once about each open case past its deadline; returns how many cases.

    Idempotent: overdue_notified_at is set in the transaction that creates the
    notices, and rows another run holds are skipped, so overlapping runs on
    several machines notify each case once.
    """
    now = clock.now()
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(status__in=OPEN_STATUSES, due_at__lt=now, overdue_notified_at__isnull=True)
            .order_by("due_at", "id")[:limit]
        )
        for case in cases:
            notify_case_event(case, NoticeKind.OVERDUE)
            case.overdue_notified_at = now
            case.save(update_fields=["overdue_notified_at"])
            do_record(
                Actor.system(),
                "case.overdue_notified",
                object_type="cases.case",
                object_id=case.pk,
                subject_person_id=case.subject_id,
                unit_id=case.unit_id,
            )
    return len(cases)


# --- the outbox -------------------------------------------------------------------------


def queue_message(*, event_key: str, channel: str, recipient: str, subject: str, body: str) -> OutgoingMessage:
    """Insert one outgoing message and its delivery task in the caller's transaction."""
    from vardnav.notifications.tasks import deliver_outgoing_message

    now = clock.now()
    with transaction.atomic(savepoint=False):
        message = OutgoingMessage.objects.create(
            event_key=event_key,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
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
    from vardnav.notifications.tasks import deliver_outgoing_message

    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "busy-or-missing"
        if message.status != OutgoingStatus.QUEUED:
            return str(message.status)
        try:
            if message.channel == OutgoingChannel.EMAIL:
                channels.send_email(
                    to=message.recipient, subject=message.subject, body=message.body, message_id=message.event_key
                )
            else:
                channels.send_sms(to=message.recipient, body=message.body, message_id=message.event_key)
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
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return str(OutgoingStatus.SENT)


def do_requeue_stale_messages(*, limit: int = 500) -> int:
    """Give queued messages whose delivery task was lost a new task; returns how many.

    Why: django_tasks_db leaves a task claimed by a worker that was killed as
    "running" for ever. The message itself is still queued, so nothing is lost
    as long as something enqueues it again; a spare task is harmless.
    """
    from vardnav.notifications.tasks import deliver_outgoing_message

    now = clock.now()
    with transaction.atomic():
        stale = list(
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingStatus.QUEUED, next_attempt_at__lt=now - STALE_AFTER)
            .order_by("next_attempt_at", "id")[:limit]
        )
        for message in stale:
            message.next_attempt_at = now
            message.save(update_fields=["next_attempt_at"])
            deliver_outgoing_message.enqueue(message.pk)
    return len(stale)


# --- notices --------------------------------------------------------------------------------


def do_mark_notices_read(actor: Actor, notice_ids: list[int]) -> int:
    """The recipient has seen these notices (the list page shows them)."""
    if not notice_ids:
        return 0
    recipient: dict[str, Any]
    if actor.is_resident and actor.person_id is not None:
        recipient = {"person_id": actor.person_id}
    elif actor.is_staff and actor.staff_id is not None:
        recipient = {"staff_id": actor.staff_id}
    else:
        raise PermissionDenied()
    return Notice.objects.filter(pk__in=notice_ids, read_at__isnull=True, **recipient).update(read_at=clock.now())


# --- support (ORG-6) --------------------------------------------------------------------------


def check_support_request(*, category: Any, text: Any, reply_to: Any = "") -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    category = str(category or "")
    if category not in SupportCategory.values:
        errors["category"] = ["Välj vad det gäller."]
    clean_text = str(text or "").strip()
    if not clean_text:
        errors["text"] = ["Skriv din fråga eller synpunkt."]
    elif len(clean_text) > SUPPORT_TEXT_MAX_LENGTH:
        errors["text"] = [f"Texten får vara högst {SUPPORT_TEXT_MAX_LENGTH} tecken (nu {len(clean_text)})."]
    address = str(reply_to or "").strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            errors["reply_to"] = ["Skriv en giltig e-postadress, till exempel namn@exempel.se."]
    if errors:
        raise DomainError(code="invalid-support-request", message="Kontrollera uppgifterna.", errors=errors)
    return category, clean_text, address


def do_send_support_request(
    actor: Actor, *, provider: CareProvider, category: str, text: str, reply_to: str = ""
) -> SupportRequest:
    """A resident or an anonymous visitor writes to a care provider's support (ORG-6).

    The provider's support address is told only that a request arrived: the text
    may hold health data, so it stays in the database (encrypted) and is read in
    the admin.
    """
    if not (actor.is_resident or actor.kind == ActorKind.ANONYMOUS):
        raise PermissionDenied()
    category, text, reply_to = check_support_request(category=category, text=text, reply_to=reply_to)
    sender_id = actor.person_id if actor.is_resident else None
    with transaction.atomic():
        request = SupportRequest.objects.create(
            provider=provider,
            category=category,
            text=text,
            reply_to=reply_to,
            sender_id=sender_id,
            created_at=clock.now(),
        )
        do_record(
            actor,
            "support.request",
            object_type="notifications.supportrequest",
            object_id=request.pk,
            subject_person_id=sender_id,
        )
        if provider.support_email:
            queue_message(
                event_key=f"support:{request.pk}:email",
                channel=OutgoingChannel.EMAIL,
                recipient=provider.support_email,
                subject=SUPPORT_SUBJECT,
                body=SUPPORT_BODY.format(
                    provider=provider.name,
                    url=public_url(reverse("admin:notifications_supportrequest_changelist")),
                ),
            )
    return request


def do_mark_support_request_handled(actor: Actor, request: SupportRequest) -> SupportRequest:
    """Staff of the request's provider (through the admin) or the platform mark it handled."""
    if actor.kind == ActorKind.SYSTEM:
        staff_id = None
    elif actor.is_staff and actor.staff_id is not None and actor.provider_id == request.provider_id:
        staff_id = actor.staff_id
    else:
        raise NotFound()
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.handled_at is None:
            locked.handled_at = clock.now()
            locked.handled_by_id = staff_id
            locked.save(update_fields=["handled_at", "handled_by"])
            do_record(
                actor,
                "support.handled",
                object_type="notifications.supportrequest",
                object_id=locked.pk,
                subject_person_id=locked.sender_id,
            )
    request.handled_at, request.handled_by_id = locked.handled_at, locked.handled_by_id
    return request
