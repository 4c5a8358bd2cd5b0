"""The demo's e-services: a valid Swedish questionnaire for every kind of service (ORG-3)."""

from __future__ import annotations

import pytest

from vardnav.catalog.models import ServiceKind
from vardnav.catalog.questionnaires import check_questionnaire_definition
from vardnav.demo.services import DEMO_SERVICES


@pytest.mark.rule("ORG-3")
def test_the_demo_ships_a_valid_swedish_questionnaire_for_every_service():
    # A digital visit's questions are its complaint area's triage (visits.content), not an e-service form.
    assert set(DEMO_SERVICES) == set(ServiceKind.values) - {ServiceKind.DIGITAL_VISIT}
    for content in DEMO_SERVICES.values():
        assert check_questionnaire_definition(content["items"])
