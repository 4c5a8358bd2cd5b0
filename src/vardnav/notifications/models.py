"""Notices in the app, the outbox of e-mail and SMS, and support requests (CASE-9, PRIV-3, ORG-6).

Why an outbox table beside the task queue: the task row (django_tasks_db) says
"deliver message N"; the OutgoingMessage row says what N is and whether it has
gone. A task may run twice (a worker dies after sending but before recording
it, a stale message is requeued); the message row, locked while it is sent and
marked sent in the same transaction, makes the second run a no-op. Nothing in
these rows carries health data: texts say only that there is news and where to
log in. Addresses are personal data and stored encrypted (REC-10).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField


class NoticeKind(models.TextChoices):
    PARTIAL_REPLY = "partial_reply", "Delsvar"
    QUESTION = "question", "Motfråga"
    REPLY = "reply", "Svar"
    CLOSED = "closed", "Avslutat ärende"
    OVERDUE = "overdue", "Passerad svarstid"
    FEE_CHANGED = "fee_changed", "Ändrad avgift"
    VACCINATION_REMINDER = "vaccination_reminder", "Vaccinationspåminnelse"
    INVOICE = "invoice", "Faktura"
    INVOICE_REMINDER = "invoice_reminder", "Påminnelse om faktura"
    INVOICE_COLLECTION = "invoice_collection", "Faktura till inkasso"
    INVOICE_CREDITED = "invoice_credited", "Krediterad faktura"
    BOOKING_CONFIRMED = "booking_confirmed", "Bokad tid"
    BOOKING_CANCELLED = "booking_cancelled", "Avbokad tid"
    BOOKING_SUMMONS = "booking_summons", "Kallelse"
    BOOKING_OFFER = "booking_offer", "Ledig tid från väntelistan"
    MEETING_ANSWER = "meeting_answer", "Svar om videomöte"
    LAB_RESULT = "lab_result", "Nytt provsvar"
    SURVEY = "survey", "Enkät om ett besök"

    MEASUREMENT_REMINDER = "measurement_reminder", "Påminnelse om hemmamätning"
    MEASUREMENTS_DONE = "measurements_done", "Hemmamätning klar"


class Notice(models.Model):
    """An in-app notice (notis) to a resident or a staff member: that something happened, and where."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notis"
        verbose_name_plural = "notiser"
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(staff__isnull=True))
                | (Q(person__isnull=True) & Q(staff__isnull=False)),
                name="notice_has_one_recipient",
            ),
        ]
        indexes = [
            # The list page (newest first, keyset on id) and the unread count.
            models.Index(fields=["person", "-id"], name="notice_person_newest"),
            models.Index(fields=["staff", "-id"], name="notice_staff_newest"),
            models.Index(fields=["person"], condition=Q(read_at__isnull=True), name="notice_person_unread"),
            models.Index(fields=["staff"], condition=Q(read_at__isnull=True), name="notice_staff_unread"),
        ]

    def __str__(self) -> str:
        return f"Notice {self.pk} ({self.kind})"


class OutgoingChannel(models.TextChoices):
    EMAIL = "email", "E-post"
    SMS = "sms", "SMS"


class OutgoingStatus(models.TextChoices):
    QUEUED = "queued", "Köad"
    SENT = "sent", "Skickad"
    FAILED = "failed", "Misslyckad"


class OutgoingMessage(models.Model):
    """One e-mail or SMS to send, at least once, identified by its event key."""

    event_key = models.CharField(max_length=120, unique=True, help_text="De-duplicates retried deliveries")
    channel = models.CharField(max_length=10, choices=OutgoingChannel.choices)
    recipient = EncryptedTextField()
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # A message that carries a secret (a booking's cancellation code) keeps its
    # real text here, encrypted, and `body` holds a copy with the secret masked
    # (what the outbox page and the admin show). Both this and the attachments
    # are emptied once the message is sent.
    secret_body = EncryptedTextField(blank=True, default="")
    # Files sent with an e-mail (a booking's invite.ics, a blood-pressure code's barcode image), kept encrypted
    # because they may carry the same secret: [{"filename", "mimetype", "content" (base64)}] (outbox.Attachment).
    attachments = EncryptedJSONField(blank=True, default=list, help_text="Files sent with the e-mail")
    status = models.CharField(max_length=10, choices=OutgoingStatus.choices, default=OutgoingStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True, help_text="Error type only, never an address")
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "utskick"
        verbose_name_plural = "utskick"
        indexes = [
            # The sweep for queued messages whose task was lost (a worker killed mid-task).
            models.Index(fields=["next_attempt_at"], condition=Q(status="queued"), name="outgoing_queued_due"),
            models.Index(fields=["-id"], name="outgoing_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.pk} ({self.status})"


class SupportCategory(models.TextChoices):
    QUESTION = "question", _("Fråga")
    FEEDBACK = "feedback", _("Synpunkt eller förslag")
    TECHNICAL = "technical", _("Tekniskt problem")


class SupportRequest(models.Model):
    """A question or feedback to a care provider's support (ORG-6). The text is encrypted: it may say anything."""

    provider = models.ForeignKey(
        "organizations.CareProvider", on_delete=models.PROTECT, related_name="support_requests"
    )
    category = models.CharField(max_length=20, choices=SupportCategory.choices)
    text = EncryptedTextField()
    reply_to = EncryptedTextField(blank=True, default="", help_text="An anonymous sender's address for the answer")
    sender = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="support_requests"
    )
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "supportförfrågan"
        verbose_name_plural = "supportförfrågningar"
        indexes = [models.Index(fields=["provider", "-created_at", "-id"], name="support_provider_newest")]

    def __str__(self) -> str:
        return f"Supportförfrågan {self.pk}"
