"""People: residents and guardians, identified by personal number.

Names and contact details are encrypted at rest (REC-10); the personal number is
encrypted too and found through a blind index. A person with protected identity
(PRIV-1) has only the personal number stored.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from vardnav.core.crypto import BlindIndexField, EncryptedTextField
from vardnav.core.personal_number import PersonalNumber, age_on


class MessageLanguage(models.TextChoices):
    """The languages e-mail and SMS to a resident can be written in (the site's languages)."""

    SWEDISH = "sv", "Svenska"
    ENGLISH = "en", "English"


class Person(models.Model):
    """A resident as the population register knows them.

    Created and updated only through people.actions (do_sync_person_from_register,
    do_update_contact), never by calling save() from outside.
    """

    personal_number = EncryptedTextField(help_text="12 digits, YYYYMMDDNNNC")
    personal_number_index = BlindIndexField(source="personal_number", unique=True)
    is_coordination_number = models.BooleanField(default=False)
    birth_date = models.DateField(db_index=True)
    given_name = EncryptedTextField(blank=True, default="")
    surname = EncryptedTextField(blank=True, default="")
    protected_identity = models.BooleanField(default=False)
    email = EncryptedTextField(blank=True, default="")
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    phone = EncryptedTextField(blank=True, default="")
    # The language e-mail and SMS are written in (set by the language switch and on the profile).
    preferred_language = models.CharField(
        max_length=2, choices=MessageLanguage.choices, default=MessageLanguage.SWEDISH
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"

    def __str__(self) -> str:
        # Never the name or number: __str__ ends up in logs and error reports.
        return f"Person {self.pk}"

    @property
    def number(self) -> PersonalNumber:
        return PersonalNumber(self.personal_number)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}".strip()

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


class GuardianRelation(models.Model):
    """A guardian (vårdnadshavare) of a child, as the population register says (ID-4)."""

    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="child_relations")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardian_relations")
    verified_at = models.DateTimeField(help_text="When the population register last confirmed the relation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guardian", "child"], name="unique_guardian_child")]

    def __str__(self) -> str:
        return f"Guardian {self.guardian_id} of {self.child_id}"


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
        # Moved here from identity, which created the table: the name stays.
        db_table = "identity_contactsharingconsent"
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
