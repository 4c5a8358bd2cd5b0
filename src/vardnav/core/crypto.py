"""Field-level encryption at rest (REC-10) and blind indexes.

Why: personal data must be stored encrypted (REC-10). Volume encryption in
production protects against a stolen disk; field-level encryption additionally
keeps names, contact details and personal numbers unreadable in database dumps,
replicas, backups and to anyone with SQL access but not the keys. Values are
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under MultiFernet, so keys can
be rotated: the first key in FIELD_ENCRYPTION_KEYS encrypts, all keys decrypt,
and `manage.py rotate_field_keys` re-encrypts everything with the first.

A value that must be found by equality (the personal number) also gets a blind
index: an HMAC-SHA256 under keys of its own (FIELD_INDEX_KEYS), kept apart from
the encryption keys so rotating those never breaks a lookup. Index keys rotate
the same way: the first key writes, lookups try every key, and
`rotate_field_keys --reindex` rewrites every index with the first.
See docs/decisions/0003-encryption-at-rest.md.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

PREFIX = "fernet:"


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    try:
        each = [Fernet(key.encode()) for key in keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a malformed key: {exc}") from None
    return MultiFernet(each), each[0]


def fernet() -> MultiFernet:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[0]


def _primary() -> Fernet:
    return _fernets(tuple(settings.FIELD_ENCRYPTION_KEYS))[1]


def encrypt(plaintext: str) -> str:
    return PREFIX + fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("an encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS") from None


def is_encrypted_with_newest_key(stored: str) -> bool:
    """True when the newest key alone decrypts `stored`, so rotation can skip it."""
    if not stored.startswith(PREFIX):
        return False
    try:
        _primary().decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def rotate(stored: str) -> str:
    """Re-encrypt a stored value under the newest key; a plaintext legacy value is encrypted."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    try:
        return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("an encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS") from None


def _index_keys() -> list[bytes]:
    keys = list(settings.FIELD_INDEX_KEYS)
    if not keys:
        raise ImproperlyConfigured("FIELD_INDEX_KEYS is empty")
    # Hashing with a fixed label gives a full-length HMAC key from any secret
    # string and keeps these keys from ever being used for anything else.
    return [hashlib.sha256(b"vardnav-blind-index:" + key.encode()).digest() for key in keys]


def _hmac(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """The index to store for `value`: HMAC under the newest index key."""
    return _hmac(_index_keys()[0], value)


def blind_index_candidates(value: str) -> list[str]:
    """Every index `value` may be stored under while an index-key rotation is under way."""
    return [_hmac(key, value) for key in _index_keys()]


class _EmptyOnlyExact(Exact):
    """Ciphertext is randomised, so equality can only ever match the empty value."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted and cannot be compared; look it up through its blind index"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # its Python value is a str, like its base
    """A text column whose value is stored Fernet-encrypted; empty stays empty.

    Encrypted columns cannot be filtered, searched or ordered on (a filter that
    could never match raises FieldError instead of silently finding nothing);
    use a BlindIndexField for exact lookups.
    """

    description = "Encrypted text"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return cast(str | None, value)
        return decrypt(value)

    # No to_python override: values outside the database (forms, fixtures from
    # dumpdata) are always plaintext, and decrypting user input that merely
    # starts with the prefix would turn a typo into a server error.

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


class BlindIndexField(models.CharField):  # type: ignore[type-arg]  # holds a str like its base
    """The HMAC of another (encrypted) field of the same row, kept in step on every save.

    `source` names that field. Because the index is computed here, no caller can
    store a number whose index does not match it, and `rotate_field_keys
    --reindex` can find every index and its source generically.
    """

    description = "Blind index (HMAC) of another field"

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        index = blind_index(value) if value else ""
        setattr(model_instance, self.attname, index)
        return index


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
