"""REC-9 in the settings area: the provider admin keeps the provider's insurers (add, rename, deactivate,
tie a token to one) and marks or unmarks an e-service as an insurance one; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import CONTACT_ITEMS, make_service
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor
from vardnav.integrations.actions import do_create_integration_token
from vardnav.records.actions import do_add_provider_insurer
from vardnav.records.insurance import INSURER_ITEM, INSURER_REQUESTS_SCOPE
from vardnav.records.models import InsuranceService, Insurer, InsurerToken

pytestmark = pytest.mark.django_db

URL = "/personal/installningar/forsakring/"


def admin_client(world):
    return log_in_client(Client(), staff_identity(world.provider_admin))


def offered(service) -> list[str]:
    items = current_questionnaire(service).items
    return [option["display"] for item in items if item["linkId"] == INSURER_ITEM for option in item["answerOption"]]


@pytest.mark.rule("REC-9")
def test_the_provider_admin_adds_renames_and_deactivates_an_insurer_and_the_insurance_form_follows(world):
    client = admin_client(world)
    home = client.get("/personal/installningar/").content.decode()
    assert URL in home
    service = make_service(world.provider, ServiceKind.SPECIAL_FOODS, items=CONTACT_ITEMS)

    marked = client.post(f"{URL}e-tjanster/{service.pk}/", {"insurance": "1"})
    assert marked.status_code == 302 and InsuranceService.objects.filter(service=service).exists()

    empty = client.post(f"{URL}forsakringsbolag/ny/", {"ny-name": "  "})
    assert empty.status_code == 422
    assert 'id="id_ny-name"' in empty.content.decode() and "aria-invalid" in empty.content.decode()

    assert client.post(f"{URL}forsakringsbolag/ny/", {"ny-name": "Lokala Vårdförsäkringen"}).status_code == 302
    own = Insurer.objects.get(provider=world.provider)
    assert "Lokala Vårdförsäkringen" in offered(service)

    renamed = client.post(
        f"{URL}forsakringsbolag/{own.pk}/",
        {f"bolag-{own.pk}-name": "Lokala Försäkringen", f"bolag-{own.pk}-active": "on"},
    )
    assert renamed.status_code == 302 and "Lokala Försäkringen" in offered(service)
    client.post(f"{URL}forsakringsbolag/{own.pk}/", {f"bolag-{own.pk}-name": "Lokala Försäkringen"})
    own.refresh_from_db()
    assert own.active is False and "Lokala Försäkringen" not in offered(service)
    assert AuditEntry.objects.filter(action=AuditEvent.INSURER_CHANGE, object_id=str(own.pk)).count() == 2

    unmarked = client.post(f"{URL}e-tjanster/{service.pk}/", {"insurance": "0"})
    assert unmarked.status_code == 302 and not InsuranceService.objects.filter(service=service).exists()
    assert offered(service) == []
    assert AuditEntry.objects.filter(action=AuditEvent.INSURANCE_SERVICE_UNMARK).count() == 1


@pytest.mark.rule("REC-9")
def test_the_admin_ties_a_token_to_an_insurer_and_only_a_token_with_the_scope(world):
    skandia = Insurer.objects.get_or_create(code="skandia", defaults={"name": "Skandia"})[0]
    do_create_integration_token(Actor.system(), world.provider, name="Skandia", scopes=[INSURER_REQUESTS_SCOPE])
    client = admin_client(world)
    page = client.get(URL).content.decode()
    assert "Skandia" in page
    token_id = page.split('<option value="')[2].split('"')[0]
    linked = client.post(f"{URL}forsakringsbolag/{skandia.pk}/api-nyckel/", {f"nyckel-{skandia.pk}-token": token_id})
    assert linked.status_code == 302 and InsurerToken.objects.get().insurer == skandia
    refused = client.post(f"{URL}forsakringsbolag/{skandia.pk}/api-nyckel/", {f"nyckel-{skandia.pk}-token": ""})
    assert refused.status_code == 422 and "API-nyckel" in refused.content.decode()


@pytest.mark.rule("REC-9")
def test_other_staff_are_refused_and_another_providers_insurer_is_a_404(world):
    other = do_add_provider_insurer(Actor.system(), world.other_provider, name="Annans bolag")
    client = admin_client(world)
    assert client.post(f"{URL}forsakringsbolag/{other.pk}/", {f"bolag-{other.pk}-name": "X"}).status_code == 404
    shared = Insurer.objects.filter(provider__isnull=True).first()
    assert client.post(f"{URL}forsakringsbolag/{shared.pk}/", {f"bolag-{shared.pk}-name": "X"}).status_code == 404
    handler = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert handler.get(URL).status_code == 403


@pytest.mark.rule("REC-9")
def test_the_settings_page_has_a_fixed_query_count(world):
    client = admin_client(world)
    make_service(world.provider, ServiceKind.SPECIAL_FOODS, items=CONTACT_ITEMS)

    def grow():
        for n, kind in enumerate([ServiceKind.AIDS_STOMA, ServiceKind.AIDS_DIABETES, ServiceKind.AIDS_INCONTINENCE]):
            do_add_provider_insurer(Actor.system(), world.provider, name=f"Bolag {n}")
            make_service(world.provider, kind, items=CONTACT_ITEMS)

    assert_same_query_count(lambda: client.get(URL), grow)


@pytest.mark.rule("REC-9")
def test_avboka_tid_is_marked_like_any_e_service_and_too_few_insurers_is_said_plainly(world):
    """The provider admin's 422 on "Avboka tid": not the admin nor the e-service, but a list with fewer than
    two active insurers (the choice the resident makes). The refusal now says so, next to the e-service."""
    service = make_service(world.provider, ServiceKind.VISIT_CANCEL, items=CONTACT_ITEMS)
    Insurer.objects.update(active=False)
    do_add_provider_insurer(Actor.system(), world.provider, name="Ett enda bolag")
    client = admin_client(world)
    refused = client.post(f"{URL}e-tjanster/{service.pk}/", {"insurance": "1"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "minst två försäkringsbolag är aktiva" in page and "Formuläret är felaktigt" not in page
    assert not InsuranceService.objects.filter(service=service).exists()
    do_add_provider_insurer(Actor.system(), world.provider, name="Ett andra bolag")
    assert client.post(f"{URL}e-tjanster/{service.pk}/", {"insurance": "1"}).status_code == 302
    assert InsuranceService.objects.filter(service=service).exists()
    assert offered(service) == ["Ett andra bolag", "Ett enda bolag"]
