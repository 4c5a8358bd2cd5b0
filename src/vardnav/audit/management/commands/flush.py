"""Django's flush, able to empty the audit log on SQLite too.

Why: flush (run by the test runner after every transactional test) empties
every table. PostgreSQL does it with TRUNCATE, which fires no row triggers, but
SQLite deletes row by row and the audit log's append-only triggers refuse that.
Emptying the whole database is a deliberate developer operation, so on SQLite
the audit triggers are lifted for the flush alone and restored afterwards,
exactly as they were (read back from sqlite_master), even if the flush fails.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from vardnav.audit.models import AuditChainHead, AuditEntry


class Command(FlushCommand):
    help = FlushCommand.help + " On SQLite, the audit log's append-only triggers are lifted for the flush only."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        tables = (AuditEntry._meta.db_table, AuditChainHead._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                tables,
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
