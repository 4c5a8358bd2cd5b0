"""Which services a unit offers, and their current questionnaires."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service, ServiceKind, UnitService
from vardnav.core.errors import NotFound
from vardnav.organizations.models import ServiceOffering, Unit


def services_offered_at(unit: Unit) -> QuerySet[Service]:
    """ORG-2: per_unit → the unit's own choice; provider_wide → every active service of the provider.

    A unit without activated e-services (ORG-1) offers nothing, and a service
    is offered once its first questionnaire is published (ORG-3): a new one
    created in the settings waits until then.
    """
    if not unit.eservices_active:
        return Service.objects.none()
    # A digital visit starts from its complaint area's triage (visits), not from the e-service list's form.
    services = Service.objects.filter(
        provider_id=unit.provider_id, is_active=True, questionnaires__status=QuestionnaireStatus.PUBLISHED
    ).exclude(kind=ServiceKind.DIGITAL_VISIT)
    if unit.provider.service_offering == ServiceOffering.PER_UNIT:
        services = services.filter(unit_offerings__unit=unit)
    return services.order_by("name")


@dataclass(frozen=True)
class Offer:
    """A service as a unit offers it, found by access_offer.

    Why a type: a submission checks once that the unit offers the service
    (ORG-2) and hands this on, so nothing below has to ask the database again.
    """

    unit: Unit
    service: Service


def access_offer(unit: Unit, service_id: int) -> Offer:
    """The service as the unit offers it; otherwise the same 404 as a missing one."""
    service = services_offered_at(unit).filter(pk=service_id).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return Offer(unit=unit, service=service)


def access_offered_service(unit: Unit, service_id: int) -> Service:
    """The service if the unit offers it; otherwise the same 404 as a missing one."""
    return access_offer(unit, service_id).service


def access_service(service_id: int) -> Service:
    """A service by id, offered anywhere or not (routing decides where); a missing one is a 404."""
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return service


def access_provider_service(provider_id: int, *, service_id: int | None = None, kind: str | None = None) -> Service:
    """An active service of this provider, by id or (the provider's first) by kind; otherwise a 404."""
    services = Service.objects.filter(provider_id=provider_id, is_active=True)
    service = services.filter(pk=service_id).first() if service_id is not None else services.filter(kind=kind).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return service


def provider_services(provider_id: int) -> QuerySet[Service]:
    """Every service of the provider by name (the staff inbox's filter)."""
    return Service.objects.filter(provider_id=provider_id).order_by("name")


def kinds_not_yet_offered(provider_id: int) -> list[tuple[str, str]]:
    """The kinds of e-service the provider has none of yet (one per kind), with their labels in the active language."""
    taken = set(Service.objects.filter(provider_id=provider_id).values_list("kind", flat=True))
    return [(kind.value, str(kind.label)) for kind in ServiceKind if kind.value not in taken]


def attachments_allowed(unit: Unit, service: Service) -> bool:
    """ATT-4: per_unit providers let each unit decide; provider_wide ones decide for all units."""
    if unit.provider.service_offering == ServiceOffering.PER_UNIT:
        return UnitService.objects.filter(unit=unit, service=service, attachments_allowed=True).exists()
    return service.attachments_allowed


def current_questionnaire(service: Service) -> Questionnaire | None:
    return Questionnaire.objects.filter(service=service, status=QuestionnaireStatus.PUBLISHED).first()
