"""The quality follow-up's own rows (QA)."""

# --- surveys (QA-2) ---
# The resident's survey after a visit: one invitation per visit (a digital visit's closed case, or a booked
# physical or video visit that took place), answered once within its open period, read by staff only as counts,
# averages and comments without the resident's identity (quality/surveys.py).

# This section keeps its own imports (placed at the top of the module when the sections are merged).
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField


class SurveyVisitKind(models.TextChoices):
    DIGITAL = "digital", _("Digitalt vårdbesök")
    BOOKED = "booked", _("Bokat besök")


class SurveyAnswer(models.TextChoices):
    """The three-step answer of the survey's yes/no questions."""

    YES = "yes", _("Ja")
    PARTLY = "partly", _("Delvis")
    NO = "no", _("Nej")


class SurveyRecommendation(models.TextChoices):
    YES = "yes", _("Ja")
    MAYBE = "maybe", _("Kanske")
    NO = "no", _("Nej")


class Survey(models.Model):
    """QA-2: the survey a resident (the guardian for a child) is invited to answer about one visit.

    Why `visit_key` rather than a unique foreign key: the case of a digital visit
    may be purged after its retention period (CASE-8) while the answer still
    counts in the statistics, so the links are nullable, and the one-invitation
    rule is kept by a unique key that outlives them ("case:<id>", "booking:<id>").
    Who answered is kept only to let them answer once and see their own open
    surveys; the results pages never show it.
    """

    visit_key = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=SurveyVisitKind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="surveys")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visited_at = models.DateTimeField(help_text="When the case closed or the booked visit began")
    invited_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    overall = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (very bad) to 5 (very good)")
    problem_solved = models.CharField(max_length=8, choices=SurveyAnswer.choices, blank=True)
    listened_to = models.CharField(max_length=8, choices=SurveyAnswer.choices, blank=True)
    would_recommend = models.CharField(max_length=8, choices=SurveyRecommendation.choices, blank=True)
    comment = EncryptedTextField(blank=True)
    wants_follow_up = models.BooleanField(default=False)

    class Meta:
        verbose_name = "enkät"
        verbose_name_plural = "enkäter"
        constraints = [
            models.UniqueConstraint(fields=["visit_key"], name="survey_once_per_visit"),
            models.CheckConstraint(
                condition=Q(overall__isnull=True) | Q(overall__gte=1, overall__lte=5), name="survey_overall_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(overall__isnull=False), name="survey_answer_has_overall"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(skipped_at__isnull=True), name="survey_answered_or_skipped"
            ),
        ]
        indexes = [
            # The resident's open surveys.
            models.Index(
                fields=["recipient", "closes_at"],
                condition=Q(answered_at__isnull=True, skipped_at__isnull=True),
                name="survey_open_by_recipient",
            ),
            # The results: a provider's or a unit's visits by month.
            models.Index(fields=["unit", "visited_at"], name="survey_unit_by_visit"),
            models.Index(fields=["provider", "visited_at"], name="survey_provider_by_visit"),
        ]

    def __str__(self) -> str:
        return f"Survey {self.pk}"
