"""Signing keys and authorization codes of the demo IdP.

Why in the database rather than process memory or a file: the web processes that
show the login page, issue the code and redeem it may be different ones, and each
test database gets its own key without touching the checkout.
"""

from __future__ import annotations

import uuid

from authlib.oidc.core import AuthorizationCodeMixin
from django.db import models

from vardnav.core.crypto import EncryptedTextField


class SigningKey(models.Model):
    """An RSA key the IdP signs ID tokens with; all keys are published in the JWKS."""

    kid = models.CharField(max_length=64, unique=True)
    private_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "signeringsnyckel"
        verbose_name_plural = "signeringsnycklar"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.kid


class AuthorizationCode(AuthorizationCodeMixin, models.Model):
    """A code issued after the demo login, redeemable once within a minute.

    Only its SHA-256 is stored, so a database read does not yield a usable code.
    """

    code_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=100)
    redirect_uri = models.CharField(max_length=500)
    scope = models.CharField(max_length=200)
    nonce = models.CharField(max_length=255, blank=True, default="")
    code_challenge = models.CharField(max_length=128)
    code_challenge_method = models.CharField(max_length=10)
    hsa_id = models.CharField(max_length=31)
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    personal_number = EncryptedTextField(blank=True, default="")  # from the card holder, if the demo knows it
    auth_time = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "auktoriseringskod"
        verbose_name_plural = "auktoriseringskoder"

    def __str__(self) -> str:
        return f"code {self.pk}"

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce or None

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None

    def subject(self) -> DemoSubject:
        return DemoSubject(
            hsa_id=self.hsa_id,
            given_name=self.given_name,
            family_name=self.family_name,
            personal_number=self.personal_number,
        )


class DemoSubject:
    """The person who logged in at the demo IdP: an HSA-id and, if known, a name."""

    def __init__(self, *, hsa_id: str, given_name: str = "", family_name: str = "", personal_number: str = "") -> None:
        self.hsa_id = hsa_id
        self.given_name = given_name
        self.family_name = family_name
        self.personal_number = personal_number

    @property
    def sub(self) -> str:
        # Stable and opaque, as a real IdP's subject: the client must map the HSA claim, not this.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:vardnav:demo-idp:{self.hsa_id}"))
