"""State changes of the catalogue: services, unit offerings and questionnaire versions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import translation

from vardnav.audit.actions import changed_values, do_record
from vardnav.audit.events import AuditEvent
from vardnav.catalog.eligibility import check_age_limits, check_service_sex
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import (
    HandlingTimeUnit,
    Questionnaire,
    QuestionnaireStatus,
    Service,
    ServiceKind,
    ServiceSex,
    UnitService,
)
from vardnav.catalog.questionnaires import check_questionnaire_definition
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.organizations.access import require_provider_admin, require_unit_admin
from vardnav.organizations.models import CareProvider, Role, ServiceOffering, Unit

TITLE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 2000
ROUTED_ROLES = (Role.RECEIVER, Role.HANDLER)
MAX_HANDLING_TIME: dict[str, int] = {HandlingTimeUnit.WORKING_DAYS: 60, HandlingTimeUnit.HOURS: 720}


def check_handling_time(value: Any, unit: str) -> tuple[int, str]:
    if unit not in HandlingTimeUnit.values:
        raise CatalogError.INVALID_HANDLING_TIME_UNIT.error(field="handling_time_unit")
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_HANDLING_TIME[unit]:
        raise CatalogError.INVALID_HANDLING_TIME.error(
            field="handling_time_value", maximum=MAX_HANDLING_TIME[unit], unit=HandlingTimeUnit(unit).label
        )
    return number, unit


def check_routed_role(value: Any) -> str:
    """Which role a new case of the service goes to: the unit's receivers (who distribute) or its handlers."""
    text = str(value or "").strip()
    if text not in ROUTED_ROLES:
        raise CatalogError.INVALID_ROUTED_ROLE.error(field="routed_role")
    return text


def check_service_name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name or len(name) > NAME_MAX_LENGTH:
        raise CatalogError.INVALID_NAME.error(field="name", limit=NAME_MAX_LENGTH)
    return name


def check_description(value: Any) -> str:
    description = str(value or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise CatalogError.DESCRIPTION_TOO_LONG.error(field="description", limit=DESCRIPTION_MAX_LENGTH)
    return description


def do_create_service(
    actor: Actor,
    provider: CareProvider,
    *,
    kind: str,
    name: str = "",
    description: str = "",
    handling_time_value: Any = 2,
    handling_time_unit: str = HandlingTimeUnit.WORKING_DAYS,
    routed_role: str = Role.RECEIVER,
    listing_bound: bool = False,
    attachments_allowed: bool = False,
    min_age: Any = None,
    max_age: Any = None,
    sex: Any = ServiceSex.ANY,
) -> Service:
    """Add an e-service to a provider's catalogue. CASE-2's default: 2 working days.

    Without a name it takes its kind's Swedish name. It has no questionnaire
    until the builder publishes the first version, and no unit offers it until
    one is switched on (ORG-2).
    """
    require_provider_admin(actor, provider.pk)
    if kind not in ServiceKind.values:
        raise CatalogError.INVALID_SERVICE_KIND.error(field="kind")
    if not str(name or "").strip():
        with translation.override("sv"):
            name = str(ServiceKind(kind).label)
    name = check_service_name(name)
    description = check_description(description)
    value, unit = check_handling_time(handling_time_value, handling_time_unit)
    role = check_routed_role(routed_role)
    low, high = check_age_limits(min_age, max_age)
    sex = check_service_sex(sex)
    with transaction.atomic():
        if Service.objects.filter(provider=provider, kind=kind).exists():
            raise CatalogError.SERVICE_EXISTS.error(field="kind")
        service = Service.objects.create(
            provider=provider,
            kind=kind,
            name=name,
            description=description,
            handling_time_value=value,
            handling_time_unit=unit,
            routed_role=role,
            listing_bound=bool(listing_bound),
            attachments_allowed=bool(attachments_allowed),
            min_age=low,
            max_age=high,
            sex=sex,
        )
        do_record(actor, AuditEvent.SERVICE_CREATE, service)
    return service


def do_offer_service(actor: Actor, unit: Unit, service: Service, *, attachments_allowed: bool = False) -> UnitService:
    """A unit chooses to offer a service (ORG-2, per_unit providers only) and whether residents may attach files (ATT-4)."""
    require_unit_admin(actor, unit)
    if service.provider_id != unit.provider_id:
        raise NotFound(CatalogError.SERVICE_NOT_FOUND)
    if unit.provider.service_offering == ServiceOffering.PROVIDER_WIDE:
        raise CatalogError.PROVIDER_WIDE_SERVICES.error()
    with transaction.atomic():
        offering, created = UnitService.objects.get_or_create(
            unit=unit, service=service, defaults={"attachments_allowed": attachments_allowed}
        )
        if not created and offering.attachments_allowed != attachments_allowed:
            offering.attachments_allowed = attachments_allowed
            offering.save(update_fields=["attachments_allowed"])
        do_record(actor, AuditEvent.SERVICE_OFFER, offering, unit_id=unit.pk)
    return offering


def do_withdraw_service(actor: Actor, unit: Unit, service: Service) -> None:
    require_unit_admin(actor, unit)
    with transaction.atomic():
        deleted, _ = UnitService.objects.filter(unit=unit, service=service).delete()
        if deleted:
            do_record(actor, AuditEvent.SERVICE_WITHDRAW, service, unit_id=unit.pk)


def do_save_questionnaire(actor: Actor, service: Service, *, title: str, items: Any) -> Questionnaire:
    """Save a questionnaire's content (ORG-3).

    The current draft is edited in place; if there is none, the next version is
    created as a draft. A published version is never changed, so every response
    keeps the exact questions it answered.
    """
    require_provider_admin(actor, service.provider_id)
    title = " ".join(str(title).split())
    if not title or len(title) > TITLE_MAX_LENGTH:
        raise CatalogError.INVALID_TITLE.error(field="title", limit=TITLE_MAX_LENGTH)
    items = check_questionnaire_definition(items)
    with transaction.atomic():
        draft = (
            Questionnaire.objects.select_for_update()
            .filter(service=service, status=QuestionnaireStatus.DRAFT)
            .order_by("-version")
            .first()
        )
        if draft is None:
            latest = Questionnaire.objects.filter(service=service).aggregate(latest=Max("version"))["latest"] or 0
            draft = Questionnaire.objects.create(service=service, version=latest + 1, title=title, items=items)
        else:
            draft.title, draft.items = title, items
            draft.save(update_fields=["title", "items"])
        do_record(actor, AuditEvent.QUESTIONNAIRE_SAVE, draft)
    return draft


def do_publish_questionnaire(actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft; the previously published version is retired, not changed."""
    require_provider_admin(actor, questionnaire.service.provider_id)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if questionnaire.status != QuestionnaireStatus.DRAFT:
            raise CatalogError.NOT_A_DRAFT.error()
        Questionnaire.objects.filter(service_id=questionnaire.service_id, status=QuestionnaireStatus.PUBLISHED).update(
            status=QuestionnaireStatus.RETIRED
        )
        questionnaire.status = QuestionnaireStatus.PUBLISHED
        questionnaire.published_at = clock.now()
        questionnaire.save(update_fields=["status", "published_at"])
        do_record(actor, AuditEvent.QUESTIONNAIRE_PUBLISH, questionnaire)
    return questionnaire


SERVICE_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "handling_time_value",
        "handling_time_unit",
        "routed_role",
        "listing_bound",
        "attachments_allowed",
        "is_active",
        "min_age",
        "max_age",
        "sex",
    }
)


def do_update_service(actor: Actor, service: Service, **changes: Any) -> Service:
    """Change a service's settings; its kind and provider never change (cases point at it)."""
    require_provider_admin(actor, service.provider_id)
    unknown = set(changes) - SERVICE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "handling_time_value" in changes or "handling_time_unit" in changes:
        changes["handling_time_value"], changes["handling_time_unit"] = check_handling_time(
            changes.get("handling_time_value", service.handling_time_value),
            changes.get("handling_time_unit", service.handling_time_unit),
        )
    if "min_age" in changes or "max_age" in changes:
        changes["min_age"], changes["max_age"] = check_age_limits(
            changes.get("min_age", service.min_age), changes.get("max_age", service.max_age)
        )
    if "sex" in changes:
        changes["sex"] = check_service_sex(changes["sex"])
    if "description" in changes:
        changes["description"] = check_description(changes["description"])
    if "name" in changes:
        changes["name"] = check_service_name(changes["name"])
    if "routed_role" in changes:
        changes["routed_role"] = check_routed_role(changes["routed_role"])
    extra = changed_values(service, changes)
    with transaction.atomic():
        for field, value in changes.items():
            setattr(service, field, value)
        if changes:
            service.save(update_fields=sorted(changes))
        do_record(actor, AuditEvent.SERVICE_UPDATE, service, extra=extra)
    return service
