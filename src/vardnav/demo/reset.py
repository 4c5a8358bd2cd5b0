"""Emptying the database on purpose, audit log included: for the demo reset and the test runner.

Why this exists: the audit log is append-only down to the database (audit
migration 0002). PostgreSQL's flush truncates, which fires no row triggers, but
Django's flush on SQLite deletes row by row and the triggers refuse that — as
they should for anything but a deliberate reset. The two deliberate resets are
development-only: `manage.py reset_demo` and the flush after each
transactional test (tests/fixtures.py). Both go through here, rather than
through a `flush` command that would shadow Django's for every caller.

On SQLite the triggers are lifted for the block only and restored exactly as
they were (read back from sqlite_master), even if the block fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.records.models import RecordNote

# Every table the database itself guards against UPDATE and DELETE: the audit log
# (audit migration 0002) and the signed record notes (records migration 0001).
AUDIT_TABLES = (RecordNote._meta.db_table, AuditEntry._meta.db_table, AuditChainHead._meta.db_table)


@contextmanager
def audit_log_guard_lifted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block, the audit tables can be emptied on SQLite; elsewhere nothing changes."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(AUDIT_TABLES))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",  # noqa: S608
            AUDIT_TABLES,
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)


def empty_audit_log(using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every audit entry and chain head (and signed record note), as a flush of the whole database would.

    PostgreSQL truncates, with what refers to them (no row triggers fire; the database owner may); SQLite
    deletes with the guard lifted.
    """
    connection = connections[using]
    tables = ", ".join(connection.ops.quote_name(table) for table in AUDIT_TABLES)
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            # CASCADE: rows that point at a signed note or an entry (national exports, log reviews) go too.
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        return
    with audit_log_guard_lifted(using), connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
