"""A new e-service without the Django admin (issue 11, item 13): the provider administrator creates it in the
settings, builds and publishes its questionnaire, switches it on at a unit, and a resident listed there sends it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Case
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service, ServiceKind, ServiceSex

pytestmark = pytest.mark.django_db

NEW = "/personal/installningar/vardgivare/e-tjanster/ny/"
VALID = {
    "kind": ServiceKind.AIDS_STOMA,
    "name": "",
    "description": "Beställ nya stomiartiklar.",
    "handling_time_value": "3",
    "handling_time_unit": "working_days",
    "routed_role": "receiver",
    "listing_bound": "on",
    "min_age": "18",
    "max_age": "",
    "sex": "",
}


def client_for(staff) -> Client:
    return log_in_client(Client(), staff_identity(staff))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.rule("ORG-2")
@pytest.mark.rule("ORG-3")
@pytest.mark.rule("CASE-1")
def test_an_administrator_creates_a_service_builds_it_switches_it_on_and_a_listed_resident_sends_it(world):
    admin = client_for(world.provider_admin_other)  # a per-unit provider: each unit switches its services on
    unit = world.other_unit
    services_page = admin.get("/personal/installningar/vardgivare/e-tjanster/").content.decode()
    assert NEW in services_page and "/personal/installningar/vardgivare/e-tjanster/" in (
        admin.get("/personal/installningar/").content.decode()
    )

    created = admin.post(NEW, VALID)

    service = Service.objects.get(provider=world.other_provider, kind=ServiceKind.AIDS_STOMA)
    assert created.status_code == 302
    assert created["Location"] == f"/personal/installningar/vardgivare/e-tjanster/{service.pk}/"
    assert (service.name, service.handling_time_value, service.min_age, service.listing_bound) == (
        "Förnya stomihjälpmedel",
        3,
        18,
        True,
    )
    assert AuditEntry.objects.filter(action=AuditEvent.SERVICE_CREATE, object_id=str(service.pk)).count() == 1
    details = admin.get(created["Location"]).content.decode()
    builder = f"/personal/installningar/formular/{service.pk}/"
    assert "Bygg och publicera nu dess frågeformulär" in text_of(details) and builder in details

    # The builder publishes the first version.
    admin.post(builder + "ny-fraga/", {"type": "text", "text": "Vilka artiklar behöver du?", "required": "on"})
    assert admin.post(builder + "publicera/").status_code == 302
    published = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.PUBLISHED)
    assert published.version == 1
    link_id = published.items[0]["linkId"]

    # Switched on at the unit, where the resident is listed.
    admin.post(f"/personal/installningar/mottagningar/{unit.pk}/e-tjanster/", {"offered": [str(service.pk)]})
    admin.post(
        f"/personal/installningar/mottagningar/{unit.pk}/listningar/",
        {"personal_number": world.resident_a.personal_number},
    )
    resident = log_in_client(Client(), resident_identity(world.resident_a))
    form_url = f"/e-tjanster/{unit.slug}/{service.pk}/"
    assert form_url in resident.get(f"/e-tjanster/{unit.slug}/").content.decode()

    sent = resident.post(form_url, {link_id: "Påsar och plattor.", "submission_key": "new-service-000001"})

    case = Case.objects.get(service=service)
    assert sent.status_code == 302 and sent["Location"] == f"/arenden/{case.pk}/kvitto/"
    assert (case.unit, case.subject, case.routed_role) == (unit, world.resident_a, "receiver")


def test_a_new_service_waits_for_its_questionnaire_before_residents_see_it(world):
    admin = client_for(world.provider_admin)  # provider-wide: every unit offers every published service
    admin.post(NEW, {**VALID, "kind": ServiceKind.SPECIAL_FOODS, "name": "Speciallivsmedel", "listing_bound": ""})
    service = Service.objects.get(provider=world.provider, kind=ServiceKind.SPECIAL_FOODS)
    resident = log_in_client(Client(), resident_identity(world.resident_a))

    assert f"/{service.pk}/" not in resident.get(f"/e-tjanster/{world.unit_x.slug}/").content.decode()
    assert resident.get(f"/e-tjanster/{world.unit_x.slug}/{service.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"kind": ""}, "kind", "Okänd typ av e-tjänst."),
        ({"kind": ServiceKind.CERTIFICATE_NEW}, "kind", ""),  # the provider has one: not among the choices
        ({"handling_time_value": "0"}, "handling_time_value", "Hanteringstiden måste vara 1–60 arbetsdagar."),
        ({"routed_role": "doctor"}, "routed_role_0", ""),
        ({"min_age": "20", "max_age": "10"}, "max_age", "Den högsta åldern kan inte vara lägre än den lägsta."),
        ({"sex": "other"}, "sex_0", ""),
        ({"name": "x" * 121}, "name", ""),
    ],
)
def test_a_bad_value_is_refused_at_its_field_and_nothing_is_created(provider_admin, posted, field, message):
    admin = client_for(provider_admin)
    before = Service.objects.count()

    response = admin.post(NEW, {**VALID, **posted})

    assert response.status_code == 422
    html = response.content.decode()
    assert f'href="#newservice-{field}"' in html  # the error summary links to the field
    assert message in text_of(html)
    assert Service.objects.count() == before


def test_the_kinds_show_in_english_on_english_pages(provider_admin):
    admin = client_for(provider_admin)
    admin.cookies["django_language"] = "en"
    page = admin.get(NEW).content.decode()
    assert "Renew stoma supplies" in page


def test_the_api_creates_a_service_with_the_same_checks(provider_admin, provider_admin_other, open_service):
    api = client_for(provider_admin)

    created = api.post(
        "/api/v1/staff/settings/services",
        {"kind": ServiceKind.AIDS_DIABETES, "min_age": 2, "sex": ServiceSex.ANY},
        content_type="application/json",
    )
    refused = api.post(
        "/api/v1/staff/settings/services",
        {"kind": ServiceKind.AIDS_INCONTINENCE, "routed_role": "nobody"},
        content_type="application/json",
    )

    assert created.status_code == 201
    assert created.json()["name"] == "Förnya hjälpmedel vid diabetes" and created.json()["min_age"] == 2
    twice = api.post("/api/v1/staff/settings/services", {"kind": open_service.kind}, content_type="application/json")
    assert refused.status_code == 422 and refused["Content-Type"].startswith("application/problem+json")
    assert twice.status_code == 409 and twice.json()["code"] == "service-exists"
    assert not Service.objects.filter(kind=ServiceKind.AIDS_INCONTINENCE).exists()
