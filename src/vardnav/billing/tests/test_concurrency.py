"""The ceiling is never passed, even when fees of one person are registered at the same moment (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from vardnav.billing.efrikort import LocalEFrikort
from vardnav.billing.models import CeilingCharge, CeilingPeriod

RACERS = 10


@pytest.mark.rule("FEE-3")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_fees_of_one_person_share_one_period_and_stop_at_the_ceiling(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []
    day = dt.date(2026, 6, 1)

    def register(n: int) -> None:
        try:
            barrier.wait()
            LocalEFrikort().register_fee(
                world.resident_a, world.resident_a, day, 40000, reference=f"race-{n}", case_id=None
            )
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    period = CeilingPeriod.objects.get()
    charged = sorted(charge.charged_ore for charge in CeilingCharge.objects.all())
    assert period.paid_ore == sum(charged) == period.ceiling_ore == 145000
    assert charged.count(40000) == 3 and charged.count(25000) == 1 and charged.count(0) == RACERS - 4
