"""Which services a unit offers, and their current questionnaires."""

from __future__ import annotations

from django.db.models import QuerySet

from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service, UnitService
from vardnav.organizations.models import ServiceOffering, Unit


def services_offered_at(unit: Unit) -> QuerySet[Service]:
    """ORG-2: per_unit → the unit's own choice; provider_wide → every active service of the provider.

    A unit without activated e-services (ORG-1) offers nothing.
    """
    if not unit.eservices_active:
        return Service.objects.none()
    services = Service.objects.filter(provider_id=unit.provider_id, is_active=True)
    if unit.provider.service_offering == ServiceOffering.PER_UNIT:
        services = services.filter(unit_offerings__unit=unit)
    return services.order_by("name")


def access_offered_service(unit: Unit, service_id: int) -> Service:
    """The service if the unit offers it; otherwise the same 404 as a missing one."""
    from vardnav.core.errors import NotFound

    service = services_offered_at(unit).filter(pk=service_id).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return service


def attachments_allowed(unit: Unit, service: Service) -> bool:
    """ATT-4: per_unit providers let each unit decide; provider_wide ones decide for all units."""
    if unit.provider.service_offering == ServiceOffering.PER_UNIT:
        return UnitService.objects.filter(unit=unit, service=service, attachments_allowed=True).exists()
    return service.attachments_allowed


def current_questionnaire(service: Service) -> Questionnaire | None:
    return Questionnaire.objects.filter(service=service, status=QuestionnaireStatus.PUBLISHED).first()
