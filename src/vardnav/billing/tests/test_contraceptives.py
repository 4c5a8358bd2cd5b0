"""FEE-9: the contraceptive e-services show, from the resident's age on the day, whether the method is free
(under 21, within the drug benefit)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.personas import make_service
from tests.sessions import log_in_client, resident_identity
from vardnav.billing.contraceptives import contraceptive_cost, contraceptive_note
from vardnav.catalog.models import ServiceKind

pytestmark = pytest.mark.django_db


@pytest.mark.rule("FEE-9")
def test_free_until_the_day_before_the_21st_birthday(world):
    born = world.child_17.birth_date  # 2009-01-01
    day_before = dt.date(born.year + 21, 1, 1) - dt.timedelta(days=1)
    assert contraceptive_cost(world.child_17, day_before).free
    assert not contraceptive_cost(world.child_17, dt.date(born.year + 21, 1, 1)).free
    # Within a year of turning 21 the resident is told when it stops being free.
    assert contraceptive_cost(world.child_17, day_before).paid_from == dt.date(born.year + 21, 1, 1)
    assert contraceptive_cost(world.child_17, dt.date(born.year + 18, 6, 1)).paid_from is None
    assert not contraceptive_cost(world.resident_a, dt.date(2026, 12, 6)).free


@pytest.mark.rule("FEE-9")
def test_only_the_prescribing_contraceptive_services_say_it(world):
    day = dt.date(2026, 12, 6)
    free = contraceptive_note(world.child_17, ServiceKind.CONTRACEPTIVE_START, day)
    assert free is not None and "inte har fyllt 21" in free and "betalar du själv" not in free
    paid = contraceptive_note(world.resident_a, ServiceKind.CONTRACEPTIVE_RENEW, day)
    assert paid is not None and "betalar du själv" in paid
    assert contraceptive_note(world.child_17, ServiceKind.CONTRACEPTIVE_STOP, day) is None
    assert contraceptive_note(world.child_17, ServiceKind.CERTIFICATE_NEW, day) is None


@pytest.mark.rule("FEE-9")
def test_the_e_service_form_shows_it_from_the_age_on_the_day(world):
    service = make_service(world.provider, ServiceKind.CONTRACEPTIVE_START)
    url = reverse("cases:new", args=[world.unit_x.slug, service.pk])
    client = Client()
    log_in_client(client, resident_identity(world.resident_a))
    assert "betalar du själv på apoteket" in client.get(url).content.decode()
    born = world.child_17.birth_date
    with time_machine.travel(dt.datetime(born.year + 20, 12, 31, 12, tzinfo=dt.UTC), tick=False):
        young = Client()
        log_in_client(young, resident_identity(world.child_17))
        page = young.get(url).content.decode()
        assert "avgiftsfria för dig" in page
        assert f"Från och med {born.year + 21}-01-01" in page
