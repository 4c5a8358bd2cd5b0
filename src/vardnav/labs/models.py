"""Referrals and results of a digital visit (VISIT-6, VISIT-7) and the pharmacy blood-pressure check (VISIT-11).

`Lab` is the directory of laboratories a resident may choose from. A
`LabReferral` names tests from the shipped list (`labs.content.TESTS`) and, once
chosen, the lab; its `LabResult` comes back through the integration API and
reaches the resident only after the practitioner has reviewed it. A
`CareReferral` is a referral letter to another care provider. A
`PressureVoucher` is the single-use code for a free measurement at a partner
pharmacy; the resident enters the measurement back as a `HomeMeasurement`.

Every row keeps the case number and loses only the link when the case is purged
after its retention time (as certificates do).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField

SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
PULSE_RANGE = (30, 220)


class Lab(models.Model):
    """A laboratory (provtagningsställe) in the directory residents choose from."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    town = models.CharField(max_length=60)
    street_address = models.CharField(max_length=120)
    postal_code = models.CharField(max_length=6)
    phone = models.CharField(max_length=20, blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)
    drop_in = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "provtagningsställe"
        verbose_name_plural = "provtagningsställen"
        ordering = ["town", "name"]
        indexes = [models.Index(fields=["is_active", "town", "name"], name="lab_directory")]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}"


class ReferralStatus(models.TextChoices):
    AWAITING_LAB = "awaiting_lab", _("Välj provtagningsställe")
    SENT = "sent", _("Klar att ta prover")
    RESULT_RECEIVED = "result_received", _("Provsvar har kommit, bedöms av vården")
    REVIEWED = "reviewed", _("Provsvaret är bedömt")


class LabChooser(models.TextChoices):
    RESIDENT = "resident", _("Invånaren valde")
    PRACTITIONER = "practitioner", _("Valt tillsammans med behandlaren")


class LabReferral(models.Model):
    """A referral for tests (remiss för provtagning), written by the visit's doctor (VISIT-6)."""

    number = models.CharField(max_length=12, unique=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_number = models.CharField(max_length=12)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lab_referrals")
    issued_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    tests = EncryptedJSONField()  # codes of labs.content.TESTS: which tests can say what is suspected
    question = EncryptedTextField(blank=True, default="")
    lab = models.ForeignKey(Lab, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lab_chosen_by = models.CharField(max_length=20, choices=LabChooser.choices, blank=True)
    lab_chosen_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)

    class Meta:
        verbose_name = "remiss för provtagning"
        verbose_name_plural = "remisser för provtagning"
        indexes = [
            models.Index(fields=["subject", "-issued_at", "-id"], name="lab_referral_subject"),
            models.Index(fields=["case", "-issued_at"], name="lab_referral_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="awaiting_lab") | Q(lab__isnull=False), name="lab_referral_sent_has_lab"
            )
        ]

    def __str__(self) -> str:
        return self.number


class LabResult(models.Model):
    """The lab's answer to a referral, posted through the integration API; shown to the resident once reviewed."""

    referral = models.OneToOneField(LabReferral, on_delete=models.CASCADE, related_name="result")
    values = EncryptedJSONField()  # [{code, value, unit, reference, abnormal}]
    lab_comment = EncryptedTextField(blank=True, default="")
    body_hash = models.CharField(max_length=64)  # the posted result, to answer a repeat the same way
    received_at = models.DateTimeField()
    received_via_token_id = models.PositiveBigIntegerField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = EncryptedTextField(blank=True, default="")

    class Meta:
        verbose_name = "provsvar"
        verbose_name_plural = "provsvar"

    def __str__(self) -> str:
        return f"LabResult {self.pk}"


class CareReferral(models.Model):
    """A referral letter to another care provider (VISIT-7): the resident downloads it and brings or sends it."""

    number = models.CharField(max_length=12, unique=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_number = models.CharField(max_length=12)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_referrals")
    issued_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    recipient = models.CharField(max_length=200)
    reason = EncryptedTextField()

    class Meta:
        verbose_name = "remiss till annan vårdgivare"
        verbose_name_plural = "remisser till andra vårdgivare"
        indexes = [models.Index(fields=["subject", "-issued_at", "-id"], name="care_referral_subject")]

    def __str__(self) -> str:
        return self.number


class PressureVoucher(models.Model):
    """A single-use code for a free blood-pressure measurement at a partner pharmacy (VISIT-11).

    The code is kept encrypted (the resident's page shows it as a barcode) and
    found by its hash when a pharmacy checks it; redeeming it is one update.
    """

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_number = models.CharField(max_length=12)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pressure_vouchers")
    issued_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    code = EncryptedTextField()
    code_hash = models.CharField(max_length=64, unique=True)
    emailed = models.BooleanField(default=False)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_via_token_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "kod för blodtrycksmätning"
        verbose_name_plural = "koder för blodtrycksmätning"
        indexes = [models.Index(fields=["subject", "-issued_at", "-id"], name="pressure_voucher_subject")]

    def __str__(self) -> str:
        return f"PressureVoucher {self.pk}"


class HomeMeasurement(models.Model):
    """A blood-pressure measurement the resident enters (from the pharmacy or at home), shown on the visit."""

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="home_measurements")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voucher = models.ForeignKey(PressureVoucher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    systolic = models.PositiveSmallIntegerField()
    diastolic = models.PositiveSmallIntegerField()
    pulse = models.PositiveSmallIntegerField()
    measured_on = models.DateField()
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = "hemmamätning av blodtryck"
        verbose_name_plural = "hemmamätningar av blodtryck"
        indexes = [models.Index(fields=["case", "-measured_on", "-id"], name="home_measurement_case")]
        constraints = [
            models.CheckConstraint(
                condition=Q(systolic__gte=SYSTOLIC_RANGE[0], systolic__lte=SYSTOLIC_RANGE[1])
                & Q(diastolic__gte=DIASTOLIC_RANGE[0], diastolic__lte=DIASTOLIC_RANGE[1])
                & Q(pulse__gte=PULSE_RANGE[0], pulse__lte=PULSE_RANGE[1])
                & Q(systolic__gt=models.F("diastolic")),
                name="home_measurement_ranges",
            )
        ]

    def __str__(self) -> str:
        return f"HomeMeasurement {self.pk}"
