"""The audit trail survives a rewrite of the database: chain heads anchored outside it, checked by audit_verify."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from tests.tasks import run_tasks
from vardnav.audit.actions import chain_hash, do_record
from vardnav.audit.anchors import FileAnchorStore, S3AnchorStore, check_against_anchors, do_anchor_chain_heads
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import GENESIS_HASH, AuditEntry
from vardnav.audit.tasks import anchor_audit_chains
from vardnav.audit.tests.helpers import RESIDENT_ID, append_only_triggers_lifted, raw, resident_actor
from vardnav.audit.verify import verify_all
from vardnav.core import clock

pytestmark = pytest.mark.django_db

BUCKET = "vardnav-audit-anchors-test"


@pytest.fixture
def anchor_file(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors" / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_S3_BUCKET = None
    return settings.AUDIT_ANCHOR_FILE


def _write(count: int) -> list[AuditEntry]:
    entries = []
    for i in range(count):
        with transaction.atomic():
            entries.append(
                do_record(
                    resident_actor(), AuditEvent.READ, object_type="case", object_id=i, subject_person_id=RESIDENT_ID
                )
            )
    return entries


def _verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _verify_fails() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def _rewrite_whole_shard(shard: int, victim_seq: int) -> None:
    """What an attacker with write access to the database does: change one entry, re-chain the shard, move the head."""
    prev = GENESIS_HASH
    with append_only_triggers_lifted():
        for entry in AuditEntry.objects.filter(shard=shard).order_by("seq"):
            if entry.seq == victim_seq:
                entry.subject_person_id = 999  # the rewrite hides whose record was read
            entry.prev_hash = prev
            entry.hash = chain_hash(prev, entry.chain_payload())
            raw(
                "UPDATE audit_auditentry SET subject_person_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
                (entry.subject_person_id, entry.prev_hash, entry.hash, entry.pk),
            )
            prev = entry.hash
        raw("UPDATE audit_auditchainhead SET hash = %s WHERE shard = %s", (prev, shard))


@override_settings(AUDIT_CHAIN_SHARDS=2)
def test_the_anchor_command_appends_every_shards_head_as_one_fsynced_json_line(anchor_file):
    _write(6)
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    _write(2)
    call_command("audit_anchor", stdout=out)

    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert {h["shard"] for h in second["heads"]} <= {0, 1}
    assert sum(h["seq"] for h in second["heads"]) == 8
    assert second["prev"] != first["prev"]
    assert "subject" not in lines[0] and str(RESIDENT_ID) not in lines[0]  # heads only, never entry contents
    assert "Anchored" in out.getvalue()
    verified, _err = _verify()
    assert "audit log intact: 8 entries" in verified


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_rewrite_of_a_whole_shard_and_its_head_is_caught_by_the_anchors(anchor_file):
    _write(6)
    do_anchor_chain_heads()

    _rewrite_whole_shard(0, victim_seq=3)

    # The chains alone are consistent again: this is the rewrite the anchors exist for.
    assert [problem for report in verify_all() for problem in report.problems] == []
    err = _verify_fails()
    assert "anchor-mismatch" in err
    assert "shard 0 seq 6" in err


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_shard_removed_entirely_is_caught_by_the_anchors(anchor_file):
    _write(3)
    do_anchor_chain_heads()
    with append_only_triggers_lifted():
        raw("DELETE FROM audit_auditentry")
        raw("DELETE FROM audit_auditchainhead")

    assert "anchor-beyond-chain" in _verify_fails()


@override_settings(AUDIT_CHAIN_SHARDS=1, AUDIT_ANCHOR_MAX_AGE_MINUTES=60)
def test_a_missing_anchor_file_is_reported_once_entries_are_older_than_the_anchoring_interval(anchor_file):
    _write(3)
    do_anchor_chain_heads()
    anchor_file.unlink()
    _verify()  # entries younger than the interval: not yet expected to be anchored

    with time_machine.travel(clock.now() + dt.timedelta(minutes=61)):
        err = _verify_fails()

    assert "anchors-missing" in err
    assert str(anchor_file) in err


@override_settings(AUDIT_CHAIN_SHARDS=1, AUDIT_ANCHOR_MAX_AGE_MINUTES=60)
def test_a_truncated_anchor_file_is_reported(anchor_file):
    for _ in range(3):
        _write(2)
        do_anchor_chain_heads()
    lines = anchor_file.read_bytes().splitlines(keepends=True)

    anchor_file.write_bytes(lines[0] + lines[2])  # a line removed from the middle
    assert "anchors-broken" in _verify_fails()

    anchor_file.write_bytes(lines[0] + lines[1] + lines[2][:40])  # a torn last line
    assert "anchors-corrupt" in _verify_fails()

    anchor_file.write_bytes(lines[0])  # the newest lines cut off
    _verify()
    with time_machine.travel(clock.now() + dt.timedelta(minutes=61)):
        assert "unanchored" in _verify_fails()


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_the_periodic_task_anchors_through_the_task_backend(anchor_file):
    _write(2)

    result = anchor_audit_chains.enqueue()

    run_tasks()
    result.refresh()
    assert result.return_value == {"shards": 1}
    assert FileAnchorStore(anchor_file).read().records[-1].heads[0][0] == 2


def test_a_file_store_opened_elsewhere_sees_the_same_records(anchor_file):
    _write(1)
    record = do_anchor_chain_heads()
    reading = FileAnchorStore(anchor_file).read()
    assert reading.exists and reading.problems == [] and reading.records == [record]


# --- S3 with object lock, against a real local S3 server (moto in server mode) ---------------


@pytest.fixture(scope="module")
def s3_server():
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-north-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(
        Bucket=BUCKET,
        CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
        ObjectLockEnabledForBucket=True,
    )
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_anchors(settings, s3_server, monkeypatch):
    endpoint, client = s3_server
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    prefix = f"run-{uuid.uuid4().hex}/"
    settings.AUDIT_ANCHOR_S3_BUCKET = BUCKET
    settings.AUDIT_ANCHOR_S3_ENDPOINT_URL = endpoint
    settings.AUDIT_ANCHOR_S3_REGION = "eu-north-1"
    settings.AUDIT_ANCHOR_S3_PREFIX = prefix
    return client, prefix


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_anchors_in_s3_are_locked_in_compliance_mode_and_catch_a_rewrite(s3_anchors):
    client, prefix = s3_anchors
    _write(4)
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    assert f"s3://{BUCKET}/{prefix}" in out.getvalue()

    [stored] = client.list_object_versions(Bucket=BUCKET, Prefix=prefix)["Versions"]
    head = client.head_object(Bucket=BUCKET, Key=stored["Key"], VersionId=stored["VersionId"])
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert head["ObjectLockRetainUntilDate"] > clock.now() + dt.timedelta(days=3000)
    with pytest.raises(client.exceptions.ClientError):
        client.delete_object(Bucket=BUCKET, Key=stored["Key"], VersionId=stored["VersionId"])
    _verify()

    _rewrite_whole_shard(0, victim_seq=2)

    assert "anchor-mismatch" in _verify_fails()


def test_an_empty_s3_prefix_reads_as_no_anchors(s3_anchors):
    client, prefix = s3_anchors
    store = S3AnchorStore(BUCKET, prefix=prefix + "nothing/", endpoint_url=client.meta.endpoint_url)
    assert check_against_anchors([], store) == []
    assert not store.read().exists
