"""Files attached to cases and messages (ATT-1..ATT-8).

A row describes one stored, encrypted, validated file. The file itself lives in
the "attachments" storage under a key we generate (never the user's file name);
its data key is wrapped with the field-encryption keys and kept here, so a copy
of the bucket alone reveals nothing (REC-10). Rows are inserted, attached to a
message once, and removed only with their case (CASE-8) or, while still staged
and never sent, by their uploader or the orphan sweep. No code path rewrites a
stored file (ATT-6).
"""

from __future__ import annotations

from django.db import models

from vardnav.core.crypto import EncryptedTextField


class AttachmentState(models.TextChoices):
    STAGED = "staged", "Inte skickad"
    SENT = "sent", "Skickad"


class Attachment(models.Model):
    key = models.CharField(max_length=120, unique=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        "cases.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
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
            models.Index(fields=["message", "id"], name="attachment_message"),
            models.Index(fields=["case", "state", "created_at"], name="attachment_case_state"),
            models.Index(fields=["state", "created_at"], name="attachment_state_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="staged") | models.Q(message__isnull=False),
                name="attachment_sent_has_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.pk}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
