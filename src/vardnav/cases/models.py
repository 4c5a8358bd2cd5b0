"""Cases (ärenden) and their messages.

A case and every message in it are immutable once sent (CASE-5): rows are only
ever inserted, and the few case columns that move (status, assignee, read
marks) describe the handling, never what the resident or staff wrote. Content
is encrypted at rest (REC-10).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from vardnav.attachments.models import Attachment, Folder
from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField

# How the attachments store knows a case's files: sent with a message, kept in the case's folder.
MESSAGE_FILES = "cases.message"


class CaseStatus(models.TextChoices):
    NEW = "new", _("Ny")
    ASSIGNED = "assigned", _("Fördelad")
    WAITING_FOR_RESIDENT = "waiting_for_resident", _("Väntar på invånaren")
    ANSWERED = "answered", _("Besvarad")
    CLOSED = "closed", _("Avslutad")


# What a resident reads: the staff words ("Fördelad", "Väntar på invånaren") say nothing to them.
RESIDENT_STATUS_LABELS: dict[str, Any] = {
    CaseStatus.NEW: _("Skickat – väntar på mottagningen"),
    CaseStatus.ASSIGNED: _("Mottagningen arbetar med ärendet"),
    CaseStatus.WAITING_FOR_RESIDENT: _("Väntar på ditt svar"),
    CaseStatus.ANSWERED: _("Besvarat"),
    CaseStatus.CLOSED: _("Avslutat"),
}

OPEN_STATUSES = [CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.WAITING_FOR_RESIDENT, CaseStatus.ANSWERED]


class Channel(models.TextChoices):
    WEB = "web", _("Webb")
    API = "api", _("App")
    EXTERNAL = "external", _("Annan kanal")
    PHONE = "phone", _("Telefon")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Besvarat")
    PRESCRIBED = "prescribed", _("Recept förnyat")
    DECLINED = "declined", _("Avböjt")
    BOOKED = "booked", _("Tid bokad")
    REFERRED = "referred", _("Hänvisad")
    DUPLICATE = "duplicate", _("Dubblett")


class Case(models.Model):
    # Set for display by the staff inbox (labels of the case's flags); not a column.
    flag_labels: list[tuple[str, str]]
    # Set by a submission for the case extensions' on_submitted: what the offer's query read about the
    # service (catalog.access.register_offer_fact), so they need not ask again; not a column.
    offer_facts: Mapping[str, Any] = MappingProxyType({})

    number = models.CharField(max_length=12, unique=True)
    # Foreign keys without an index of their own (db_index=False) are either covered by a
    # composite index below or never queried by the referenced id alone (their rows are
    # never deleted: PROTECT); every submission would otherwise maintain nine more indexes.
    provider = models.ForeignKey(
        "organizations.CareProvider", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="cases", db_index=False)
    questionnaire = models.ForeignKey(
        "catalog.Questionnaire", on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases", db_index=False)
    submitted_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", db_index=False)
    registered_by_staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    answers = EncryptedJSONField()
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.NEW)
    routed_role = models.CharField(max_length=20)
    assigned_to = models.ForeignKey(
        "organizations.Staff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        db_index=False,
    )
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField()
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    # Compared within one person's cases of one service (case_subject_service_time), never looked up.
    content_fingerprint = models.CharField(max_length=64)
    resident_unread = models.BooleanField(default=False)
    staff_unread = models.BooleanField(default=True)

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        indexes = [
            # The inbox: a unit's open cases by deadline (keyset on due_at, id).
            models.Index(
                fields=["unit", "due_at", "id"],
                condition=~models.Q(status="closed"),
                name="case_inbox_open_by_due",
            ),
            # A handler's own open cases.
            models.Index(
                fields=["assigned_to", "due_at", "id"],
                condition=~models.Q(status="closed"),
                name="case_handler_open_by_due",
            ),
            # "Mina ärenden": a resident's cases, newest activity first.
            models.Index(fields=["subject", "-last_activity_at", "-id"], name="case_resident_by_activity"),
            # Duplicate detection (CASE-6) and retention (CASE-8).
            models.Index(fields=["subject", "service", "submitted_at"], name="case_subject_service_time"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def resident_status_label(self) -> str:
        """The status in the resident's words (RESIDENT_STATUS_LABELS), not the staff's."""
        return str(RESIDENT_STATUS_LABELS.get(self.status, self.get_status_display()))

    @property
    def file_folder(self) -> Folder:
        """Where files for this case are uploaded, staged and kept (attachments' owner ids)."""
        return Folder(MESSAGE_FILES, self.pk)


class CaseReading(models.Model):
    """When a staff member last opened a case (issue 11: "Oläst" in the inbox means unread by me).

    One row per case and staff member, moved forward on every opening. The case is
    unread by them while it has activity (last_activity_at) after their read_at,
    or they have never opened it. The unique index (case, staff) is what the inbox's
    per-row EXISTS looks up, so the inbox keeps its query count and its plan.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="readings")
    staff = models.ForeignKey("organizations.Staff", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "staff"], name="unique_case_reading")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.staff_id}"


class InboxCount(models.Model):
    """How many open cases one part of a unit's inbox holds, kept by the database (issue 13).

    Why: counting a unit's new and open cases on every inbox request cost time in
    proportion to the unit's open cases. These rows are kept by triggers on
    cases_case (`cases.inbox_counts`), in the transaction of every insert, update
    and delete, whatever code writes the case (the engine's actions, intake, the
    demo, tests, a migration), so the inbox sums a few rows per unit instead.

    A part is (unit, assignee, pool, new): `assignee_id` is the assigned staff
    member's id or 0 (not a foreign key, so the key has no null), `pool` the routed
    role of an unassigned case ("" once assigned), `is_new` whether the status is
    new. Unassigned cases spread over `SLOTS` rows by case id (`slot`), so
    concurrent submissions to one unit do not queue for one row's lock; an
    assigned case counts in slot 0. Rows are never read one by one, only summed.
    `manage.py check_inbox_counts` compares them with a count of the cases.
    """

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    assignee_id = models.BigIntegerField()
    pool = models.CharField(max_length=20)
    is_new = models.BooleanField()
    slot = models.SmallIntegerField()
    n = models.IntegerField()

    # Rows the database derives from cases_case: the demo snapshot (demo.snapshot) does not copy them.
    derived = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "assignee_id", "pool", "is_new", "slot"], name="inbox_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.assignee_id}/{self.pool}/{self.is_new}/{self.slot}: {self.n}"


class ReadCount(models.Model):
    """How many open cases of a unit one staff member has read since their last activity (issue 13).

    Why: the inbox's "olästa" (unread by me) is the open cases in the staff member's
    scope less those they have read since the case last changed. Counting the second
    part from their readings cost time in proportion to what they had opened, which
    for a receiver who opens every case is the unit's open cases. These rows are kept
    by triggers (`cases.inbox_counts`) on cases_casereading (an opening moves a
    reading forward) and on cases_case (new activity, a closing, a move or an
    assignment changes what a case's few readers have read), in the same transaction.

    `part` says where the case sits for this reader, so a handler's scope (the cases
    assigned to them and the handler pool's unassigned ones, as `access._handler_scope`)
    is a sum of two parts and a receiver's the sum of all three: 1 assigned to the
    reader, 2 unassigned and routed to the handler role, 0 any other.
    """

    staff_id = models.BigIntegerField()
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    part = models.SmallIntegerField()
    n = models.IntegerField()

    # The parts (cases.inbox_counts._part writes the same numbers in SQL).
    OTHER = 0
    ASSIGNED_TO_READER = 1
    HANDLER_POOL = 2

    # Rows the database derives from cases_casereading and cases_case: the demo snapshot does not copy them.
    derived = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff_id", "unit", "part"], name="read_count_key")]

    def __str__(self) -> str:
        return f"{self.staff_id}/{self.unit_id}/{self.part}: {self.n}"


class CaseFlag(models.Model):
    """A visible flag on a case for staff (e.g. a probable duplicate, an addictive medicine)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="unique_case_flag")]
        indexes = [models.Index(fields=["code", "case"], name="case_flag_code")]

    def __str__(self) -> str:
        return self.code


class MessageKind(models.TextChoices):
    SUBMISSION = "submission", _("Ärende")
    RESIDENT_MESSAGE = "resident_message", _("Meddelande från invånaren")
    QUESTION = "question", _("Motfråga")
    PARTIAL_REPLY = "partial_reply", _("Delsvar")
    REPLY = "reply", _("Svar")
    NOTE = "note", _("Intern anteckning")


RESIDENT_VISIBLE_KINDS = [
    MessageKind.SUBMISSION,
    MessageKind.RESIDENT_MESSAGE,
    MessageKind.QUESTION,
    MessageKind.PARTIAL_REPLY,
    MessageKind.REPLY,
]


class Message(models.Model):
    # Set for display by cases.access.with_files (the files sent with the message); not a column.
    files: list[Attachment]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    author_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField(blank=True, default="")
    form_answers = EncryptedJSONField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="message_case_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("a sent message cannot be changed (CASE-5)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("a sent message cannot be deleted (CASE-5)")
