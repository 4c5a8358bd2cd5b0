"""Settings come from the environment and fail loudly; production refuses unsafe set-ups."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.production import LOCAL_PREFIXES, production_env
from vardnav.core.env import ConfigError, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process: this environment without local settings, plus `env`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(LOCAL_PREFIXES)}
    environ.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_number_names_the_variable():
    with pytest.raises(ConfigError, match="DB_CONN_MAX_AGE"):
        env_int("DB_CONN_MAX_AGE", 60, environ={"DB_CONN_MAX_AGE": "sixty"})


def test_a_malformed_boolean_names_the_variable():
    with pytest.raises(ConfigError, match="DEBUG"):
        env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


def test_an_unknown_choice_names_the_variable():
    with pytest.raises(ConfigError, match="VARDNAV_ENV"):
        env_choice("VARDNAV_ENV", "development", ("development", "production"), environ={"VARDNAV_ENV": "prod"})


def test_lists_are_split_on_commas():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.se, b.se,"}) == ["a.se", "b.se"]


def test_start_up_stops_on_a_malformed_variable():
    result = run_manage("check", DB_CONN_MAX_AGE="forever")
    assert result.returncode != 0
    assert "DB_CONN_MAX_AGE" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", **production_env(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_refuses_sqlite_unless_explicitly_allowed():
    refused = run_manage("check", **production_env(DATABASE_URL="sqlite:////tmp/vardnav-prod.sqlite3"))
    assert refused.returncode != 0
    assert "SQLite" in refused.stderr
    allowed = run_manage(
        "check",
        **production_env(DATABASE_URL="sqlite:////tmp/vardnav-prod.sqlite3", VARDNAV_ALLOW_SQLITE_IN_PRODUCTION="true"),
    )
    assert allowed.returncode == 0, allowed.stderr


@pytest.mark.parametrize("variable", ["BANKID_CERT_FILE", "VARDNAV_PUBLIC_URL", "FIELD_INDEX_KEYS"])
def test_production_refuses_to_start_without_its_required_settings(variable):
    env = production_env()
    del env[variable]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_the_deploy_check_is_clean_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


DEMO_APPS = ("vardnav.demo", "vardnav.demo_idp", "vardnav.bankid_simulator", "vardnav.swish_simulator")
DEMO_COMMANDS = ("load_demo", "rundemo", "reset_demo", "mailsink", "bankid_simulator", "swish_simulator")


def test_production_installs_none_of_the_demo_apps():
    script = "from django.conf import settings; print(*settings.INSTALLED_APPS, sep=chr(10))"
    result = run_manage("shell", "-c", script, **production_env())
    assert result.returncode == 0, result.stderr
    installed = result.stdout.split()
    assert "vardnav.cases" in installed
    assert not set(DEMO_APPS) & set(installed)


def test_production_has_none_of_the_demo_commands():
    result = run_manage("help", "--commands", **production_env())
    assert result.returncode == 0, result.stderr
    commands = result.stdout.split()
    assert "migrate" in commands
    assert not set(DEMO_COMMANDS) & set(commands)


def test_development_installs_the_demo_apps_and_their_commands():
    result = run_manage("help", "--commands")
    assert result.returncode == 0, result.stderr
    assert set(DEMO_COMMANDS) <= set(result.stdout.split())


def test_no_production_module_imports_a_demo_app():
    """The demo apps may import anything; production code (everything else outside tests) none of them."""
    offenders = []
    for module in sorted((ROOT / "src" / "vardnav").rglob("*.py")):
        relative = module.relative_to(ROOT / "src")
        app = relative.parts[1]
        if f"vardnav.{app}" in DEMO_APPS or "tests" in relative.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            if any(name == demo or name.startswith(demo + ".") for name in names for demo in DEMO_APPS):
                offenders.append(f"{relative}:{node.lineno}")
    assert not offenders, offenders


@pytest.mark.parametrize("environment", ["development", "test"])
def test_debug_pages_are_off_unless_asked_for(environment):
    """The debug 404 lists the URL map and the debug 500 a traceback: never by default, demo included."""
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", VARDNAV_ENV=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_404_in_demo_mode_shows_our_page_not_the_url_map(client):
    response = client.get("/finns-inte/alls/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Using the URLconf" not in page and "api/v1/" not in page
    assert "Sidan finns inte" in page or "hittades inte" in page.lower()


@pytest.mark.rule("VISIT-8")
def test_production_refuses_an_in_memory_channel_layer():
    """The two participants of a video meeting may reach different ASGI processes: production needs Redis."""
    env = production_env()
    del env["REDIS_URL"]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    script = "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"
    shown = run_manage("shell", "-c", script, **production_env())
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "channels_redis.core.RedisChannelLayer"


def test_turn_servers_need_credentials_and_ice_addresses_their_scheme():
    turn_only = run_manage("check", VIDEO_TURN_URLS="turn:turn.example.se:3478")
    assert turn_only.returncode != 0 and "VIDEO_TURN_SECRET" in turn_only.stderr
    wrong = run_manage("check", VIDEO_STUN_URLS="https://stun.example.se")
    assert wrong.returncode != 0 and "VIDEO_STUN_URLS" in wrong.stderr


def test_production_with_swish_needs_the_merchant_certificate_and_swishs_chain():
    """FEE-6: callbacks are unsigned, so the status is fetched from Swish over a pinned chain."""
    refused = run_manage("check", **production_env(SWISH_BASE_URL="https://cpc.getswish.net/swish-cpcapi/"))
    assert refused.returncode != 0
    assert "SWISH_CA_FILE" in refused.stderr
