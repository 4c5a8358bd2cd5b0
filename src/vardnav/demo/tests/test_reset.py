"""Emptying the whole database on purpose (reset_demo, the test runner's flush) empties the audit log, nothing less."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.audit.tests.helpers import raw, resident_actor
from vardnav.demo import data
from vardnav.demo.reset import audit_log_guard_lifted, empty_audit_log
from vardnav.organizations.models import CareProvider


def assert_the_append_only_guard_is_in_place() -> None:
    entry = do_record(resident_actor(), AuditEvent.CREATE, object_type="case", object_id=2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entry.pk,))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_reset_demo_empties_the_log_loads_the_demo_again_and_leaves_the_guard_in_place():
    do_record(resident_actor(), AuditEvent.CREATE, object_type="case", object_id=1)
    CareProvider.objects.create(name="Kvar från förr", slug="kvar-fran-forr")

    out = StringIO()
    call_command("reset_demo", interactive=False, stdout=out)

    assert "Skapade:" in out.getvalue()
    assert not CareProvider.objects.filter(slug="kvar-fran-forr").exists()
    assert CareProvider.objects.filter(slug=data.PROVIDER_SLUG).exists()
    # Only the demo load's own entries remain: the one written before is gone.
    assert not AuditEntry.objects.filter(object_type="case").exists()
    assert_the_append_only_guard_is_in_place()


@pytest.mark.django_db(transaction=True)
def test_empty_audit_log_empties_entries_and_heads_and_leaves_the_guard_in_place():
    do_record(resident_actor(), AuditEvent.CREATE, object_type="case", object_id=1)

    empty_audit_log()

    assert not AuditEntry.objects.exists()
    assert not AuditChainHead.objects.exists()
    assert_the_append_only_guard_is_in_place()


@pytest.mark.django_db(transaction=True)
def test_the_guard_comes_back_even_when_the_block_fails():
    with pytest.raises(RuntimeError), audit_log_guard_lifted():
        raise RuntimeError("half-way")
    assert_the_append_only_guard_is_in_place()


@pytest.mark.django_db
def test_reset_demo_is_refused_outside_the_demo(settings):
    settings.VARDNAV_DEMO = False
    with pytest.raises(CommandError, match="VARDNAV_DEMO"):
        call_command("reset_demo", interactive=False)
