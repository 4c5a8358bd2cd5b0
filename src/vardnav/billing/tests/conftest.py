"""Fixtures for the fee tests: a fee schedule for the shared world's provider, set up by its admin."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.personas import actor_for
from vardnav.billing.actions import NewFee, do_add_fee, do_set_service_charge
from vardnav.billing.models import Fee
from vardnav.core import clock

DOCTOR_FEE = 200_00
MIDWIFE_FEE = 100_00


@pytest.fixture
def admin(world):
    return actor_for(world.provider_admin)


@pytest.fixture
def schedule(world, admin) -> dict[str, Fee]:
    """Doctors' digital contacts cost 200 kr, midwives' 100 kr; nurses' are free (no fee in the schedule).
    The open service (a certificate e-service here) is charged as a doctor's digital contact."""
    today = clock.today()
    fees = {
        "doctor": do_add_fee(admin, world.provider.pk, NewFee("doctor", "digital", DOCTOR_FEE, True, today)),
        "midwife": do_add_fee(admin, world.provider.pk, NewFee("midwife", "digital", MIDWIFE_FEE, True, today)),
    }
    do_set_service_charge(admin, world.open_service, profession="doctor", contact_kind="digital")
    return fees


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
