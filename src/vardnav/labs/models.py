"""Referrals and results of a digital visit (VISIT-6, VISIT-7) and the pharmacy blood-pressure check (VISIT-11).

`Lab` is the directory of laboratories a resident may choose from. A
`LabReferral` names tests from the shipped list (`labs.content.TESTS`) and, once
chosen, the lab; its `LabResult` comes back through the integration API and
reaches the resident only after the practitioner has reviewed it. A
`CareReferral` is a referral letter to another care provider. A
`PressureVoucher` is the single-use code for a free measurement at a partner
pharmacy; the resident enters the measurement back as a `HomeMeasurement`.

A `MeasurementPeriod` (QA-5) is a home measurement the practitioner orders on a
visit: a PEF diary or home spirometry, morning and evening for (by default)
14 days. The resident's daily readings are `HomeMeasurement` rows of the
period's kind, the same model as the blood pressure's: one table of values a
resident measured at home, each kind's ranges kept by one database constraint.
The period ends with the practitioner's signed summary note (records), which it
links.

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
# QA-5: plausible ranges of a home reading (adults and children); a value outside is a typo or a faulty
# device, refused with a message at its field and by the database constraint.
PEF_RANGE = (50, 900)  # litres per minute
FEV1_RANGE_ML = (200, 7000)
FVC_RANGE_ML = (300, 9000)
PERIOD_DAYS_RANGE = (3, 28)


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


class MeasurementKind(models.TextChoices):
    """What a home measurement measures. Blood pressure comes with the pharmacy code (VISIT-11); the lung
    function kinds with a period the practitioner orders (QA-5). A new kind adds its values and ranges."""

    BLOOD_PRESSURE = "blood_pressure", _("Blodtryck")
    PEF = "pef", _("PEF-dagbok")
    SPIROMETRY = "spirometry", _("Hemspirometri (FEV1, FVC och PEF)")


class MeasurementFrequency(models.TextChoices):
    MORNING_AND_EVENING = "morning_evening", _("Morgon och kväll")
    MORNING = "morning", _("Varje morgon")


class MeasurementSlot(models.TextChoices):
    MORNING = "morning", _("Morgon")
    EVENING = "evening", _("Kväll")


class PeriodStatus(models.TextChoices):
    ACTIVE = "active", _("Pågår")
    CONCLUDED = "concluded", _("Sammanfattad")


class MeasurementPeriod(models.Model):
    """A home measurement period ordered on a digital visit (QA-5): what, how long, how often.

    The days run from `starts_on` to `ends_on` (both included, `days` of them).
    The practitioner is told once when it is complete or over
    (`complete_notified_at`); it ends with the practitioner's signed summary note
    with the diagnosis (`summary_note`), which names the period in its text.
    """

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_number = models.CharField(max_length=12)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="measurement_periods")
    ordered_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    days = models.PositiveSmallIntegerField()
    frequency = models.CharField(max_length=20, choices=MeasurementFrequency.choices)
    after_bronchodilator = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.ACTIVE)
    complete_notified_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    summary_note = models.ForeignKey(
        "records.RecordNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "hemmamätningsperiod"
        verbose_name_plural = "hemmamätningsperioder"
        indexes = [
            models.Index(fields=["subject", "-ordered_at", "-id"], name="measurement_period_subject"),
            models.Index(fields=["case", "-ordered_at"], name="measurement_period_case"),
            # The reminder and end-notice sweeps read the active periods by their dates.
            models.Index(fields=["status", "ends_on"], name="measurement_period_sweep"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=PERIOD_DAYS_RANGE[0], days__lte=PERIOD_DAYS_RANGE[1])
                & Q(ends_on__gte=models.F("starts_on")),
                name="measurement_period_days",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(summary_note__isnull=False, concluded_at__isnull=False),
                name="measurement_period_concluded_has_note",
            ),
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(status="active"), name="measurement_period_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"MeasurementPeriod {self.pk}"

    @property
    def slots(self) -> list[str]:
        if self.frequency == MeasurementFrequency.MORNING:
            return [MeasurementSlot.MORNING]
        return [MeasurementSlot.MORNING, MeasurementSlot.EVENING]


def _between(name: str, low_high: tuple[int, int]) -> Q:
    return Q(**{f"{name}__gte": low_high[0], f"{name}__lte": low_high[1]})


def _absent(*names: str) -> Q:
    return Q(**{f"{name}__isnull": True for name in names})


class HomeMeasurement(models.Model):
    """A value the resident measured at home (or at the pharmacy) and entered, shown on the visit.

    Blood pressure (VISIT-11) joins the visit of the pharmacy code; a PEF or
    spirometry reading (QA-5) belongs to a period, a time slot of a day, before
    or after a bronchodilator. A reading is never changed: a correction is a new
    row pointing at the slot's first reading (`corrects`), and the latest
    correction is the one that counts (labs.figures).
    """

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="home_measurements")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    voucher = models.ForeignKey(PressureVoucher, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=MeasurementKind.choices, default=MeasurementKind.BLOOD_PRESSURE)
    period = models.ForeignKey(
        MeasurementPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="readings"
    )
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    pef = models.PositiveSmallIntegerField(null=True, blank=True)  # litres per minute
    fev1_ml = models.PositiveSmallIntegerField(null=True, blank=True)
    fvc_ml = models.PositiveSmallIntegerField(null=True, blank=True)
    slot = models.CharField(max_length=10, choices=MeasurementSlot.choices, blank=True)
    after_bronchodilator = models.BooleanField(default=False)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    measured_on = models.DateField()
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = "hemmamätning"
        verbose_name_plural = "hemmamätningar"
        indexes = [
            models.Index(fields=["case", "-measured_on", "-id"], name="home_measurement_case"),
            models.Index(fields=["period", "measured_on", "id"], name="home_measurement_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="blood_pressure")
                    & _between("systolic", SYSTOLIC_RANGE)
                    & _between("diastolic", DIASTOLIC_RANGE)
                    & _between("pulse", PULSE_RANGE)
                    & Q(systolic__gt=models.F("diastolic"))
                    & _absent("pef", "fev1_ml", "fvc_ml")
                )
                | (
                    Q(kind="pef")
                    & _between("pef", PEF_RANGE)
                    & (_absent("fev1_ml") | _between("fev1_ml", FEV1_RANGE_ML))
                    & _absent("fvc_ml", "systolic", "diastolic", "pulse")
                )
                | (
                    Q(kind="spirometry")
                    & _between("pef", PEF_RANGE)
                    & _between("fev1_ml", FEV1_RANGE_ML)
                    & _between("fvc_ml", FVC_RANGE_ML)
                    & Q(fev1_ml__lte=models.F("fvc_ml"))
                    & _absent("systolic", "diastolic", "pulse")
                ),
                name="home_measurement_values",
            ),
            # A period's reading has its time slot; a blood pressure has none.
            models.CheckConstraint(
                condition=Q(period__isnull=True, slot="") | (Q(period__isnull=False) & ~Q(slot="")),
                name="home_measurement_period_slot",
            ),
            # One reading per slot: anything more is a correction of that one.
            models.UniqueConstraint(
                fields=["period", "measured_on", "slot", "after_bronchodilator"],
                condition=Q(period__isnull=False, corrects__isnull=True),
                name="home_measurement_one_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"HomeMeasurement {self.pk}"


class MeasurementReminder(models.Model):
    """The one in-app reminder of a period's day (QA-5): its row makes the sweep idempotent."""

    period = models.ForeignKey(MeasurementPeriod, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = "påminnelse om hemmamätning"
        verbose_name_plural = "påminnelser om hemmamätning"
        constraints = [models.UniqueConstraint(fields=["period", "day"], name="measurement_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"MeasurementReminder {self.pk}"
