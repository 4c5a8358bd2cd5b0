"""Where sessions live: Redis (cache-backed database store) when REDIS_URL is set, the database otherwise.

The Redis tests use a database number and key prefix of their own on the local
Redis; without a Redis on this machine they are skipped (CI without Redis still
runs the database path, which every other test uses).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.production import production_env
from tests.sessions import log_in_client, resident_identity

ROOT = Path(__file__).resolve().parents[4]
REDIS_URL = os.environ.get("VARDNAV_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _settings_in_fresh_process(*, production: bool = True, **env: str) -> dict[str, str]:
    """SESSION_ENGINE and the cache backends as a web process with `env` configures them.

    Production needs Redis (the video meetings' channel layer), so the embedded
    fallback without Redis is what a demo or development process gets.
    """
    if production:
        environ = production_env(**env)
    else:
        keep = ("PATH", "HOME", "LANG")
        environ = {k: v for k, v in os.environ.items() if k in keep} | {"VARDNAV_ENV": "development", **env}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_ENGINE); print(s.CACHES['default']['BACKEND']); "
        "print(s.CACHES.get('sessions', {}).get('BACKEND', '-'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "DJANGO_SETTINGS_MODULE": "vardnav.settings", "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.split()
    return {"engine": out[0], "default": out[1], "sessions": out[2]}


def test_without_redis_sessions_and_rate_limits_use_the_database():
    configured = _settings_in_fresh_process(production=False)
    assert configured == {
        "engine": "django.contrib.sessions.backends.db",
        "default": "django.core.cache.backends.db.DatabaseCache",
        "sessions": "-",
    }


def test_in_production_with_redis_sessions_and_rate_limits_use_redis():
    configured = _settings_in_fresh_process(REDIS_URL=REDIS_URL)
    assert configured == {
        "engine": "django.contrib.sessions.backends.cached_db",
        "default": "django.core.cache.backends.redis.RedisCache",
        "sessions": "django.core.cache.backends.redis.RedisCache",
    }


def test_a_logged_in_request_reads_its_session_from_the_database_without_redis(world):
    client = log_in_client(Client(), resident_identity(world.resident_a))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/cases")
    assert response.status_code == 200
    assert any("django_session" in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def redis_sessions():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    backend = "django.core.cache.backends.redis.RedisCache"
    caches_setting = {
        "default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": "vardnav-test-rl"},
        "sessions": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": "vardnav-test-s"},
    }
    with override_settings(
        CACHES=caches_setting,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        caches["sessions"].clear()
        yield caches["sessions"]
        caches["sessions"].clear()
        caches["default"].clear()


def test_with_redis_a_logged_in_request_reads_no_session_from_the_database(world, redis_sessions):
    client = log_in_client(Client(), resident_identity(world.resident_a))
    key = client.cookies["vardnav_session"].value
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/cases")
    assert response.status_code == 200
    assert not any("django_session" in q["sql"] for q in ctx.captured_queries)
    # Written through to the database as well: a restarted (emptied) Redis logs nobody out.
    assert Session.objects.filter(session_key=key).exists()
    redis_sessions.clear()
    again = client.get("/api/v1/cases")
    assert again.status_code == 200
    assert again.json()["items"] == response.json()["items"]


def test_with_redis_logging_out_ends_the_session_everywhere(world, redis_sessions):
    client = log_in_client(Client(), resident_identity(world.resident_a))
    key = client.cookies["vardnav_session"].value
    assert client.get("/api/v1/cases").status_code == 200
    client.post("/logga-ut/", follow=False)
    assert client.get("/api/v1/cases").status_code in (401, 403)
    assert not Session.objects.filter(session_key=key).exists()
    assert redis_sessions.get(f"django.contrib.sessions.cached_db{key}") is None
