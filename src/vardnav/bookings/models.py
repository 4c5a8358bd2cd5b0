"""Bookings: visit types, the times staff publish, and the residents' bookings of them.

Why this shape: a published time (`Slot`) is a row of its own, and a
booking points at it. "No double booking, ever" is then one partial unique
constraint in the database (one *active* booking per time), which holds
whatever number of web processes race for the last free time. Times are stored
in UTC and shown in Europe/Stockholm. The tables are built for millions of rows:
every list reads through a composite index and is bounded or keyset-paginated.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.organizations.models import Profession, UnitKind


class VisitKind(models.TextChoices):
    VACCINATION = "vaccination", _("Vaccination")
    NURSE_VISIT = "nurse_visit", _("Sjuksköterskebesök")
    DOCTOR_VISIT = "doctor_visit", _("Läkarbesök")
    VIDEO_MEETING = "video_meeting", _("Digitalt videomöte")


class VisitType(models.Model):
    """What a resident can book at a unit (besökstyp): its length, who sees them, from what age (BOOK-4)."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="visit_types")
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    name = models.CharField(max_length=100, help_text="Shown to residents, e.g. 'TBE-vaccination'")
    name_en = models.CharField(
        max_length=100, blank=True, default="", help_text="The name in English; empty: the Swedish name is shown"
    )
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(240)])
    profession = models.CharField(max_length=20, choices=Profession.choices)
    online_bookable = models.BooleanField(default=True)
    minimum_age_months = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(1200)], help_text="BOOK-4: the youngest age, in whole months"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "besökstyp"
        verbose_name_plural = "besökstyper"
        ordering = ["unit_id", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_visit_type_name_per_unit")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the language shown now: English when English is chosen and there is one, else Swedish."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class UnitBookingSettings(models.Model):
    """How a unit takes visits (BOOK-1): online booking, drop-in, and the drop-in hours."""

    unit = models.OneToOneField("organizations.Unit", on_delete=models.CASCADE, related_name="booking_settings")
    online_booking = models.BooleanField(default=False)
    drop_in = models.BooleanField(default=False)
    drop_in_hours = models.JSONField(default=list, blank=True, help_text='[{"days": "mån–fre", "hours": "09–12"}]')
    reminder_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MaxValueValidator(72)],
        help_text="A reminder goes this many hours before the visit (0: none)",
    )
    weeks_ahead = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(26)], help_text="How far ahead times are shown"
    )

    class Meta:
        verbose_name = "bokningsinställning"
        verbose_name_plural = "bokningsinställningar"

    def __str__(self) -> str:
        return f"Booking settings of unit {self.unit_id}"


class CutoffCounting(models.TextChoices):
    HOURS = "hours", "Timmar före besöket"
    WORKING_DAYS = "working_days", "Hela vardagar före besöket"


class CancellationPolicy(models.Model):
    """BOOK-3: how long before a visit digital cancellation and rebooking close, per provider and unit kind.

    Without a row the defaults apply: 72 hours for specialist care, 24 hours for
    every other unit kind. Some regions count whole weekdays ("en hel vardag",
    "tre hela vardagar") instead of clock hours: `counting` says which.
    """

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.CASCADE, related_name="+")
    unit_kind = models.CharField(max_length=20, choices=UnitKind.choices)
    notice_hours = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(24 * 14)])
    counting = models.CharField(max_length=20, choices=CutoffCounting.choices, default=CutoffCounting.HOURS)

    class Meta:
        verbose_name = "avbokningsregel"
        verbose_name_plural = "avbokningsregler"
        constraints = [
            models.UniqueConstraint(fields=["provider", "unit_kind"], name="one_cancellation_policy_per_unit_kind")
        ]

    def __str__(self) -> str:
        return f"{self.unit_kind}: {self.notice_hours} h"


class SlotStatus(models.TextChoices):
    PUBLISHED = "published", "Publicerad"
    WITHDRAWN = "withdrawn", "Borttagen"


class Slot(models.Model):
    """One time staff have published for a visit type, with a practitioner (or a named resource)."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="times")
    staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    resource = models.CharField(max_length=100, blank=True, help_text="A room or device, when no practitioner")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SlotStatus.choices, default=SlotStatus.PUBLISHED)
    created_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "bokningsbar tid"
        verbose_name_plural = "bokningsbara tider"
        indexes = [
            # Free times of a visit type in a window, in order (the resident's list, keyset on starts_at, id).
            models.Index(fields=["visit_type", "starts_at", "id"], name="slot_by_visit_type_start"),
            # A unit's day (the staff day view).
            models.Index(fields=["unit", "starts_at"], name="slot_by_unit_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            # A practitioner is not published twice for the same start.
            models.UniqueConstraint(
                fields=["staff", "starts_at"],
                condition=Q(status="published", staff__isnull=False),
                name="one_published_slot_per_staff_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Time {self.pk} ({self.starts_at:%Y-%m-%d %H:%M} UTC)"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Bokad"
    CANCELLED = "cancelled", "Avbokad"
    NO_SHOW = "no_show", "Uteblev"


class CancelledVia(models.TextChoices):
    CODE = "code", "Avbokningskod"
    RESIDENT = "resident", "Invånaren på Mina sidor"
    REBOOKED = "rebooked", "Ombokad"
    STAFF = "staff", "Mottagningen"


class Booking(models.Model):
    """A resident's booking of a time, for themself or (as guardian) a child under 16.

    The cancellation code (avbokningskod) is stored only as a SHA-256 hash: it
    is shown once on the confirmation page and sent in the confirmation
    e-mail, like an API token elsewhere. A cancelled booking's code cancels
    nothing more (single use).
    """

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the time so the resident's and the unit's lists read one index each.
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The guardian"
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    cancel_code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_via = models.CharField(max_length=10, choices=CancelledVia.choices, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    rebooked_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "bokning"
        verbose_name_plural = "bokningar"
        indexes = [
            models.Index(fields=["person", "starts_at", "id"], name="booking_by_person_start"),
            models.Index(fields=["booked_by", "starts_at", "id"], name="booking_by_booker_start"),
            models.Index(fields=["unit", "starts_at"], name="booking_by_unit_start"),
            # The reminder sweep: active bookings not yet reminded, soonest first.
            models.Index(
                fields=["starts_at"],
                condition=Q(status="booked", reminded_at__isnull=True),
                name="booking_to_remind",
            ),
        ]
        constraints = [
            # No double booking, ever: one active booking per published time.
            models.UniqueConstraint(fields=["slot"], condition=Q(status="booked"), name="one_active_booking_per_slot")
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} ({self.status})"


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", "Väntar"
    OFFERED = "offered", "Erbjuden en tid"
    DONE = "done", "Klar"


class WaitingListEntry(models.Model):
    """A resident's wish to be told when a time of a visit type opens (väntelista).

    When a booked time is cancelled, the first entry still waiting (oldest
    first) is offered it with an in-app notice and a link; the time stays
    bookable by anyone, so the first to confirm gets it (the one-active-booking
    constraint decides a race). Booking the visit type ends the entry.
    """

    visit_type = models.ForeignKey(VisitType, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    booked_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="The guardian"
    )
    status = models.CharField(max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    offered_slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "plats i väntelista"
        verbose_name_plural = "väntelista"
        indexes = [
            # The first still waiting for a visit type.
            models.Index(
                fields=["visit_type", "created_at", "id"], condition=Q(status="waiting"), name="waiting_first"
            ),
            models.Index(fields=["person", "-id"], name="waiting_by_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["visit_type", "person"],
                condition=~Q(status="done"),
                name="one_open_waiting_entry_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Waiting list entry {self.pk} ({self.status})"


class SummonsLetter(models.Model):
    """A kallelse queued for posting to a protected-identity resident (PRIV-4).

    A protected person gets no e-mail or SMS about a summons, only the in-app
    notice; the letter says a time has been booked and to log in, nothing about
    the visit. It goes only to Skatteverket's forwarding address
    (people.letters.letter_address); without one, no letter is queued. The
    address is personal data and stored encrypted; a print partner posts it.
    """

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="summons_letter")
    recipient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    address = EncryptedTextField(help_text="The forwarding address lines, one a line")
    via_forwarding = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kallelsebrev"
        verbose_name_plural = "kallelsebrev"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(via_forwarding=True), name="summons_letter_only_via_forwarding")
        ]

    def __str__(self) -> str:
        return f"summons letter for booking {self.booking_id}"
