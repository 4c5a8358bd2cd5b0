"""Certificates (intyg): sick notes and certificates that the resident sought care, issued on a case.

A certificate is issued by the doctor handling the case (a digital visit, or a
request through the certificate e-services, CERT-4) and kept for the resident
to download as a PDF; nothing is forwarded anywhere (CERT-3).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField

DEFAULT_SICK_NOTE_MAX_DAYS = 14


class CertificatePolicy(models.Model):
    """A provider's rules for certificates (CERT-2): how many days a sick note may cover."""

    provider = models.OneToOneField(
        "organizations.CareProvider", on_delete=models.CASCADE, related_name="certificate_policy"
    )
    sick_note_max_days = models.PositiveSmallIntegerField(
        default=DEFAULT_SICK_NOTE_MAX_DAYS, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )

    class Meta:
        verbose_name = "intygspolicy"
        verbose_name_plural = "intygspolicyer"

    def __str__(self) -> str:
        return f"CertificatePolicy {self.provider_id}"


class CertificateKind(models.TextChoices):
    SICK_NOTE = "sick_note", _("Läkarintyg för sjukpenning (sjukintyg)")
    CARE_SOUGHT = "care_sought", _("Intyg om att du har sökt vård")


class WorkReduction(models.TextChoices):
    """How much the work capacity is reduced (Försäkringskassan's levels)."""

    QUARTER = "quarter", _("En fjärdedel")
    HALF = "half", _("Hälften")
    THREE_QUARTERS = "three_quarters", _("Tre fjärdedelar")
    FULL = "full", _("Helt nedsatt")


class Certificate(models.Model):
    number = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    # The case it was issued in; kept (without the link) when the case is purged after its retention time.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_number = models.CharField(max_length=12)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="certificates")
    issued_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    care_sought_on = models.DateField()
    sick_from = models.DateField(null=True, blank=True)
    sick_to = models.DateField(null=True, blank=True)
    reduction = models.CharField(max_length=20, choices=WorkReduction.choices, blank=True)
    statement = EncryptedTextField()
    # CERT-1: the doctor attests that no physical examination was needed.
    no_physical_examination_needed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "intyg"
        verbose_name_plural = "intyg"
        indexes = [
            models.Index(fields=["subject", "-issued_at", "-id"], name="certificate_subject_time"),
            models.Index(fields=["subject", "provider", "kind", "sick_to"], name="certificate_sick_leave"),
        ]

    def __str__(self) -> str:
        return self.number
