"""Fixtures of the resident identity tests (login, acting-for, profile, sessions, API).

Nothing here is autouse, so the BankID and staff tests in this folder are unaffected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache

from vardnav.core.clock import STOCKHOLM

TODAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def clean_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache, which outlives a test's database rollback."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_today() -> Iterator[time_machine.Coordinates]:
    """The wall clock stands still at 2026-11-22 10:00 in Stockholm; tests move it with .shift()."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticking_today() -> Iterator[time_machine.Coordinates]:
    """2026-11-22, with the clock running (the BankID simulator's threads need time to pass)."""
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller
