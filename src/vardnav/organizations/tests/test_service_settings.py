"""The provider's e-services in the settings area (issue 11, items 4 and 13): name, description, handling
time and who may use a service (ages, sex) without the Django admin; saved through catalog's do_update_service."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.catalog.models import ServiceSex

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Nytt intyg",
    "description": "Begär ett intyg.\nMer om intyget.",
    "handling_time_value": "3",
    "handling_time_unit": "working_days",
    "min_age": "",
    "max_age": "",
    "sex": "",
}


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_administrator_reaches_the_services_from_the_settings_and_sets_details_and_limits(
    provider_admin, open_service, world
):
    admin = client_for(provider_admin)
    assert "/personal/installningar/vardgivare/e-tjanster/" in admin.get("/personal/installningar/").content.decode()
    listing = admin.get("/personal/installningar/vardgivare/e-tjanster/").content.decode()
    url = f"/personal/installningar/vardgivare/e-tjanster/{open_service.pk}/"
    assert url in listing

    response = admin.post(url, {**VALID, "min_age": "18", "sex": ServiceSex.FEMALE})

    assert response.status_code == 302 and response["Location"] == url
    open_service.refresh_from_db()
    assert (open_service.name, open_service.handling_time_value) == ("Nytt intyg", 3)
    assert (open_service.min_age, open_service.max_age, open_service.sex) == (18, None, ServiceSex.FEMALE)
    assert "E-tjänsten Nytt intyg är sparad." in text_of(admin.get(url).content.decode())
    entry = AuditEntry.objects.filter(action=AuditEvent.SERVICE_UPDATE).latest("pk")
    assert entry.object_id == str(open_service.pk)

    # The resident list shows the new limit before anything is typed (the guardian for an 8-year-old).
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))
    page = text_of(guardian.get(f"/e-tjanster/{world.unit_x.slug}/").content.decode())
    assert "Den här e-tjänsten är för den som är 18 år eller äldre." in page


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"min_age": "-3"}, "min_age", "Skriv en ålder i hela år, 0–130, eller lämna tomt."),
        ({"min_age": "18", "max_age": "12"}, "max_age", "Den högsta åldern kan inte vara lägre än den lägsta."),
        ({"handling_time_value": "0"}, "handling_time_value", "Hanteringstiden måste vara 1–60 arbetsdagar."),
        ({"name": "  "}, "name", "Skriv ett namn på högst 120 tecken."),
    ],
)
def test_a_bad_value_is_refused_at_its_field_and_nothing_is_saved(provider_admin, open_service, posted, field, message):
    admin = client_for(provider_admin)
    before = (open_service.name, open_service.min_age, open_service.max_age, open_service.handling_time_value)

    response = admin.post(f"/personal/installningar/vardgivare/e-tjanster/{open_service.pk}/", {**VALID, **posted})

    assert response.status_code == 422
    html = response.content.decode()
    assert f'href="#service-{field}"' in html  # the error summary links to the field
    assert message in text_of(html)
    open_service.refresh_from_db()
    assert (open_service.name, open_service.min_age, open_service.max_age, open_service.handling_time_value) == before


def test_a_head_of_unit_and_another_providers_administrator_cannot_edit_the_services(
    unit_admin_x, unit_x, provider_admin_other, open_service
):
    url = f"/personal/installningar/vardgivare/e-tjanster/{open_service.pk}/"
    assert client_for(unit_admin_x, unit_x, "unit_admin").get(url).status_code == 403
    assert client_for(provider_admin_other).get(url).status_code == 404
