"""Fixtures shared by the records tests."""

from __future__ import annotations

import pytest

from tests.personas import CONTACT_ITEMS, make_service
from vardnav.catalog.models import ServiceKind
from vardnav.records.actions import do_mark_insurance_service
from vardnav.records.models import Insurer


@pytest.fixture
def insurance(world):
    skandia = Insurer.objects.get_or_create(code="skandia", defaults={"name": "Skandia"})[0]
    folksam = Insurer.objects.get_or_create(code="folksam", defaults={"name": "Folksam"})[0]
    Insurer.objects.exclude(pk__in=[skandia.pk, folksam.pk]).update(active=False)
    service = make_service(world.provider, ServiceKind.SPECIAL_FOODS, items=CONTACT_ITEMS)
    do_mark_insurance_service(world.staff(world.provider_admin), service)
    return service, skandia, folksam
