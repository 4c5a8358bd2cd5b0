"""Field-level encryption at rest (REC-10) and blind indexes.

Why: personal data must be stored encrypted (REC-10). Disk/volume encryption in
production protects against a stolen disk; field-level encryption additionally
keeps names, contact details and personal numbers unreadable in database dumps,
replicas and backups. Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256)
under MultiFernet, so keys can be rotated: the first key in
FIELD_ENCRYPTION_KEYS encrypts, all keys decrypt. A value that must be looked
up exactly (the personal number) also gets a blind index: an HMAC under a key
derived from the newest-but-stable index key, so equality lookups work without
decrypting. See docs/decisions/0003-encryption-at-rest.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a malformed key: {exc}") from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("an encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS") from None


def rotate(stored: str) -> str:
    """Re-encrypt a stored value under the newest key."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


def _index_key() -> bytes:
    # The index key is derived from the *oldest* configured key so that adding a
    # new encryption key does not change every blind index. Rotating the index
    # key itself is a separate, deliberate re-index (rotate_field_keys --reindex).
    raw = settings.FIELD_ENCRYPTION_KEYS[-1]
    return hashlib.sha256(b"vardnav-blind-index:" + base64.urlsafe_b64decode(raw.encode())).digest()


def blind_index(value: str) -> str:
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is stored Fernet-encrypted; empty stays empty.

    Encrypted columns cannot be filtered or ordered on; use a blind index for
    exact lookups.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
