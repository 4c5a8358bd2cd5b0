"""E-services (case types), their versioned questionnaires, and which units offer them.

A questionnaire's items are stored as JSON shaped like FHIR Questionnaire.item
(linkId, text, type, required, repeats, answerOption, enableWhen, plus our
min/max/maxLength), so a version can be exported as a FHIR Questionnaire and a
submitted answer set as a QuestionnaireResponse without a mapping table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    PRESCRIPTION_RENEWAL = "prescription_renewal", _("Förnya recept")
    VISIT_REBOOK = "visit_rebook", _("Boka om tid")
    VISIT_CANCEL = "visit_cancel", _("Avboka tid")
    CONTRACEPTIVE_RENEW = "contraceptive_renew", _("Förnya preventivmedel")
    CONTRACEPTIVE_START = "contraceptive_start", _("Börja med preventivmedel")
    CONTRACEPTIVE_CHANGE = "contraceptive_change", _("Byta preventivmedel")
    CONTRACEPTIVE_STOP = "contraceptive_stop", _("Sluta med preventivmedel")
    AIDS_DIABETES = "aids_diabetes", _("Förnya hjälpmedel vid diabetes")
    AIDS_INCONTINENCE = "aids_incontinence", _("Förnya inkontinenshjälpmedel")
    AIDS_STOMA = "aids_stoma", _("Förnya stomihjälpmedel")
    SPECIAL_FOODS = "special_foods", _("Förnya speciallivsmedel och tillbehör")
    CERTIFICATE_RENEW = "certificate_renew", _("Förnya intyg")
    CERTIFICATE_NEW = "certificate_new", _("Begära nytt intyg")
    COMPLAINT = "complaint", _("Synpunkter och klagomål")
    CONTACT_UNIT = "contact_unit", _("Kontakta mottagningen")
    # VISIT-1: started from a complaint area's triage in the visits app, never from the generic form.
    DIGITAL_VISIT = "digital_visit", _("Digitalt vårdbesök")


class HandlingTimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "arbetsdagar"
    HOURS = "hours", "timmar"


class ServiceSex(models.TextChoices):
    """Who a sex-specific e-service is for, read from the personal number (its second-to-last digit)."""

    ANY = "", _("Alla")
    FEMALE = "female", _("Kvinnor och flickor")
    MALE = "male", _("Män och pojkar")


class Service(models.Model):
    """An e-service (ärendetyp) of a care provider: what residents can send in.

    `listing_bound` services go to the resident's listed primary-care unit
    (CASE-1); others let the resident choose among units that offer them.
    """

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(max_length=40, choices=ServiceKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    handling_time_value = models.PositiveIntegerField(default=2)
    handling_time_unit = models.CharField(
        max_length=20, choices=HandlingTimeUnit.choices, default=HandlingTimeUnit.WORKING_DAYS
    )
    routed_role = models.CharField(max_length=20, default="receiver")
    listing_bound = models.BooleanField(default=False)
    attachments_allowed = models.BooleanField(default=False, help_text="Provider-wide default (ATT-4)")
    is_active = models.BooleanField(default=True)
    # Who may use the service (issue 11, item 4): told before anything is typed, refused on submit.
    # Ages in whole years, both limits included; blank = no limit.
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=ServiceSex.choices, blank=True, default=ServiceSex.ANY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "e-tjänst"
        verbose_name_plural = "e-tjänster"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="one_service_per_kind_and_provider"),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="service_age_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitService(models.Model):
    """A unit's choice to offer a service (used when the provider's policy is per_unit, ORG-2)."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.CASCADE, related_name="offered_services")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="unit_offerings")
    attachments_allowed = models.BooleanField(default=False, help_text="The unit decides (ATT-4)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "service"], name="unique_unit_service")]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.unit_id}"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "Utkast"
    PUBLISHED = "published", "Publicerad"
    RETIRED = "retired", "Ersatt"


class Questionnaire(models.Model):
    """One version of a service's questionnaire (ORG-3).

    A published version is never edited: editing creates the next version as a
    draft, and responses keep pointing at the version they answered.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="questionnaires")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT)
    title = models.CharField(max_length=200)
    items = models.JSONField(default=list)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "frågeformulär"
        verbose_name_plural = "frågeformulär"
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="unique_questionnaire_version"),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="published"),
                name="one_published_questionnaire_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
