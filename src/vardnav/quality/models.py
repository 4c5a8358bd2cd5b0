"""The quality follow-up's own rows (QA)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField

# --- peer review (QA-1) ---------------------------------------------------------------------------


class PeerReviewer(models.Model):
    """A staff member the provider's administrator appointed to review colleagues' cases (kvalitetsgranskare).

    Why an appointment at the provider and not a role at a unit: the reviewer reviews cases from every unit of
    the provider (like the log reviewer, whom only the provider admin appoints), whatever unit they work in.
    Ending an appointment keeps the row, so a signed review still names who was appointed then.
    """

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    appointed_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kvalitetsgranskare"
        verbose_name_plural = "kvalitetsgranskare"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "staff"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_peer_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"PeerReviewer {self.staff_id} @ {self.provider_id}"


class PeerReviewDay(models.Model):
    """One provider's selection of one day's closed cases: present means the day is done (a rerun picks nothing)."""

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    selected_at = models.DateTimeField()
    closed_that_day = models.PositiveIntegerField()

    class Meta:
        verbose_name = "urval för kvalitetsgranskning"
        verbose_name_plural = "urval för kvalitetsgranskning"
        constraints = [models.UniqueConstraint(fields=["provider", "day"], name="one_peer_review_day")]

    def __str__(self) -> str:
        return f"PeerReviewDay {self.provider_id} {self.day}"


class PeerReviewPick(models.Model):
    """A case picked for peer review (QA-1): the `position`-th case closed that day, a multiple of 20.

    The case link is cleared if the case is purged (CASE-8); the number stays so the follow-up still counts it.
    """

    selection = models.ForeignKey(PeerReviewDay, on_delete=models.PROTECT, related_name="picks")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="peer_review_pick"
    )
    case_number = models.CharField(max_length=12)
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    handler = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The handler's profession: reviewed by a colleague of the same one. Empty when nobody handled the case.
    profession = models.CharField(max_length=20, blank=True)
    # None: left in the shared queue of the provider's reviewers of that profession.
    reviewer = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    picked_at = models.DateTimeField()

    class Meta:
        verbose_name = "ärende för kvalitetsgranskning"
        verbose_name_plural = "ärenden för kvalitetsgranskning"
        indexes = [models.Index(fields=["provider", "reviewer", "picked_at"], name="peer_pick_queue")]

    def __str__(self) -> str:
        return f"PeerReviewPick {self.case_number}"


class Assessment(models.TextChoices):
    YES = "yes", _("Ja")
    PARTLY = "partly", _("Delvis")
    NO = "no", _("Nej")


class ReviewOutcome(models.TextChoices):
    NO_REMARK = "no_remark", _("Ingen anmärkning")
    REMARK = "remark", _("Anmärkning")
    DEVIATION = "deviation", _("Avvikelse att rapportera")


class PeerReview(models.Model):
    """The reviewer's signed assessment of a picked case; never edited.

    A correction is a new review pointing at the one it replaces (`corrects`), as a record note's amendment
    does; the follow-up counts only reviews nobody has corrected.
    """

    pick = models.ForeignKey(PeerReviewPick, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    medically_reasonable = models.CharField(max_length=10, choices=Assessment.choices)
    documentation_sufficient = models.CharField(max_length=10, choices=Assessment.choices)
    answered_in_time = models.CharField(max_length=10, choices=Assessment.choices)
    prescribing_per_guidelines = models.CharField(max_length=10, choices=Assessment.choices)
    learning_point = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )

    class Meta:
        verbose_name = "kvalitetsgranskning"
        verbose_name_plural = "kvalitetsgranskningar"
        constraints = [
            # One first review per pick; every later one corrects another.
            models.UniqueConstraint(fields=["pick"], condition=models.Q(corrects__isnull=True), name="one_peer_review")
        ]
        indexes = [models.Index(fields=["signed_at"], name="peer_review_signed_at")]

    def __str__(self) -> str:
        return f"PeerReview {self.pick_id} {self.outcome}"


# --- surveys (QA-2) ---
# The resident's survey after a visit: one invitation per visit (a digital visit's closed case, or a booked
# physical or video visit that took place), answered once within its open period, read by staff only as counts,
# averages and comments without the resident's identity (quality/surveys.py).


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
