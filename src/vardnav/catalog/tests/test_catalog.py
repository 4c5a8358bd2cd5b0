"""Which units offer which services (ORG-2) and how questionnaires are versioned (ORG-3)."""

from __future__ import annotations

import pytest

from tests.personas import actor_for, make_provider, make_provider_admin, make_unit
from vardnav.catalog.access import attachments_allowed, current_questionnaire, services_offered_at
from vardnav.catalog.actions import (
    do_create_service,
    do_offer_service,
    do_publish_questionnaire,
    do_save_questionnaire,
)
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, ServiceKind
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()
ITEMS = [{"linkId": "question", "type": "text", "text": "Vad gäller det?", "required": True}]


def region(slug, offering):
    """A provider of its own for each test: the catalogue's rules differ by policy."""
    return make_provider(f"Region {slug}", slug, service_offering=offering)


def vardcentral(provider, number):
    return make_unit(
        provider,
        f"Vårdcentralen {number}",
        f"SE2321000016-{provider.slug[:3].upper()}{number}",
        slug=f"{provider.slug}-vc-{number}",
    )


def ready(service):
    """The service with its first questionnaire published: only then is it offered (ORG-3)."""
    do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, service, title=service.name, items=ITEMS))
    return service


@pytest.mark.rule("ORG-2")
def test_per_unit_providers_offer_only_what_each_unit_chose():
    provider = region("vastera", "per_unit")
    first, second = vardcentral(provider, 1), vardcentral(provider, 2)
    renewal = ready(do_create_service(SYSTEM, provider, kind=ServiceKind.PRESCRIPTION_RENEWAL))
    contact = ready(do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT))
    do_offer_service(SYSTEM, first, renewal, attachments_allowed=True)
    do_offer_service(SYSTEM, second, contact)
    assert list(services_offered_at(first)) == [renewal]
    assert list(services_offered_at(second)) == [contact]
    assert attachments_allowed(first, renewal) is True
    assert attachments_allowed(second, contact) is False


@pytest.mark.rule("ORG-2")
def test_provider_wide_providers_offer_every_service_at_every_unit():
    provider = region("norrsund", "provider_wide")
    first, second = vardcentral(provider, 1), vardcentral(provider, 2)
    renewal = do_create_service(SYSTEM, provider, kind=ServiceKind.PRESCRIPTION_RENEWAL, attachments_allowed=True)
    assert list(services_offered_at(first)) == []  # no questionnaire published yet (ORG-3)
    ready(renewal)
    assert list(services_offered_at(first)) == [renewal]
    assert list(services_offered_at(second)) == [renewal]
    assert attachments_allowed(second, renewal) is True
    with pytest.raises(DomainError) as caught:
        do_offer_service(SYSTEM, first, renewal)
    assert caught.value.code == "provider-wide-services"


def test_a_unit_without_activated_eservices_offers_nothing():
    provider = region("kliniknu", "provider_wide")
    unit = make_unit(
        provider, "Vaccin City", "SE2321000016-VAC1", slug="vaccin-city", kind="vaccination", eservices_active=False
    )
    do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT)
    assert list(services_offered_at(unit)) == []


def test_handling_time_defaults_to_two_working_days():
    provider = region("defaults", "per_unit")
    service = do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT)
    assert (service.handling_time_value, service.handling_time_unit) == (2, "working_days")


@pytest.mark.rule("ORG-3")
def test_editing_a_published_questionnaire_creates_a_new_version_and_keeps_the_old():
    provider = region("versions", "per_unit")
    service = do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT)
    first = do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, service, title="Kontakt", items=ITEMS))
    changed = [*ITEMS, {"linkId": "phone", "type": "phone", "text": "Telefon"}]
    draft = do_save_questionnaire(SYSTEM, service, title="Kontakt", items=changed)
    assert draft.pk != first.pk and draft.version == 2
    first.refresh_from_db()
    assert first.items == [dict(ITEMS[0], required=True, maxLength=5000)]
    assert current_questionnaire(service) == first
    do_publish_questionnaire(SYSTEM, draft)
    first.refresh_from_db()
    assert first.status == QuestionnaireStatus.RETIRED
    assert current_questionnaire(service).version == 2
    assert Questionnaire.objects.filter(service=service).count() == 2


@pytest.mark.rule("ORG-3")
def test_each_service_has_its_own_questionnaire():
    provider = region("own", "per_unit")
    renewal = do_create_service(SYSTEM, provider, kind=ServiceKind.PRESCRIPTION_RENEWAL)
    contact = do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT)
    do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, renewal, title="Recept", items=ITEMS))
    assert current_questionnaire(renewal).title == "Recept"
    assert current_questionnaire(contact) is None


def test_only_the_providers_admin_may_change_its_questionnaires():
    provider = region("mine", "per_unit")
    other = region("theirs", "per_unit")
    service = do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT)
    outsider = make_provider_admin(other, "SE2321000016-ADM9", "theirs-admin", "Eva")
    actor = actor_for(outsider)
    with pytest.raises(PermissionDenied):
        do_save_questionnaire(actor, service, title="Kapad", items=ITEMS)
    assert not Questionnaire.objects.filter(service=service).exists()
