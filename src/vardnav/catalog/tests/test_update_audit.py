"""A service update records the settings that changed, old and new."""

from __future__ import annotations

import pytest

from vardnav.audit.models import AuditEntry
from vardnav.catalog.actions import do_update_service
from vardnav.catalog.models import Service
from vardnav.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_a_service_update_records_old_and_new_values(provider):
    service = Service.objects.filter(provider=provider).order_by("pk").first()
    before = (service.handling_time_value, service.attachments_allowed)
    do_update_service(
        Actor.system(), service, handling_time_value=before[0] + 1, attachments_allowed=not before[1], name=service.name
    )
    entry = AuditEntry.objects.filter(action="service.update", object_id=str(service.pk)).latest("id")
    assert entry.object_type == "catalog.service"
    assert entry.extra == {
        "changed": {
            "attachments_allowed": [before[1], not before[1]],
            "handling_time_value": [before[0], before[0] + 1],
        }
    }
