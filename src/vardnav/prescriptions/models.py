"""The drug register, providers' renewal policies, prescriptions and outgoing e-prescriptions.

Why a register of our own: RX-3 asks that every renewal names a real product.
The rows mirror NPL (Läkemedelsverket's product register) closely enough that
the nightly NPL export can be imported as-is; the curated demo file uses the
same columns. The flags antibiotic, addictive and contraceptive are derived
from the ATC code and the narcotic class when a row is saved (see
register.classify) and stored, so policy checks and lists need no ATC logic in
SQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField


class NarcoticClass(models.TextChoices):
    NONE = "", "Inte narkotikaklassat"
    I = "I", "Förteckning I"  # noqa: E741 (the list's own name)
    II = "II", "Förteckning II"
    III = "III", "Förteckning III"
    IV = "IV", "Förteckning IV"
    V = "V", "Förteckning V"


class ProductSource(models.TextChoices):
    CURATED = "curated", "Kurerad demolista"
    NPL = "npl", "NPL (Läkemedelsverket)"


class Product(models.Model):
    """One medicinal product as sold in Sweden: name, form and strength (an NPL-id)."""

    npl_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, help_text="Produktnamn som det står på förpackningen")
    strength = models.CharField(max_length=120, blank=True)
    form = models.CharField(max_length=120, blank=True)
    substances = models.CharField(max_length=400, blank=True)
    atc_code = models.CharField(max_length=8, blank=True, db_index=True)
    narcotic_class = models.CharField(max_length=3, choices=NarcoticClass.choices, blank=True, default="")
    manufacturer = models.CharField(max_length=200, blank=True)
    is_antibiotic = models.BooleanField(default=False)
    is_addictive = models.BooleanField(default=False)
    is_contraceptive = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=ProductSource.choices, default=ProductSource.CURATED)
    is_active = models.BooleanField(default=True, help_text="Marketed; inactive products are not offered")
    # name + strength + form + substances, lower-case, without diacritics: what type-ahead searches.
    search_name = models.CharField(max_length=900, db_index=True)
    name_key = models.CharField(max_length=200, db_index=True, help_text="The name alone, normalised")

    class Meta:
        verbose_name = "läkemedel"
        verbose_name_plural = "läkemedel"
        ordering = ["name", "strength", "form"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.name, self.strength, self.form.lower()) if part)

    @property
    def is_narcotic(self) -> bool:
        return bool(self.narcotic_class)


class NarcoticsPolicy(models.TextChoices):
    REFUSE = "refuse", _("Förnyas inte via e-tjänsten")
    ALLOW_WITH_FLAG = "allow_with_flag", _("Tas emot och flaggas för förskrivaren")


class RenewalPolicy(models.Model):
    """A care provider's typed renewal policy (RX-5); a provider without a row has the defaults.

    The defaults are the stricter seed (Min Doktor: narcotics are never renewed);
    a region like Gävleborg sets allow_with_flag and lets the prescriber decide.
    """

    provider = models.OneToOneField(
        "organizations.CareProvider", on_delete=models.CASCADE, related_name="renewal_policy"
    )
    narcotics = models.CharField(max_length=20, choices=NarcoticsPolicy.choices, default=NarcoticsPolicy.REFUSE)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "förnyelsepolicy"
        verbose_name_plural = "förnyelsepolicyer"

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.narcotics}"


class Prescription(models.Model):
    """A prescription the provider issued: the resident's medication list (RX-1) is built from these."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="prescriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="prescriptions")
    dosage = EncryptedTextField(blank=True, default="")
    amount = models.CharField(max_length=120, blank=True)
    duration_days = models.PositiveIntegerField()
    prescriber = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="prescriptions")
    prescriber_hsa_id = models.CharField(max_length=31)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    prescribed_at = models.DateTimeField()
    source_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="prescriptions"
    )

    class Meta:
        verbose_name = "förskrivning"
        verbose_name_plural = "förskrivningar"
        indexes = [
            # The medication list: one person's prescriptions at one provider, newest first.
            models.Index(fields=["person", "provider", "-prescribed_at"], name="rx_person_provider_time"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.person_id}"


class EPrescriptionMessage(models.Model):
    """What the local e-prescription gateway 'sent': one row per prescription (an outbox for the real service)."""

    prescription = models.OneToOneField(Prescription, on_delete=models.PROTECT, related_name="eprescription")
    payload = EncryptedJSONField()
    status = models.CharField(max_length=20, default="recorded")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "e-recept"
        verbose_name_plural = "e-recept"

    def __str__(self) -> str:
        return f"e-recept {self.prescription_id}"
