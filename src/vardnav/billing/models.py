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

from vardnav.core.crypto import EncryptedTextField
from vardnav.organizations.models import Profession

# Children are free up to this age unless the provider sets another (1177 Stockholm: under 18).
DEFAULT_CHILD_FREE_UNDER_AGE = 18
# SFS 2016:1298: no patient fees from the age of 85.
FREE_FROM_AGE = 85
# VISIT-4: a return in the same case within this many days of closure is free, unless the provider sets another.
DEFAULT_RETURN_WINDOW_DAYS = 4


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
    # FEE-3: whether the provider's region uses the national e-frikort (HKS). Where it does, the card and
    # the paid sum come from the e-frikort service and hand-entered cards are refused; where it does not,
    # the resident enters the card by hand and the provider's staff confirm it.
    uses_efrikort = models.BooleanField(default=False)

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


class ReturnWindow(models.Model):
    """VISIT-4 as a dated provider policy: how many days after closure the resident may return in the same
    case, free of charge. A change takes over from a day; the row valid on the closing day applies."""

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    created_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "returfönster"
        verbose_name_plural = "returfönster"
        ordering = ["provider", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "valid_from"], name="one_return_window_per_day"),
            models.CheckConstraint(condition=Q(days__gte=0) & Q(days__lte=30), name="return_window_0_to_30_days"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.days} days from {self.valid_from}"


class Exemption(models.TextChoices):
    NONE = "", _("Ingen")
    AGED_85 = "aged_85", _("Avgiftsfritt från 85 år")
    CHILD = "child", _("Avgiftsfritt för barn")
    NOT_CHARGED = "not_charged", _("E-tjänsten är avgiftsfri")
    NO_FEE_FOR_PROFESSION = "no_fee_for_profession", _("Ingen avgift för yrkesgruppen")
    FREE_CARD = "free_card", _("Frikort")
    FREE_RETURN = "free_return", _("Avgiftsfri återkomst i samma ärende")


class FeeReason(models.TextChoices):
    SUBMITTED = "submitted", _("Ärendet skickades")
    PROFESSION_CHANGED = "profession_changed", _("Ärendet flyttades till en annan yrkesgrupp")
    CHARGED = "charged", _("Ärendet avslutades och avgiften togs ut")
    RETURNED = "returned", _("Återkomst i samma ärende, utan ny avgift")


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


# --- invoices, reminders, collection and credit notes (FEE-4, FEE-5, FEE-7, FEE-8) --------------------
#
# The seam with payments (FEE-6): an invoice's own fields are set when it is issued and only ever
# moved forward by actions. Payments are recorded elsewhere and mark the invoice through
# billing.actions.do_record_payment, which sets `paid_ore`, `status` and `paid_at` (a refund lowers them through
# do_record_refund); nothing else writes those three fields.


class InvoiceStatus(models.TextChoices):
    UNPAID = "unpaid", _("Obetald")
    PAID = "paid", _("Betald")
    CREDITED = "credited", _("Krediterad")


class InvoiceStage(models.TextChoices):
    """How far an unpaid invoice has gone after its due date (FEE-8)."""

    ISSUED = "issued", _("Skickad")
    REMINDED = "reminded", _("Påminnelse skickad")
    COLLECTION = "collection", _("Skickad till inkasso")


class DeliveryChannel(models.TextChoices):
    """Where the invoice went (FEE-5, PRIV-3, PRIV-4). Every invoice is also in the app."""

    EMAIL = "email", _("E-post")
    LETTER = "letter", _("Brev till folkbokföringsadressen")
    FORWARDED_LETTER = "forwarded_letter", _("Brev via Skatteverkets förmedlingsadress")
    APP = "app", _("Bara i appen")


class Invoice(models.Model):
    """The invoice of one closed case, which is also the receipt (FEE-7). Never edited in place
    beyond its status; a mistake is corrected by a CreditNote. Carries no health data: no service,
    profession or condition, only the provider, the case number and the amount."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    # The payer is who acted: the resident, or the guardian who submitted a child's case.
    payer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=20, unique=True)
    ocr = models.CharField(max_length=25, unique=True)
    amount_ore = models.PositiveIntegerField(help_text="The charged patient fee")
    reminder_fee_ore = models.PositiveIntegerField(default=0, help_text="Reminder and collection fees added")
    paid_ore = models.PositiveIntegerField(default=0, help_text="Set by do_record_payment only")
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.UNPAID)
    stage = models.CharField(max_length=12, choices=InvoiceStage.choices, default=InvoiceStage.ISSUED)
    delivery = models.CharField(max_length=20, choices=DeliveryChannel.choices)
    issued_on = models.DateField()
    due_on = models.DateField()
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "faktura"
        verbose_name_plural = "fakturor"
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="invoice_amount_positive"),
            models.CheckConstraint(condition=Q(due_on__gte=F("issued_on")), name="invoice_due_after_issue"),
        ]
        indexes = [
            models.Index(fields=["payer", "-issued_on", "-id"], name="invoice_payer_latest"),
            models.Index(fields=["status", "stage", "due_on"], name="invoice_due_queue"),
        ]

    def __str__(self) -> str:
        return f"invoice {self.number}"

    @property
    def total_ore(self) -> int:
        return self.amount_ore + self.reminder_fee_ore

    @property
    def due_ore(self) -> int:
        """What is left to pay (0 when paid or credited)."""
        if self.status != InvoiceStatus.UNPAID:
            return 0
        return max(self.total_ore - self.paid_ore, 0)


class ReminderFeeMaximum(models.Model):
    """The legal maximum reminder and collection fees as dated configuration: lag (1981:739) 4 §,
    as amended by SFS 2013:56 (in force 16 March 2013): 60 kr reminder, 180 kr collection demand.
    The row valid on the day a reminder is sent applies."""

    valid_from = models.DateField(unique=True)
    reminder_ore = models.PositiveIntegerField()
    collection_ore = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        verbose_name = "högsta påminnelseavgift"
        verbose_name_plural = "högsta påminnelseavgifter"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.reminder_ore}/{self.collection_ore} öre from {self.valid_from}"


class DunningKind(models.TextChoices):
    REMINDER = "reminder", _("Påminnelse")
    COLLECTION = "collection", _("Inkasso")


class Dunning(models.Model):
    """A step after the due date (FEE-8): a reminder with its fee, then the hand-over to the debt
    collector. One of each per invoice; the reminder reuses the invoice's OCR number."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="dunnings")
    kind = models.CharField(max_length=12, choices=DunningKind.choices)
    fee_ore = models.PositiveIntegerField()
    sent_on = models.DateField()
    due_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "påminnelse eller inkasso"
        verbose_name_plural = "påminnelser och inkasso"
        ordering = ["invoice", "sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["invoice", "kind"], name="one_dunning_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.kind} for invoice {self.invoice_id}"


class CreditNote(models.Model):
    """A staff member's correction of a wrong invoice: a new document crediting it in full; the
    invoice itself is never edited or deleted (FEE-8)."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="credit_note")
    number = models.CharField(max_length=20, unique=True)
    amount_ore = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "kreditfaktura"
        verbose_name_plural = "kreditfakturor"

    def __str__(self) -> str:
        return f"credit note {self.number}"


class LetterKind(models.TextChoices):
    INVOICE = "invoice", _("Faktura")
    REMINDER = "reminder", _("Påminnelse")
    COLLECTION = "collection", _("Inkassokrav")
    CREDIT_NOTE = "credit_note", _("Kreditfaktura")


class Letter(models.Model):
    """A letter queued for posting (the letter-delivery seam): the document it carries and the
    address it goes to, as the population register gave it on the day. For a protected person the
    address is always Skatteverket's forwarding address (PRIV-4). The address is personal data and
    stored encrypted; the PDF is made from the document when the letter is printed."""

    recipient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=LetterKind.choices)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="letters")
    address = EncryptedTextField(help_text="The address lines, one a line")
    via_forwarding = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "brev"
        verbose_name_plural = "brev"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["invoice", "kind"], name="one_letter_per_document")]
        indexes = [models.Index(fields=["posted_at", "created_at"], name="letter_queue")]

    def __str__(self) -> str:
        return f"letter {self.kind} for invoice {self.invoice_id}"


# --- payments (FEE-6, BOOK-5) ---------------------------------------------------------------------
#
# Every way money comes in ends in one Payment row booked against an invoice by
# billing.actions.do_record_payment, exactly once: the row's `reference` names the source
# (a Swish payment, a BgMax payment, a desk receipt) and is unique, so a replayed callback,
# a file read twice or two workers at once book nothing twice.


class PaymentMethod(models.TextChoices):
    SWISH = "swish", _("Swish")
    BANKGIRO = "bankgiro", _("Bankgiro med OCR-nummer")
    DESK_CARD = "desk_card", _("Kort i kassan")
    DESK_SWISH = "desk_swish", _("Swish i kassan")


# BOOK-5: physical units take card and Swish at the desk, never cash.
DESK_METHODS = (PaymentMethod.DESK_CARD, PaymentMethod.DESK_SWISH)


class Payment(models.Model):
    """Money received for an invoice. Never edited; a refund is a SwishRefund (or handled outside)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=12, choices=PaymentMethod.choices)
    amount_ore = models.PositiveIntegerField()
    reference = models.CharField(max_length=80, unique=True, help_text="The source, unique: books once")
    received_at = models.DateTimeField()
    # A desk payment (BOOK-5): who took it, where, and the receipt's number.
    registered_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receipt_number = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "inbetalning"
        verbose_name_plural = "inbetalningar"
        ordering = ["invoice", "received_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(method__in=["swish", "bankgiro", "desk_card", "desk_swish"]),
                name="payment_method_never_cash",
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.reference}: {self.amount_ore} öre"


class SwishStatus(models.TextChoices):
    CREATED = "CREATED", _("Väntar på betalning i Swish")
    PAID = "PAID", _("Betald")
    DECLINED = "DECLINED", _("Avbruten i Swish")
    ERROR = "ERROR", _("Misslyckades")
    CANCELLED = "CANCELLED", _("Avbruten")


class SwishInstruction(models.Model):
    """What Swish's payment requests and refunds share: our instruction id (32 upper-case hex), the
    amount, Swish's error code and when it was asked and settled."""

    instruction_id = models.CharField(max_length=32, unique=True)
    amount_ore = models.PositiveIntegerField()
    error_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class SwishPayment(SwishInstruction):
    """A Swish payment request for an invoice (Swish Commerce API). Its status only moves from
    CREATED to one final state, set from what Swish answers on a status request."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="swish_payments")
    status = models.CharField(max_length=10, choices=SwishStatus.choices, default=SwishStatus.CREATED)
    payment_reference = models.CharField(max_length=40, blank=True, help_text="Swish's reference once paid")
    # The secret part of the callback URL: a callback for another URL is not for this payment.
    callback_token = models.CharField(max_length=64)
    started_by = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A request started at a desk (BOOK-5) to the payer's phone: where, and by whom. Booked as a desk payment.
    desk_unit = models.ForeignKey(
        "organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    desk_staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Swish-betalning"
        verbose_name_plural = "Swish-betalningar"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="swish_amount_positive"),
            # At most one request waiting per invoice: a second click does not start a second payment.
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="CREATED"), name="one_open_swish_request_per_invoice"
            ),
        ]

    def __str__(self) -> str:
        return f"swish {self.instruction_id} {self.status}"


class SwishRefund(SwishInstruction):
    """Money sent back through Swish for a paid Swish payment (a credited or over-paid invoice)."""

    swish_payment = models.ForeignKey(SwishPayment, on_delete=models.PROTECT, related_name="refunds")
    status = models.CharField(max_length=10, default="CREATED")
    # The secret part of the refund's callback URL (as for a payment).
    callback_token = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "Swish-återbetalning"
        verbose_name_plural = "Swish-återbetalningar"
        constraints = [models.CheckConstraint(condition=Q(amount_ore__gt=0), name="swish_refund_positive")]

    def __str__(self) -> str:
        return f"swish refund {self.instruction_id} {self.status}"


class BgMaxImport(models.Model):
    """One BgMax file read in full (a file is booked once: its SHA-256 is unique)."""

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64, unique=True)
    file_timestamp = models.CharField(max_length=20)
    test_file = models.BooleanField(default=False)
    payment_count = models.PositiveIntegerField()
    total_ore = models.BigIntegerField()
    imported_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = "BgMax-fil"
        verbose_name_plural = "BgMax-filer"
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"bgmax {self.sha256[:12]}"


class MatchResult(models.TextChoices):
    MATCHED = "matched", _("Matchad")
    PARTIAL = "partial", _("Delbetalning")
    OVER = "over", _("Överbetalning")
    UNMATCHED = "unmatched", _("Ej matchad")


class IncomingPayment(models.Model):
    """One payment of a BgMax file and how it was matched. Partial, over- and unmatched payments
    are the staff's list until someone marks them handled."""

    bgmax_import = models.ForeignKey(BgMaxImport, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(max_length=80, unique=True, help_text="BGC serial and part: books once")
    ocr = models.CharField(max_length=25, blank=True, help_text="The reference as the payer gave it")
    amount_ore = models.BigIntegerField(help_text="Negative for a deduction")
    payment_date = models.DateField()
    result = models.CharField(max_length=10, choices=MatchResult.choices)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    surplus_ore = models.PositiveIntegerField(default=0, help_text="Paid beyond what was due")
    handled_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_note = models.CharField(max_length=300, blank=True)
    # The surplus (`surplus_ore`) is owed back to the payer until staff record it paid back.
    surplus_refunded_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    surplus_refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "inbetalning från bankgiro"
        verbose_name_plural = "inbetalningar från bankgiro"
        ordering = ["payment_date", "id"]
        indexes = [models.Index(fields=["result", "handled_at", "payment_date"], name="incoming_payment_queue")]

    def __str__(self) -> str:
        return f"incoming {self.reference}: {self.result}"


class RefundMethod(models.TextChoices):
    SWISH = "swish", _("Swish")
    BANK_TRANSFER = "bank_transfer", _("Banköverföring")
    MOVED = "moved", _("Flyttad till en annan faktura")


class InvoiceRefund(models.Model):
    """Money paid back on an invoice, once it has left (a completed Swish refund, a surplus sent back
    by bank transfer). Booked by billing.actions.do_record_refund exactly once (`reference` is
    unique); it lowers the invoice's `paid_ore`. Never edited."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="refunds")
    method = models.CharField(max_length=16, choices=RefundMethod.choices)
    amount_ore = models.PositiveIntegerField()
    reference = models.CharField(max_length=80, unique=True, help_text="The source, unique: books once")
    refunded_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "återbetalning"
        verbose_name_plural = "återbetalningar"
        ordering = ["invoice", "refunded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_ore__gt=0), name="invoice_refund_positive")]

    def __str__(self) -> str:
        return f"refund {self.reference}: {self.amount_ore} öre"
