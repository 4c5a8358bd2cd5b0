"""Tamper evidence: audit_verify finds changed, removed and truncated entries and passes an intact log."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.audit.tests.helpers import RESIDENT_ID, append_only_triggers_lifted, raw, resident_actor
from vardnav.audit.verify import verify_all

pytestmark = pytest.mark.django_db


def _write(count: int) -> list[AuditEntry]:
    """`count` entries in separate transactions, so they spread over the shards."""
    entries = []
    for i in range(count):
        with transaction.atomic():
            entries.append(
                do_record(
                    resident_actor(), AuditEvent.READ, object_type="case", object_id=i, subject_person_id=RESIDENT_ID
                )
            )
    return entries


def _problems() -> list[str]:
    return [problem.kind for report in verify_all(batch_size=3) for problem in report.problems]


def _verify_command() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", "--batch-size", "3", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@override_settings(AUDIT_CHAIN_SHARDS=2)
def test_an_intact_log_verifies_across_several_batches_and_shards():
    _write(20)
    reports = verify_all(batch_size=3)
    assert sum(report.entries for report in reports) == 20
    assert [report.problems for report in reports] == [[] for _ in reports]
    out, _err = _verify_command()
    assert "audit log intact: 20 entries" in out


def test_an_empty_log_verifies():
    out, _err = _verify_command()
    assert "audit log intact: 0 entries in 0 shard(s)" in out


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_modified_entry_is_reported_once_and_fails_the_command():
    entries = _write(8)
    with append_only_triggers_lifted():
        raw("UPDATE audit_auditentry SET subject_person_id = 999 WHERE id = %s", (entries[3].pk,))
    assert _problems() == ["modified"]
    with pytest.raises(CommandError, match="1 problem"):
        _verify_command()


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_modified_entry_with_a_recomputed_hash_breaks_the_link_to_its_successor():
    entries = _write(5)
    victim = AuditEntry.objects.get(pk=entries[2].pk)
    forged_hash = "f" * 64
    with append_only_triggers_lifted():
        raw("UPDATE audit_auditentry SET hash = %s WHERE id = %s", (forged_hash, victim.pk))
    assert set(_problems()) == {"modified", "broken-link"}


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_deleted_entry_is_reported_as_missing():
    entries = _write(8)
    with append_only_triggers_lifted():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entries[4].pk,))
    assert _problems() == ["missing"]
    with pytest.raises(CommandError):
        _verify_command()


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_deleted_first_entry_is_reported_as_missing():
    entries = _write(3)
    with append_only_triggers_lifted():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entries[0].pk,))
    assert _problems() == ["missing"]


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_truncated_tail_is_reported():
    entries = _write(6)
    with append_only_triggers_lifted():
        raw("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", (entries[4].pk, entries[5].pk))
    assert _problems() == ["truncated"]


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_removed_chain_head_is_reported():
    _write(2)
    with append_only_triggers_lifted():
        raw("DELETE FROM audit_auditchainhead")
    assert _problems() == ["head-missing"]


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_chain_head_pointing_at_a_different_hash_is_reported():
    _write(2)
    with append_only_triggers_lifted():
        raw("UPDATE audit_auditchainhead SET hash = %s", ("e" * 64,))
    assert _problems() == ["head-mismatch"]


def test_shards_of_a_formerly_larger_setting_are_still_verified():
    with override_settings(AUDIT_CHAIN_SHARDS=64):
        entries = _write(10)
    top_shard = max(entry.shard for entry in entries)
    with override_settings(AUDIT_CHAIN_SHARDS=1):
        _write(2)
        reports = verify_all()
    assert len(reports) == top_shard + 1
    assert sum(report.entries for report in reports) == 12
    assert [report.problems for report in reports] == [[] for _ in reports]
