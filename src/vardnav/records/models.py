"""The patient record (journal): signed record notes on a case.

A note is signed when it is saved and never changes afterwards (PDL 3 kap.):
a correction or addition is a new note that points at the old one
(`amends`). The model refuses updates and deletes, and so does the database
(migration 0002's triggers), with one exception: when a case is purged after
its retention period (CASE-8) the note's link to it is cleared, because the
record is kept far longer than the case (PDL 3 kap. 17 §: at least ten years).
That is why a note carries its own copy of the subject, unit, provider and case
number. Text and diagnosis codes are encrypted at rest (REC-10).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField
from vardnav.organizations.models import Profession


class RecordIsImmutable(RuntimeError):
    """Raised when code tries to change or remove a signed note: a programming error, never a user's."""


class NoteKind(models.TextChoices):
    NOTE = "note", "Journalanteckning"
    SUMMARY = "summary", "Sammanfattning"


class ImmutableQuerySet(models.QuerySet["RecordNote"]):
    """Refuses bulk changes (which would bypass save()/delete()); only unlinking a purged case is let through."""

    def update(self, **kwargs: Any) -> int:
        if set(kwargs) == {"case"} and kwargs["case"] is None:
            return super().update(**kwargs)
        raise RecordIsImmutable("signed record notes cannot be changed")

    def delete(self) -> NoReturn:
        raise RecordIsImmutable("signed record notes cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise RecordIsImmutable("signed record notes cannot be changed")


ImmutableManager = models.Manager.from_queryset(ImmutableQuerySet)


class RecordNote(models.Model):
    """One signed note by a member of staff about the resident's care in a case."""

    # Not hidden (related_name "+"): the case purge (CASE-8) unlinks every nullable PROTECT reference it can see.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="record_notes")
    case_number = models.CharField(max_length=12)
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    body = EncryptedTextField()
    # ICD-10-SE codes from the list the project ships (records.diagnoses); encrypted: a diagnosis is health data.
    diagnosis_codes = EncryptedJSONField(default=list, blank=True)
    # VISIT-10: a summary note the resident reads in "Min journal".
    shared_with_resident = models.BooleanField(default=False)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    # The author's profession when signing: a later change of title does not rewrite the record.
    author_profession = models.CharField(max_length=20, choices=Profession.choices)
    signed_at = models.DateTimeField()

    objects = ImmutableManager()

    class Meta:
        verbose_name = "journalanteckning"
        verbose_name_plural = "journalanteckningar"
        indexes = [
            # A case's notes for staff, oldest first.
            models.Index(fields=["case", "signed_at", "id"], name="record_note_case_time"),
            # "Min journal": a resident's shared notes, newest first (keyset on signed_at, id).
            models.Index(
                fields=["subject", "-signed_at", "-id"],
                condition=models.Q(shared_with_resident=True),
                name="record_note_shared_by_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared_with_resident=False) | models.Q(kind="summary"),
                name="record_note_only_summaries_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"RecordNote {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordIsImmutable("a signed record note cannot be changed; write an amendment")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RecordIsImmutable("a signed record note cannot be deleted")
