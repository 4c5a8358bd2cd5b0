"""Patient fees: the provider's fee schedule, which e-services cost what, the provider's fee
policy, and the fee set on each case.

Money is integer öre. A fee is never changed in place: a new fee takes over from a
date (the earlier one is ended the day before), so what a case was charged can
always be traced to the schedule row it came from. A case's fee rows are only
ever added (the latest is the one that applies), so the resident can be shown
what changed and why (FEE-2).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vardnav.organizations.models import Profession

# Children are free up to this age unless the provider sets another (1177 Stockholm: under 18).
DEFAULT_CHILD_FREE_UNDER_AGE = 18
# SFS 2016:1298: no patient fees from the age of 85.
FREE_FROM_AGE = 85


class ContactKind(models.TextChoices):
    DIGITAL = "digital", _("Digital kontakt")
    PHYSICAL = "physical", _("Besök på mottagningen")
    VIDEO = "video", _("Videobesök")
    VACCINATION = "vaccination", _("Vaccination")
    CERTIFICATE = "certificate", _("Intyg")


class Fee(models.Model):
    """One line of a provider's fee schedule: what a contact with a profession costs in a period.

    FEE-1: there is no visit/revisit dimension: a revisit costs what the visit costs.
    `valid_until` is the last day the fee applies (inclusive); empty = until further notice.
    """

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    profession = models.CharField(max_length=20, choices=Profession.choices)
    contact_kind = models.CharField(max_length=20, choices=ContactKind.choices)
    amount_ore = models.PositiveIntegerField()
    inside_ceiling = models.BooleanField(default=True, help_text="Counts towards the cost ceiling (högkostnadsskydd)")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "avgift"
        verbose_name_plural = "avgifter"
        ordering = ["profession", "contact_kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="fee_period_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(amount_ore__lte=10_000_000), name="fee_amount_at_most_100000_kr"),
            models.UniqueConstraint(
                fields=["provider", "profession", "contact_kind", "valid_from"], name="one_fee_per_start_day"
            ),
        ]
        indexes = [models.Index(fields=["provider", "profession", "contact_kind", "valid_from"], name="fee_lookup")]

    def __str__(self) -> str:
        return f"{self.profession}/{self.contact_kind} {self.amount_ore} öre from {self.valid_from}"

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class ServiceCharge(models.Model):
    """Which profession and kind of contact an e-service of the provider is charged as.

    A service without one carries no fee (e.g. "Kontakta mottagningen", "Avboka tid").
    """

    service = models.OneToOneField("catalog.Service", on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=20, choices=Profession.choices)
    contact_kind = models.CharField(max_length=20, choices=ContactKind.choices)

    class Meta:
        verbose_name = "avgiftsbelagd e-tjänst"
        verbose_name_plural = "avgiftsbelagda e-tjänster"

    def __str__(self) -> str:
        return f"{self.service_id}: {self.profession}/{self.contact_kind}"


class BillingPolicy(models.Model):
    """The provider's own fee rules (a policy, like the other provider policies: not a CareProvider column)."""

    provider = models.OneToOneField("organizations.CareProvider", on_delete=models.CASCADE, related_name="+")
    # Children are free while younger than this (Stockholm 18, Skåne and VGR 20).
    child_free_under_age = models.PositiveSmallIntegerField(default=DEFAULT_CHILD_FREE_UNDER_AGE)

    class Meta:
        verbose_name = "avgiftsregler"
        verbose_name_plural = "avgiftsregler"
        constraints = [
            models.CheckConstraint(
                condition=Q(child_free_under_age__gte=0) & Q(child_free_under_age__lte=25),
                name="child_free_age_0_to_25",
            )
        ]

    def __str__(self) -> str:
        return f"policy {self.provider_id}"


class Exemption(models.TextChoices):
    NONE = "", _("Ingen")
    AGED_85 = "aged_85", _("Avgiftsfritt från 85 år")
    CHILD = "child", _("Avgiftsfritt för barn")
    NOT_CHARGED = "not_charged", _("E-tjänsten är avgiftsfri")
    NO_FEE_FOR_PROFESSION = "no_fee_for_profession", _("Ingen avgift för yrkesgruppen")
    FREE_CARD = "free_card", _("Frikort")


class FeeReason(models.TextChoices):
    SUBMITTED = "submitted", _("Ärendet skickades")
    PROFESSION_CHANGED = "profession_changed", _("Ärendet flyttades till en annan yrkesgrupp")
    CHARGED = "charged", _("Ärendet avslutades och avgiften togs ut")


class CaseFee(models.Model):
    """The fee of a case as set at one moment; rows are only added, the newest applies (FEE-2)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(max_length=20, choices=Profession.choices)
    contact_kind = models.CharField(max_length=20, choices=ContactKind.choices, blank=True)
    fee = models.ForeignKey(Fee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    schedule_amount_ore = models.PositiveIntegerField(help_text="The schedule's fee before any exemption")
    amount_ore = models.PositiveIntegerField(help_text="What the case costs")
    exemption = models.CharField(max_length=30, choices=Exemption.choices, blank=True)
    inside_ceiling = models.BooleanField(default=True)
    reason = models.CharField(max_length=30, choices=FeeReason.choices)
    changed_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "avgift för ärende"
        verbose_name_plural = "avgifter för ärenden"
        ordering = ["case", "created_at", "id"]
        indexes = [models.Index(fields=["case", "-created_at", "-id"], name="case_fee_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ore__lte=F("schedule_amount_ore")), name="case_fee_within_schedule"
            )
        ]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.amount_ore} öre"


# --- the cost ceiling (högkostnadsskydd) and frikort (FEE-3) ---------------------------------------


class CeilingAmount(models.Model):
    """The outpatient cost ceiling as dated configuration (HSL 17 kap. 6 §: 0.025 × prisbasbelopp,
    rounded down to 50 kr). The amount valid on the day a period starts holds for that period."""

    valid_from = models.DateField(unique=True)
    amount_ore = models.PositiveIntegerField()
    source = models.CharField(max_length=300, help_text="Where the figure comes from")

    class Meta:
        verbose_name = "högkostnadsskydd (belopp)"
        verbose_name_plural = "högkostnadsskydd (belopp)"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.amount_ore} öre from {self.valid_from}"


class CeilingScope(models.TextChoices):
    OWN = "own", _("Egna besök")
    CHILDREN = "children", _("Barnens besök")


class CeilingPeriod(models.Model):
    """Twelve months from the first paid visit of a person (OWN) or of a guardian's children under 18
    (CHILDREN, shared by siblings). When the paid sum reaches the ceiling the period carries a frikort
    valid to its last day."""

    holder = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=10, choices=CeilingScope.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="Last day of the period (inclusive)")
    ceiling_ore = models.PositiveIntegerField()
    paid_ore = models.PositiveIntegerField(default=0)
    reached_on = models.DateField(null=True, blank=True)
    card_number = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = "högkostnadsperiod"
        verbose_name_plural = "högkostnadsperioder"
        constraints = [
            models.UniqueConstraint(fields=["holder", "scope", "starts_on"], name="one_ceiling_period_per_start"),
            models.CheckConstraint(condition=Q(paid_ore__lte=F("ceiling_ore")), name="ceiling_never_passed"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="ceiling_period_forwards"),
        ]
        indexes = [models.Index(fields=["holder", "scope", "-starts_on"], name="ceiling_period_latest")]

    def __str__(self) -> str:
        return f"{self.holder_id}/{self.scope} {self.starts_on}–{self.ends_on}"

    @property
    def remaining_ore(self) -> int:
        return self.ceiling_ore - self.paid_ore


class CeilingCharge(models.Model):
    """One paid fee registered in a period: the fee and what was charged after the ceiling cut."""

    period = models.ForeignKey(CeilingPeriod, on_delete=models.PROTECT, related_name="charges")
    patient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reference = models.CharField(max_length=40, unique=True, help_text="The payer's reference (one per fee)")
    day = models.DateField()
    fee_ore = models.PositiveIntegerField()
    charged_ore = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["day", "id"]
        constraints = [models.CheckConstraint(condition=Q(charged_ore__lte=F("fee_ore")), name="charge_within_fee")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.charged_ore} öre"


class FreeCardStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på kontroll")
    CONFIRMED = "confirmed", _("Bekräftat")
    REJECTED = "rejected", _("Inte godkänt")


class FreeCard(models.Model):
    """A frikort from a region without e-frikort, entered by the resident and checked by staff (FEE-3)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    card_number = models.CharField(max_length=20)
    issuer = models.CharField(max_length=100)
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=10, choices=FreeCardStatus.choices, default=FreeCardStatus.PENDING)
    entered_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "frikort"
        verbose_name_plural = "frikort"
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="free_card_forwards"),
            models.UniqueConstraint(
                fields=["person", "card_number", "provider"], name="one_entry_per_card_and_provider"
            ),
        ]
        indexes = [models.Index(fields=["provider", "status", "entered_at"], name="free_card_queue")]

    def __str__(self) -> str:
        return f"frikort {self.card_number}"
