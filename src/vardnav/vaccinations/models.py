"""The vaccination card: doses given at the provider's clinics, doses the resident reports, reminders, travel advice.

Why one table for both kinds of dose: the card and the reminders (VAC-2) read
them together, and a self-reported dose counts for the schedule (VAC-3). What
keeps them apart is `self_reported`, enforced by the database: a clinic entry
has its unit, nurse, batch and site; a self-reported one has none of those and
says where it was given in the resident's own words. Neither is ever turned
into the other.

Travel advice (VAC-4) is recorded on the visit where the nurse gave it. It is
not part of what is shared nationally (REC-3 excludes vaccination advice and
vaccination-clinic visits), so no export reads this table.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InjectionSite(models.TextChoices):
    LEFT_ARM = "left_arm", _("Vänster överarm")
    RIGHT_ARM = "right_arm", _("Höger överarm")
    LEFT_THIGH = "left_thigh", _("Vänster lår")
    RIGHT_THIGH = "right_thigh", _("Höger lår")
    ORAL = "oral", _("Via munnen")


class Vaccination(models.Model):
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="vaccinations")
    vaccine = models.CharField(max_length=40, help_text="A code of vaccinations/data/schedules.json")
    product = models.CharField(max_length=80, blank=True)
    dose_number = models.PositiveSmallIntegerField()
    given_on = models.DateField()
    self_reported = models.BooleanField(default=False)
    # Clinic entries (VAC-1)
    unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "organizations.CareProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.CharField(max_length=40, blank=True)
    site = models.CharField(max_length=20, choices=InjectionSite.choices, blank=True)
    # Self-reported entries (VAC-3)
    reported_by = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    place_text = models.CharField(max_length=200, blank=True)
    registered_at = models.DateTimeField()

    class Meta:
        verbose_name = "vaccination"
        verbose_name_plural = "vaccinationer"
        indexes = [models.Index(fields=["subject", "vaccine", "given_on"], name="vaccination_card")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(self_reported=False, unit__isnull=False, given_by__isnull=False, reported_by__isnull=True)
                    & ~Q(batch="")
                    & ~Q(site="")
                )
                | Q(self_reported=True, unit__isnull=True, given_by__isnull=True, reported_by__isnull=False, batch=""),
                name="vaccination_clinic_or_self_reported",
            ),
            models.CheckConstraint(condition=Q(dose_number__gte=1), name="vaccination_dose_from_one"),
        ]

    def __str__(self) -> str:
        return f"Vaccination {self.pk}"


class VaccinationReminder(models.Model):
    """VAC-2: one reminder per person, vaccine and dose, so the sweep reminds each dose once."""

    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    vaccine = models.CharField(max_length=40)
    dose_number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = "vaccinationspåminnelse"
        verbose_name_plural = "vaccinationspåminnelser"
        constraints = [
            models.UniqueConstraint(fields=["subject", "vaccine", "dose_number"], name="vaccination_reminder_once")
        ]

    def __str__(self) -> str:
        return f"VaccinationReminder {self.pk}"


class TravelAdvice(models.Model):
    """VAC-4: the travel advice a nurse gave at a visit; never shared nationally (REC-3)."""

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    destination = models.CharField(max_length=2)
    trip_days = models.PositiveSmallIntegerField()
    vaccines = models.JSONField(default=list)
    table_compiled_on = models.DateField()
    note = models.TextField(blank=True)
    given_at = models.DateTimeField()

    class Meta:
        verbose_name = "reseråd"
        verbose_name_plural = "reseråd"
        indexes = [models.Index(fields=["subject", "-given_at"], name="travel_advice_by_subject")]

    def __str__(self) -> str:
        return f"TravelAdvice {self.pk}"

    @property
    def destination_name(self) -> str:
        from vardnav.vaccinations.schedules import travel_table

        found = travel_table().destinations.get(self.destination)
        return found.name if found else self.destination

    @property
    def vaccine_names(self) -> list[str]:
        from vardnav.vaccinations.schedules import vaccines

        known = vaccines()
        return [known[code].name if code in known else code for code in self.vaccines]
