"""Digital visits: complaint areas with versioned triage questionnaires, practitioners on duty, visits.

A digital visit is a case (cases.Case) of the provider's "Digitalt vårdbesök"
e-service; `Visit` holds what only a visit has: the complaint area, the triage
answers with the version they answered, the profession it is routed to (the
seam for fees: billing reads `Visit.profession`), and whose queue counts it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField
from vardnav.organizations.models import Profession


class ComplaintArea(models.Model):
    """A complaint area (besvärsområde) of a provider's digital unit, e.g. urinary tract infection (VISIT-1)."""

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="complaint_areas")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    summary_en = models.CharField(max_length=300, blank=True)
    # VISIT-2: the profession that takes visits in this area.
    profession = models.CharField(max_length=20, choices=Profession.choices)
    # VISIT-7: an area that cannot be handled digitally says where to turn instead.
    handled_digitally = models.BooleanField(default=True)
    where_to_turn = models.TextField(blank=True)
    where_to_turn_en = models.TextField(blank=True)
    # VISIT-4: areas without revisits (e.g. chlamydia and STI testing): the resident writes again in the case.
    revisits_allowed = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "besvärsområde"
        verbose_name_plural = "besvärsområden"
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="unique_complaint_area_slug")]

    def __str__(self) -> str:
        return self.name

    def _in_language(self, field: str) -> str:
        english = getattr(self, f"{field}_en")
        return str(english if english and (get_language() or "").startswith("en") else getattr(self, field))

    @property
    def title(self) -> str:
        """The area's name in the page's language."""
        return self._in_language("name")

    @property
    def blurb(self) -> str:
        return self._in_language("summary")

    @property
    def turn_to(self) -> str:
        """VISIT-7: where to turn instead, in the page's language."""
        return self._in_language("where_to_turn")


class TriageStatus(models.TextChoices):
    DRAFT = "draft", "Utkast"
    PUBLISHED = "published", "Publicerad"
    RETIRED = "retired", "Ersatt"


class TriageQuestionnaire(models.Model):
    """One version of an area's triage questions and its red-flag rules, versioned together (VISIT-1).

    `items` have the catalogue's questionnaire shape (catalog.questionnaires);
    `red_flags` are rules on those answers: {code, question, operator (=, in,
    >=), answer, call (112 or 1177), advice}. A published version never changes:
    the next one is a new row, and a visit keeps the version it answered.
    """

    area = models.ForeignKey(ComplaintArea, on_delete=models.PROTECT, related_name="triage_versions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=TriageStatus.choices, default=TriageStatus.DRAFT)
    items = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "triagefrågor"
        verbose_name_plural = "triagefrågor"
        ordering = ["area", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["area", "version"], name="unique_triage_version"),
            models.UniqueConstraint(
                fields=["area"], condition=models.Q(status="published"), name="one_published_triage_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} v{self.version}"


class Duty(models.Model):
    """A practitioner of a digital unit: whether they are on duty and how many open visits they hold.

    Why a counter: routing (VISIT-2) picks the on-duty practitioner of the
    profession with the shortest queue in one indexed query, whatever the number
    of open cases; the counter moves in the same transaction as the visit.
    """

    staff = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="duties")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    on_duty = models.BooleanField(default=False)
    open_visits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tjänstgöring"
        verbose_name_plural = "tjänstgöringar"
        constraints = [models.UniqueConstraint(fields=["staff", "unit"], name="unique_duty_per_unit")]
        indexes = [
            models.Index(
                fields=["unit", "open_visits", "id"], condition=models.Q(on_duty=True), name="duty_shortest_queue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.unit_id}"


class Visit(models.Model):
    """What a digital visit adds to its case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="visit")
    area = models.ForeignKey(ComplaintArea, on_delete=models.PROTECT, related_name="visits")
    triage = models.ForeignKey(TriageQuestionnaire, on_delete=models.PROTECT, related_name="visits")
    answers = EncryptedJSONField()
    # VISIT-2 and the fee seam: the profession handling the visit now (an internal referral changes it).
    profession = models.CharField(max_length=20, choices=Profession.choices)
    # VISIT-9: a resident abroad gets assessment and advice, no prescriptions or lab referrals.
    abroad = models.BooleanField(default=False)
    # Whose Duty.open_visits counts this visit (cleared when it closes).
    queued_for = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # VISIT-3: a revisit points at the visit it follows up.
    revisit_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisits")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "digitalt vårdbesök"
        verbose_name_plural = "digitala vårdbesök"
        indexes = [models.Index(fields=["area", "created_at"], name="visit_area_time")]

    def __str__(self) -> str:
        return f"Visit {self.pk}"


class RevisitKind(models.TextChoices):
    PLANNED = "planned", _("Planerat återbesök")
    VOLUNTARY = "voluntary", _("Frivilligt återbesök")


class RevisitOffer(models.Model):
    """VISIT-3: staff offer a planned or voluntary revisit, which the resident may start until `valid_until`."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="revisit_offers")
    kind = models.CharField(max_length=20, choices=RevisitKind.choices)
    valid_until = models.DateTimeField()
    offered_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "erbjudet återbesök"
        verbose_name_plural = "erbjudna återbesök"
        indexes = [models.Index(fields=["visit", "valid_until"], name="revisit_offer_valid")]

    def __str__(self) -> str:
        return f"RevisitOffer {self.pk}"


class RedFlagCall(models.TextChoices):
    EMERGENCY = "112", _("Ring 112")
    ADVICE = "1177", _("Ring 1177")


class HealthProfile(models.Model):
    """A resident's health profile (hälsoprofil): allergies, medicines and conditions, in their own words.

    The practitioner sees it with the triage answers; the resident confirms it
    is still right when saving it and before a revisit (VISIT-5).
    """

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="health_profile")
    allergies = EncryptedTextField(blank=True, default="")
    medicines = EncryptedTextField(blank=True, default="")
    conditions = EncryptedTextField(blank=True, default="")
    confirmed_at = models.DateTimeField()

    class Meta:
        verbose_name = "hälsoprofil"
        verbose_name_plural = "hälsoprofiler"

    def __str__(self) -> str:
        return f"HealthProfile {self.pk}"


class MeetingAnswer(models.TextChoices):
    """VISIT-8: the resident's answer to a proposed time."""

    PENDING = "pending", _("Väntar på svar")
    ACCEPTED = "accepted", _("Bekräftad")
    DECLINED = "declined", _("Invånaren vill ha en annan tid")


class VideoMeeting(models.Model):
    """VISIT-8: a video meeting at a time the practitioner proposed in the visit's chat.

    The room exists only around `starts_at` (see `is_open`): it opens
    `OPENS_BEFORE` ahead and closes `minutes` after the start. Proposing a new
    time cancels the earlier one, as does the practitioner cancelling it. The
    resident accepts the time or asks for another (`answer`); either way the
    practitioner who handles the visit then (not necessarily `proposed_by`) is
    told. Nothing of the call itself is stored: the media go between the two
    browsers, the server only relays the signalling.
    """

    OPENS_BEFORE_MINUTES = 10

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    proposed_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=MeetingAnswer.choices, default=MeetingAnswer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "videomöte"
        verbose_name_plural = "videomöten"
        indexes = [models.Index(fields=["visit", "starts_at"], name="video_meeting_visit_time")]

    def __str__(self) -> str:
        return f"VideoMeeting {self.pk}"

    @property
    def opens_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(minutes=self.OPENS_BEFORE_MINUTES)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)

    def is_open(self, now: dt.datetime) -> bool:
        return self.cancelled_at is None and self.opens_at <= now < self.ends_at
