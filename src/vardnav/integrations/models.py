"""API tokens for a care provider's own systems (CASE-7, CASE-10).

Only a SHA-256 hash of each token is stored: the secret is 32 random bytes,
shown once when the token is made, so a leaked database reveals no usable
credential. A hash without a salt is enough here because the secret has full
entropy; there is nothing to guess word by word.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntegrationScope(models.TextChoices):
    CASES_REGISTER = "cases:register", _("Registrera ärenden från andra kanaler och telefon")
    LAB_RESULTS = "labs:results", _("Lämna provsvar på remisser (laboratorium)")
    PRESSURE_VOUCHERS = "labs:pressure-vouchers", _("Kontrollera och använda koder för blodtrycksmätning (apotek)")
    INSURER_REQUESTS = "records:insurer-requests", _("Begära journaluppgifter med kundens fullmakt (försäkringsbolag)")


class IntegrationToken(models.Model):
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("namn", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("början av nyckeln", max_length=12, editable=False)
    scopes = models.JSONField("behörigheter", default=list)
    created_by_staff = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField("skapad", editable=False)
    revoked_at = models.DateTimeField("återkallad", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("senast använd", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API-nyckel för integration"
        verbose_name_plural = "API-nycklar för integrationer"
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_integration_token_per_name",
                violation_error_message="Vårdgivaren har redan en aktiv nyckel med det namnet.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
