"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet.

Why: `DATABASE_URL=postgres://… make run` should work on a fresh PostgreSQL
server just as `make run` does on SQLite, where the file is created on first use.
On SQLite it only makes sure the folder exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Create the configured database if it is missing (PostgreSQL), or its folder (SQLite)."

    def handle(self, *args: Any, **options: Any) -> None:
        config = settings.DATABASES["default"]
        if config["ENGINE"] == "django.db.backends.sqlite3":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            return
        if config["ENGINE"] != "django.db.backends.postgresql":
            return
        import psycopg
        from psycopg import sql

        name = config["NAME"]
        try:
            with psycopg.connect(
                dbname="postgres",
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
                autocommit=True,
            ) as connection:
                exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(f"Skapade databasen {name}.")
        except psycopg.Error as exc:
            raise CommandError(f"PostgreSQL is not reachable or refused to create {name}: {exc}") from None
        connections.close_all()
