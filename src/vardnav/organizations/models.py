"""Care providers, their units, staff, roles and listings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vardnav.core.hsa import HSA_ID_MAX_LENGTH, validate_hsa_id


class ServiceOffering(models.TextChoices):
    PER_UNIT = "per_unit", _("Varje mottagning väljer sina e-tjänster")
    PROVIDER_WIDE = "provider_wide", _("Samma e-tjänster på alla mottagningar")


class CareProvider(models.Model):
    """A care provider (vårdgivare): a region or a private provider.

    Policy fields differ between providers as the seeds show; each carries the
    seed's figure as default and arrives with the feature that uses it.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    organization_number = models.CharField(max_length=11, blank=True, help_text="Organisationsnummer, NNNNNN-NNNN")
    support_email = models.EmailField(blank=True)
    # Policies (ORG-2)
    service_offering = models.CharField(
        max_length=20, choices=ServiceOffering.choices, default=ServiceOffering.PER_UNIT
    )
    # CASE-8: closed cases and their files are removed after this many days (1177: two years).
    case_retention_days = models.PositiveIntegerField(
        default=730, validators=[MinValueValidator(30), MaxValueValidator(3650)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vårdgivare"
        verbose_name_plural = "vårdgivare"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    PRIMARY_CARE = "primary_care", _("Vårdcentral")
    VACCINATION = "vaccination", _("Vaccinationsmottagning")
    DIGITAL = "digital", _("Digital mottagning")
    SPECIALIST = "specialist", _("Specialistmottagning")
    MIDWIFE = "midwife", _("Barnmorskemottagning")
    # CMP-2: the region's patient board (patientnämnden), an organisation of its own whose unit is its inbox.
    PATIENT_BOARD = "patient_board", _("Patientnämnd")


class Unit(models.Model):
    """A care unit (vårdenhet, mottagning). E-services need an HSA-id and activation (ORG-1)."""

    provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    hsa_id = models.CharField(max_length=HSA_ID_MAX_LENGTH, unique=True, validators=[validate_hsa_id])
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    street_address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)
    city = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    opening_hours = models.JSONField(default=list, blank=True, help_text='[{"days": "mån–fre", "hours": "08–17"}]')
    other_information_html = models.TextField(blank=True, default="", help_text="Sanitised HTML (ORG-5)")
    eservices_active = models.BooleanField(default=False)
    eservices_activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mottagning"
        verbose_name_plural = "mottagningar"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profession(models.TextChoices):
    DOCTOR = "doctor", _("Läkare")
    NURSE = "nurse", _("Sjuksköterska")
    PSYCHOLOGIST = "psychologist", _("Psykolog")
    PHYSIOTHERAPIST = "physiotherapist", _("Fysioterapeut")
    MIDWIFE = "midwife", _("Barnmorska")
    SEXOLOGIST = "sexologist", _("Sexolog")
    ASSISTANT_NURSE = "assistant_nurse", _("Undersköterska")
    ADMINISTRATIVE = "administrative", _("Administrativ personal")


class Qualification(models.TextChoices):
    """ORG-8: a doctor's specialist qualification (other professions keep OTHER)."""

    SPECIALIST = "specialist", _("Specialistläkare")
    IN_TRAINING = "in_training", _("Under specialistutbildning (ST)")
    OTHER = "other", _("Annan")


# ORG-8: a doctor in specialist training takes digital doctor visits from halfway through.
DIGITAL_DOCTOR_MIN_TRAINING_PERCENT = 50


class Staff(models.Model):
    """A staff member, identified by their personal HSA-id (the OIDC claim maps to it)."""

    provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    hsa_id = models.CharField(max_length=HSA_ID_MAX_LENGTH, unique=True, validators=[validate_hsa_id])
    given_name = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    profession = models.CharField(max_length=20, choices=Profession.choices)
    # ORG-8: qualification, and for a doctor in specialist training how far they have come (percent).
    qualification = models.CharField(max_length=20, choices=Qualification.choices, default=Qualification.OTHER)
    specialist_training_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    is_provider_admin = models.BooleanField(default=False, help_text="Administers the provider's units and services")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "medarbetare"
        verbose_name_plural = "medarbetare"
        ordering = ["surname", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.surname}"

    @property
    def takes_digital_doctor_visits(self) -> bool:
        """ORG-8: a specialist, or a doctor at least halfway through specialist training."""
        if self.profession != Profession.DOCTOR:
            return False
        if self.qualification == Qualification.SPECIALIST:
            return True
        return (
            self.qualification == Qualification.IN_TRAINING
            and (self.specialist_training_percent or 0) >= DIGITAL_DOCTOR_MIN_TRAINING_PERCENT
        )


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Ärendemottagare")
    HANDLER = "handler", _("Ärendehanterare")
    UNIT_ADMIN = "unit_admin", _("Verksamhetschef")
    # HSLF-FS 2016:40 4 kap.: reviews the provider's access log (1177's "granskare"); granted by the provider admin.
    LOG_REVIEWER = "log_reviewer", _("Granskare")
    # Keeps the unit's appointment book: publishes and blocks times, books and cancels for residents (bookings).
    BOOKING_ADMIN = "booking_admin", _("Tidbokningsansvarig")


class RoleGrant(models.Model):
    """A role a staff member holds at a unit, granted by the unit's admin (ORG-4)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_grants")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        verbose_name = "behörighet"
        verbose_name_plural = "behörigheter"
        constraints = [models.UniqueConstraint(fields=["staff", "unit", "role"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.role} @ {self.unit_id}"


class Listing(models.Model):
    """A resident's listing (listning) at a primary-care unit. One current listing per person."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="listings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="listings")
    listed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "listning"
        verbose_name_plural = "listningar"
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_at__isnull=True), name="one_current_listing_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Listing {self.person_id} @ {self.unit_id}"
