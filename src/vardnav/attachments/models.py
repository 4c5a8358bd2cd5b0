"""Stored files and the owners they belong to, known by id (ATT-1..ATT-8).

A row describes one stored, encrypted, validated file. The file itself lives in
the "attachments" storage under a key we generate (never the user's file name);
its data key is wrapped with the field-encryption keys and kept here, so a copy
of the bucket alone reveals nothing (REC-10). Rows are inserted, linked to an
owner once, and removed only with their folder (the case app's retention,
CASE-8) or, while still staged and never sent, by their uploader or the orphan
sweep. No code path rewrites a stored file (ATT-6).

Why ids and not foreign keys: this app is a file store that other apps use; it
must not know their models. The app that owns the files names them by
`owner_type` (the kind of thing a file is sent with, e.g. "cases.message"),
`folder_id` (where the file is uploaded and waits until it is sent; for
"cases.message" the case) and `owner_id` (the message it was sent with, null
while staged). That app deletes a folder's rows when it deletes the folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from vardnav.core.crypto import EncryptedTextField


@dataclass(frozen=True)
class Folder:
    """Where an owning app's files are uploaded, staged and kept: e.g. ("cases.message", case id)."""

    owner_type: str
    folder_id: int


class AttachmentState(models.TextChoices):
    STAGED = "staged", "Inte skickad"
    SENT = "sent", "Skickad"


class Attachment(models.Model):
    key = models.CharField(max_length=120, unique=True)
    owner_type = models.CharField(max_length=40)
    folder_id = models.PositiveBigIntegerField()
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Whose personal data the file is (the case's subject): audit entries about the file name them.
    subject_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=AttachmentState.choices, default=AttachmentState.STAGED)
    uploaded_by_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The user's file name can say a lot ("hiv-test.pdf"): encrypted, and only ever shown or sent back.
    file_name = EncryptedTextField()
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=1)  # PDF pages or GIF frames
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    wrapped_key = EncryptedTextField()  # the file's own AES-256-GCM key, Fernet-wrapped
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "bifogad fil"
        verbose_name_plural = "bifogade filer"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["owner_type", "owner_id", "id"], name="attachment_owner"),
            models.Index(fields=["owner_type", "folder_id", "state", "created_at"], name="attachment_folder_state"),
            models.Index(fields=["state", "created_at"], name="attachment_state_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="staged") | models.Q(owner_id__isnull=False),
                name="attachment_sent_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.pk}"

    @property
    def folder(self) -> Folder:
        return Folder(self.owner_type, self.folder_id)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
