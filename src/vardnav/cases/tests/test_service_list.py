"""The e-service list as residents read it: groups with the common tasks first, a summary, the handling time."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.personas import make_service
from tests.sessions import log_in_client, resident_identity
from vardnav.catalog.models import HandlingTimeUnit, ServiceKind

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_services_are_grouped_with_common_tasks_first_each_with_a_summary_and_its_handling_time(world):
    make_service(world.provider, ServiceKind.COMPLAINT, handling_time_value=3)
    make_service(world.provider, ServiceKind.PRESCRIPTION_RENEWAL, handling_time_value=1)
    make_service(
        world.provider, ServiceKind.AIDS_STOMA, handling_time_value=4, handling_time_unit=HandlingTimeUnit.HOURS
    )
    client = log_in_client(Client(), resident_identity(world.resident_a))

    page = text_of(client.get(f"/e-tjanster/{world.unit_x.slug}/").content.decode())

    headings = [h for h in ("Vanliga ärenden", "Intyg", "Hjälpmedel och speciallivsmedel", "Synpunkter") if h in page]
    assert headings == ["Vanliga ärenden", "Intyg", "Hjälpmedel och speciallivsmedel", "Synpunkter"]
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings), "common tasks come first"
    assert "Förnya recept Be om en förnyelse av ett läkemedel som du redan använder. Svar inom 1 arbetsdag" in page
    assert "Svar inom 3 arbetsdagar" in page
    assert "Svar inom 4 timmar" in page
    assert "1 arbetsdagar" not in page


def test_a_description_written_by_the_provider_is_the_summary(world):
    make_service(
        world.provider, ServiceKind.VISIT_REBOOK, description="Byt till en tid som passar dig bättre.\nMer text."
    )
    client = log_in_client(Client(), resident_identity(world.resident_a))

    page = text_of(client.get(f"/e-tjanster/{world.unit_x.slug}/").content.decode())

    assert "Byt till en tid som passar dig bättre." in page
    assert "Mer text." not in page
