"""Shared fixtures (personas) for every app's tests."""

from __future__ import annotations

import os

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _require_postgres_when_asked() -> None:
    """In CI's PostgreSQL run, a suite that silently ran on SQLite would prove nothing."""
    if os.environ.get("VARDNAV_REQUIRE_POSTGRES") == "1":
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
