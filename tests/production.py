"""A complete production environment for tests that start Django as production would."""

from __future__ import annotations

import os
import secrets

from cryptography.fernet import Fernet

# Variables of the test process that must not leak into a "production" start.
# DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it in their worker process.
LOCAL_PREFIXES = ("VARDNAV_", "DATABASE_URL", "DEBUG", "STAFF_", "BANKID_", "DJANGO_ALLOW_ASYNC_UNSAFE")


def production_env(**overrides: str) -> dict[str, str]:
    """os.environ without the local settings, plus every variable production requires."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(LOCAL_PREFIXES)}
    environ.update(
        {
            "VARDNAV_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://vardnav@db.internal:5432/vardnav",
            "ALLOWED_HOSTS": "vardnav.example.se",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "FIELD_INDEX_KEYS": "i" * 48,
            "STAFF_OIDC_ISSUER": "https://idp.example.se",
            "STAFF_OIDC_CLIENT_ID": "vardnav",
            "STAFF_OIDC_CLIENT_SECRET": "s" * 40,
            "BANKID_BASE_URL": "https://appapi2.bankid.com/rp/v6.0/",
            "BANKID_CERT_FILE": "/etc/vardnav/bankid-rp.pem",
            "BANKID_KEY_FILE": "/etc/vardnav/bankid-rp-key.pem",
            "VARDNAV_PUBLIC_URL": "https://vardnav.example.se",
            # The channel layer of the video meetings' signalling (and the cache and sessions).
            "REDIS_URL": "redis://cache.internal:6379/0",
        }
    )
    environ.update(overrides)
    return environ
