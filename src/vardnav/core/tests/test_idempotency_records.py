"""Remembered responses go once no retry can need them: `manage.py prune_idempotency_records`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.idempotency import RETENTION, run_idempotent
from vardnav.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

RESIDENT = Actor(kind=ActorKind.RESIDENT, person_id=1)


def remember(key: str) -> None:
    run_idempotent(RESIDENT, key, "test.write", {"key": key}, lambda: (201, {"key": key}))


def test_records_older_than_the_retention_window_are_removed_and_newer_ones_kept():
    start = clock.now()
    with time_machine.travel(start, tick=False):
        remember("old-key-00000001")
    with time_machine.travel(start + RETENTION - dt.timedelta(hours=1), tick=False):
        remember("new-key-00000001")
    with time_machine.travel(start + RETENTION + dt.timedelta(minutes=1), tick=False):
        out = StringIO()
        call_command("prune_idempotency_records", stdout=out)

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-key-00000001"]
    assert "removed 1 idempotency records" in out.getvalue()
