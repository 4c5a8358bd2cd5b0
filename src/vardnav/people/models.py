"""People: residents and guardians, identified by personal number.

Names and contact details are encrypted at rest (REC-10); the personal number is
encrypted too and found through a blind index. A person with protected identity
(PRIV-1) has only the personal number stored.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from vardnav.core.crypto import BlindIndexField, EncryptedTextField
from vardnav.core.personal_number import PersonalNumber, age_on


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
