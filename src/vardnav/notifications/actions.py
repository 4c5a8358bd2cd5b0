"""Telling people that something happened: in-app notices, e-mail and SMS through the outbox.

Why this shape (security-durability B4, docs/decisions/0006-notifications-outbox.md):
another app decides who must know and calls notify_resident or notify_staff
inside the transaction of its change. That writes the Notice, one
OutgoingMessage per channel, and a django-tasks row per message (outbox.py), so
all of it commits with the change or none of it does. This app knows no case:
how to reach a person (confirmed e-mail, SMS with consent, protected identity)
is decided here, who and about what by the caller.

What is said never carries health data (CASE-9): no service, unit, case content
or message text, only that there is news and where to log in. A resident with
protected identity gets the in-app notice only (PRIV-3).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.notifications.errors import NotificationError
from vardnav.notifications.models import Notice, NoticeKind, OutgoingChannel, SupportCategory, SupportRequest
from vardnav.notifications.outbox import queue_message
from vardnav.organizations.models import CareProvider
from vardnav.people.models import ContactSharingConsent, MessageLanguage, Person

SUPPORT_TEXT_MAX_LENGTH = 2000

# What a resident is told, per kind: the notice text and the e-mail subject. Never health data (CASE-9).
# Marked for translation only: the notice text is stored in Swedish and translated where it is shown;
# e-mail and SMS are translated when composed, in the recipient's language (written_for).
RESIDENT_TEXTS = {
    NoticeKind.PARTIAL_REPLY: (N_("Du har fått ett delsvar i ett ärende."), N_("Du har fått ett delsvar i Vårdnav")),
    NoticeKind.QUESTION: (N_("Du har fått en motfråga i ett ärende."), N_("Du har fått en motfråga i Vårdnav")),
    NoticeKind.REPLY: (N_("Du har fått svar i ett ärende."), N_("Du har fått svar i Vårdnav")),
    NoticeKind.CLOSED: (N_("Ett ärende har avslutats."), N_("Ett ärende har avslutats i Vårdnav")),
    NoticeKind.FEE_CHANGED: (
        N_("Avgiften för ett ärende har ändrats."),
        N_("Avgiften för ett ärende har ändrats i Vårdnav"),
    ),
    # VAC-2: the notice leads to the card; nothing says which vaccine.
    NoticeKind.VACCINATION_REMINDER: (
        N_("En påminnelse om vaccination väntar på ditt vaccinationskort."),
        N_("En påminnelse väntar på dig i Vårdnav"),
    ),
    # FEE-4, FEE-8: only that there is an invoice document; never what the care was.
    NoticeKind.INVOICE: (N_("Du har fått en faktura."), N_("Du har fått en faktura från Vårdnav")),
    NoticeKind.INVOICE_REMINDER: (
        N_("Du har fått en påminnelse om en obetald faktura."),
        N_("Påminnelse om en obetald faktura från Vårdnav"),
    ),
    NoticeKind.INVOICE_COLLECTION: (
        N_("En obetald faktura har lämnats till inkasso."),
        N_("En obetald faktura har lämnats till inkasso"),
    ),
    NoticeKind.INVOICE_CREDITED: (N_("En faktura har krediterats."), N_("En faktura har krediterats i Vårdnav")),
    # Bookings: the time and place are on the booking's page, never the visit type.
    NoticeKind.BOOKING_CONFIRMED: (N_("Din tid är bokad."), N_("Din tid är bokad i Vårdnav")),
    NoticeKind.BOOKING_CANCELLED: (N_("Mottagningen har avbokat en tid."), N_("En tid har avbokats i Vårdnav")),
    NoticeKind.BOOKING_SUMMONS: (N_("Mottagningen har bokat en tid åt dig."), N_("Du har fått en kallelse i Vårdnav")),
    NoticeKind.BOOKING_OFFER: (
        N_("En tid har blivit ledig. Boka den innan någon annan gör det."),
        N_("En tid har blivit ledig i Vårdnav"),
    ),
    # QA-2: that a survey about a visit waits; never where, what kind of care or why.
    NoticeKind.SURVEY: (
        N_("En kort enkät om ett besök väntar på dig. Berätta gärna vad du tyckte."),
        N_("En enkät om ett besök väntar i Vårdnav"),
    ),
    # QA-5: the day's home measurement; never what is measured or why.
    NoticeKind.MEASUREMENT_REMINDER: (
        N_("Kom ihåg att skriva in dagens hemmamätning."),
        N_("En påminnelse väntar på dig i Vårdnav"),
    ),
}
CHILD_SUFFIX = N_(" Ärendet gäller ditt barn.")
EMAIL_BODY = N_(
    "Hej!\n\n"
    "Du har fått ett nytt meddelande i Vårdnav. Logga in på {url} för att läsa det.\n\n"
    "Av säkerhetsskäl skriver vi aldrig något om din vård i e-post eller sms. "
    "Det här meddelandet går inte att svara på.\n\n"
    "Vänliga hälsningar\nVårdnav\n"
)
SMS_BODY = N_("Vårdnav: Du har fått ett nytt meddelande. Logga in på {url} för att läsa det.")
SUPPORT_SUBJECT = "Ny supportförfrågan i Vårdnav"
SUPPORT_BODY = (
    "Hej!\n\n"
    "Det har kommit en ny supportförfrågan till {provider} i Vårdnav. "
    "Logga in i administrationen för att läsa och hantera den: {url}\n\n"
    "Vänliga hälsningar\nVårdnav\n"
)


def written_for(person: Person) -> AbstractContextManager[None]:
    """Compose an e-mail or SMS to `person` inside this: gettext then answers in their chosen language.

    Why: messages are composed in a task, a sweep or another person's request (staff replying),
    so the language of the request at hand says nothing about the recipient's.
    """
    return translation.override(person.preferred_language or MessageLanguage.SWEDISH)


def public_url(path: str) -> str:
    """An absolute link for e-mail and SMS; the setting names where residents reach the site."""
    return settings.VARDNAV_PUBLIC_URL.rstrip("/") + path


# --- telling people ----------------------------------------------------------------------


def notify_resident(
    person: Person, kind: NoticeKind, *, link: str, login_link: str, for_child: bool = False, protected: bool = False
) -> Notice:
    """An in-app notice to a resident and, where their contact details and consent allow, e-mail and SMS.

    `link` is where the notice leads in the app; `login_link` the page e-mail and
    SMS send them to log in. `for_child` adds that the news concerns their child.
    `protected` keeps it in-app only for a reason the caller knows (e.g. the
    child has protected identity); the recipient's own protection always does.
    Call it inside the transaction of the change it reports.
    """
    text, subject_id = RESIDENT_TEXTS[kind]
    if for_child:
        text += CHILD_SUFFIX
    with transaction.atomic(savepoint=False):
        notice = Notice.objects.create(person=person, kind=kind, text=text, link=link, created_at=clock.now())
        channels = outside_channels(person, protected=protected)
        if not channels:
            return notice
        url = public_url(login_link)
        with written_for(person):
            subject, email_body, sms_body = gettext(subject_id), gettext(EMAIL_BODY), gettext(SMS_BODY)
        event_id = uuid.uuid4().hex
        if OutgoingChannel.EMAIL in channels:
            queue_message(
                event_key=f"{event_id}:email",
                channel=OutgoingChannel.EMAIL,
                recipient=person.email,
                subject=subject,
                body=email_body.format(url=url),
            )
        if OutgoingChannel.SMS in channels:
            queue_message(
                event_key=f"{event_id}:sms",
                channel=OutgoingChannel.SMS,
                recipient=person.phone,
                subject="",
                body=sms_body.format(url=url),
            )
    return notice


def outside_channels(person: Person, *, protected: bool = False) -> list[str]:
    """Where a notice to `person` goes besides the app: e-mail and/or SMS, or nowhere.

    The one answer for sending and for pages that tell the resident how they will
    hear from us (the receipt must not promise an e-mail to someone without one).
    PRIV-3: protected identity keeps notices in-app only; an address could lead to where they live.
    """
    if person.protected_identity or protected:
        return []
    channels: list[str] = []
    if person.email and person.email_confirmed_at is not None:
        channels.append(OutgoingChannel.EMAIL)
    if person.phone and _consented_to_sms(person):
        channels.append(OutgoingChannel.SMS)
    return channels


def _consented_to_sms(person: Person) -> bool:
    """PRIV-6: the mobile number is used only while the resident's consent to share it is in force."""
    return ContactSharingConsent.objects.filter(person=person, withdrawn_at__isnull=True, share_phone=True).exists()


def notify_staff(staff_ids: Iterable[int], kind: NoticeKind, *, text: str, link: str) -> list[Notice]:
    """In-app notices to staff members: staff records hold no e-mail address to write to."""
    now = clock.now()
    return Notice.objects.bulk_create(
        [Notice(staff_id=staff_id, kind=kind, text=text, link=link, created_at=now) for staff_id in staff_ids]
    )


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
        raise NotificationError.INVALID_SUPPORT_REQUEST.error(errors=errors)
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
            AuditEvent.SUPPORT_REQUEST,
            request,
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
    if actor.is_platform:
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
                AuditEvent.SUPPORT_HANDLED,
                locked,
                subject_person_id=locked.sender_id,
            )
    request.handled_at, request.handled_by_id = locked.handled_at, locked.handled_by_id
    return request
