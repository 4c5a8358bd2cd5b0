"""Identity data that outlives a session: consent to share contact details (PRIV-6).

Logins themselves leave no rows here: the session holds the identity and the
audit log records each login.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ContactSharingConsent(models.Model):
    """A resident's consent to let connected care providers use their e-mail and/or mobile number (PRIV-6).

    Why a history instead of two booleans on Person: a care provider that sent a
    message must be able to show that consent was in force at that moment, so a
    consent is never edited. Giving consent again withdraws the active row and
    adds a new one; at most one row per person is active (withdrawn_at is null).
    Only providers with a care relation may use the details, only to send
    messages, never for marketing.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contact_sharing_consents")
    share_email = models.BooleanField(default=False)
    share_phone = models.BooleanField(default=False)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "samtycke till delning av kontaktuppgifter"
        verbose_name_plural = "samtycken till delning av kontaktuppgifter"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(withdrawn_at__isnull=True), name="one_active_contact_consent"
            ),
            models.CheckConstraint(
                condition=Q(share_email=True) | Q(share_phone=True), name="contact_consent_shares_something"
            ),
        ]
        indexes = [models.Index(fields=["person", "-given_at"], name="contact_consent_history")]

    def __str__(self) -> str:
        return f"Contact sharing consent {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
