"""Which services a unit offers, and their current questionnaires."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any

from django.db.models import QuerySet

from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service, ServiceKind, UnitService
from vardnav.core.compiled import CompiledQuery
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
    per_unit = unit.provider.service_offering == ServiceOffering.PER_UNIT
    return _offered({"provider_id": unit.provider_id, "unit_id": unit.pk}, per_unit=per_unit).order_by("name")


def _offered(v: dict[str, Any], *, per_unit: bool) -> QuerySet[Service]:
    # A digital visit starts from its complaint area's triage (visits), not from the e-service list's form.
    services = Service.objects.filter(
        provider_id=v["provider_id"], is_active=True, questionnaires__status=QuestionnaireStatus.PUBLISHED
    ).exclude(kind=ServiceKind.DIGITAL_VISIT)
    if per_unit:
        services = services.filter(unit_offerings__unit_id=v["unit_id"])
    return services


# Facts about the service that apps above the catalog ask on every submission (billing: how the
# service is charged; records: whether it is tied to a health insurance), by name: each an ORM
# expression over the questionnaire row (OuterRef("service_id") is the service), read in the
# offer's own query instead of one query per app (issue 13). Registered in AppConfig.ready.
_OFFER_FACTS: dict[str, Callable[[], Any]] = {}
_FACT_PREFIX = "offer_fact_"
_NO_FACTS: Mapping[str, Any] = MappingProxyType({})


def register_offer_fact(name: str, expression: Callable[[], Any]) -> None:
    """Read `expression()` with every offer access_offer_of finds; its value is `Offer.facts[name]`.

    Why a registry: the catalog may not know the apps above it, yet their per-service
    questions belong in the query a submission already makes. The values are read in
    the submission's own request, so a configuration change counts from the next
    submission on, as when each app asked itself. A fact registered after the query was
    first compiled is simply absent from `facts`; its app then asks the database itself.
    """
    _OFFER_FACTS[name] = expression


# A submission asks whether its unit offers its service: compiled once per process (issue 13).
def _offered_questionnaire(v: dict[str, Any], *, per_unit: bool, with_service: bool) -> QuerySet[Questionnaire]:
    """The service's published questionnaire, if the unit offers the service (else nothing),
    with the registered facts about the service as annotations (and the service itself joined
    when `with_service`)."""
    offered = _offered(v, per_unit=per_unit).filter(pk=v["service_id"]).values("pk")
    questionnaires = Questionnaire.objects.filter(
        service_id=v["service_id"], status=QuestionnaireStatus.PUBLISHED, service_id__in=offered
    )
    if with_service:
        questionnaires = questionnaires.select_related("service")
    return questionnaires.annotate(
        **{_FACT_PREFIX + name: expression() for name, expression in _OFFER_FACTS.items()}
    ).order_by("pk")[:1]


# A submission asks whether its unit offers its service, and for the form it answers: one query,
# compiled once per process (issue 13).
_OFFERED_QUESTIONNAIRE = {
    (per_unit, with_service): CompiledQuery(
        partial(_offered_questionnaire, per_unit=per_unit, with_service=with_service),
        provider_id=int,
        unit_id=int,
        service_id=int,
    )
    for per_unit in (False, True)
    for with_service in (False, True)
}
_SERVICE = CompiledQuery(lambda v: Service.objects.filter(pk=v["service_id"])[:1], service_id=int)
_CURRENT_QUESTIONNAIRE = CompiledQuery(
    lambda v: Questionnaire.objects.filter(service_id=v["service_id"], status=QuestionnaireStatus.PUBLISHED)[:1],
    service_id=int,
)


@dataclass(frozen=True)
class Offer:
    """A service as a unit offers it, found by access_offer.

    Why a type: a submission checks once that the unit offers the service
    (ORG-2) and hands this on, so nothing below has to ask the database again.
    """

    unit: Unit
    service: Service
    # The published questionnaire when the offer was read with it (access_offer_of); else read when needed.
    questionnaire: Questionnaire | None = None
    # The registered facts about the service, by name, when read with it (access_offer_of); else empty.
    facts: Mapping[str, Any] = field(default_factory=lambda: _NO_FACTS)


def access_offer(unit: Unit, service_id: int) -> Offer:
    """The service as the unit offers it; otherwise the same 404 as a missing one."""
    service = services_offered_at(unit).filter(pk=service_id).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return Offer(unit=unit, service=service)


def access_offer_of(unit: Unit, service: Service) -> Offer:
    """The same answer as access_offer for a service already read (routing read it): no second read of
    it, and the questionnaire the submission answers comes in the same query."""
    questionnaire = _offered_at(unit, service.pk, with_service=False)
    if questionnaire is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    Questionnaire.service.field.set_cached_value(questionnaire, service)
    return _offer(unit, questionnaire)


def find_offer(unit: Unit, service_id: int) -> Offer | None:
    """The service as the unit offers it, read with its questionnaire and facts in one query; None
    when the unit does not offer it (or it does not exist).

    Why: a submission naming its unit can check the offer before routing, and so read the
    service in the same query instead of first on its own (issue 13). The caller must still
    route the case (CASE-1) to this unit, and on None tell apart why, as access_service,
    routing and access_offer_of do.
    """
    questionnaire = _offered_at(unit, service_id, with_service=True)
    return None if questionnaire is None else _offer(unit, questionnaire)


def _offered_at(unit: Unit, service_id: int, *, with_service: bool) -> Questionnaire | None:
    if not unit.eservices_active:
        return None
    per_unit = unit.provider.service_offering == ServiceOffering.PER_UNIT
    questionnaire: Questionnaire | None = _OFFERED_QUESTIONNAIRE[per_unit, with_service].first(
        provider_id=unit.provider_id, unit_id=unit.pk, service_id=service_id
    )
    return questionnaire


def _offer(unit: Unit, questionnaire: Questionnaire) -> Offer:
    facts = {
        name: getattr(questionnaire, _FACT_PREFIX + name)
        for name in _OFFER_FACTS
        if hasattr(questionnaire, _FACT_PREFIX + name)
    }
    return Offer(unit=unit, service=questionnaire.service, questionnaire=questionnaire, facts=MappingProxyType(facts))


def access_offered_service(unit: Unit, service_id: int) -> Service:
    """The service if the unit offers it; otherwise the same 404 as a missing one."""
    return access_offer(unit, service_id).service


def access_service(service_id: int) -> Service:
    """A service by id, offered anywhere or not (routing decides where); a missing one is a 404."""
    service: Service | None = _SERVICE.first(service_id=service_id)
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
    questionnaire: Questionnaire | None = _CURRENT_QUESTIONNAIRE.first(service_id=service.pk)
    return questionnaire
