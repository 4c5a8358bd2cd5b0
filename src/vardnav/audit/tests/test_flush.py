"""Emptying the whole database (flush, as the test runner does) empties the audit log, nothing less."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from vardnav.audit.actions import do_record
from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.audit.tests.helpers import raw, resident_actor


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_leaves_the_append_only_guard_in_place():
    do_record(resident_actor(), "create", object_type="case", object_id=1)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert not AuditChainHead.objects.exists()

    entry = do_record(resident_actor(), "create", object_type="case", object_id=2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entry.pk,))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
