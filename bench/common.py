"""Shared set-up of the benchmark and the crash test: the bench database and Django.

Why a database of its own: the data set is large and the crash test kills
connections; neither must touch the development database or anyone's test
database on the same PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"

PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
BENCH_DB = os.environ.get("BENCH_DB", "vardnav_bench")


def conninfo(dbname: str = BENCH_DB) -> str:
    return f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={dbname}"


def database_url(dbname: str = BENCH_DB) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


def app_env(dbname: str = BENCH_DB, **extra: str) -> dict[str, str]:
    """The environment the app runs with in the benchmark: PostgreSQL, DEBUG off, quiet logs."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(dbname),
        DJANGO_SETTINGS_MODULE="vardnav.settings",
        VARDNAV_ENV="development",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    env.update(extra)
    return env


def setup_django(dbname: str = BENCH_DB) -> None:
    os.environ.update(app_env(dbname))
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def manage(*args: str, dbname: str = BENCH_DB) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT, env=app_env(dbname))


def database_exists(dbname: str = BENCH_DB) -> bool:
    import psycopg

    with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is not None


def recreate_database(dbname: str = BENCH_DB) -> None:
    import psycopg
    from psycopg import sql

    if not dbname.startswith("vardnav_bench"):
        raise SystemExit(f"refusing to drop {dbname!r}: bench databases are named vardnav_bench*")
    with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def migrate_and_seed(dbname: str = BENCH_DB) -> None:
    """Schema and the demo world (providers, units, staff, services with questionnaires)."""
    manage("migrate", "--noinput", "-v", "0", dbname=dbname)
    manage("createcachetable", dbname=dbname)
    manage("load_demo", dbname=dbname)
