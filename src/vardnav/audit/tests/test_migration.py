"""Migration 0003 (the `extra` column) on a log that has entries: they still verify and stay append-only.

Why a migration test: on SQLite some column changes rebuild the table, which
would silently drop the append-only triggers of 0002. This migrates the audit
app back to before `extra` and forward again with entries in place.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.audit.tests.helpers import RESIDENT_ID, raw, resident_actor
from vardnav.audit.verify import verify_all

BEFORE_EXTRA = ("audit", "0002_append_only_triggers")


def _migrate(*targets: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))


def _latest() -> list[tuple[str, str]]:
    """Every app's latest migration: going back in audit also unapplies the apps that depend on it (records)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_adding_extra_keeps_existing_entries_verifiable_and_the_log_append_only():
    entries = [
        do_record(resident_actor(), AuditEvent.CASE_SUBMIT, object_type="cases.case", object_id=i) for i in range(3)
    ]
    latest = _latest()
    _migrate(BEFORE_EXTRA)
    try:
        with connection.cursor() as cursor:
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, "audit_auditentry")
            ]
        assert "extra" not in columns
    finally:
        _migrate(*latest)

    assert [problem for report in verify_all() for problem in report.problems] == []
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_auditentry SET extra = '{}' WHERE id = %s", (entries[0].pk,))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entries[1].pk,))
    assert AuditEntry.objects.filter(extra__isnull=True).count() == 3

    with transaction.atomic():
        do_record(
            resident_actor(), AuditEvent.UPDATE, object_type="people.person", object_id=RESIDENT_ID, extra={"a": 1}
        )
    assert [problem for report in verify_all() for problem in report.problems] == []
