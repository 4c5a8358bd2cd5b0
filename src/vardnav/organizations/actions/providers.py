"""Creating and changing care providers and their policies."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import changed_values, do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor
from vardnav.organizations.access import require_platform, require_provider_admin
from vardnav.organizations.checks import check_choice, check_required_text, check_retention_days, check_slug
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import CareProvider, ServiceOffering

PROVIDER_EDITABLE_FIELDS = frozenset(
    {"name", "organization_number", "support_email", "service_offering", "case_retention_days"}
)


def do_create_provider(
    actor: Actor,
    *,
    name: str,
    slug: str,
    service_offering: str = ServiceOffering.PER_UNIT,
    organization_number: str = "",
    support_email: str = "",
) -> CareProvider:
    require_platform(actor)
    name = check_required_text(name, field="name", label=_("Namn"))
    slug = check_slug(slug)
    service_offering = check_choice(service_offering, ServiceOffering, field="service_offering", label=_("policy"))
    with transaction.atomic():
        if CareProvider.objects.filter(slug=slug).exists():
            raise OrganizationError.SLUG_TAKEN.error(field="slug")
        provider = CareProvider.objects.create(
            name=name,
            slug=slug,
            service_offering=service_offering,
            organization_number=organization_number.strip(),
            support_email=support_email.strip(),
        )
        do_record(actor, AuditEvent.PROVIDER_CREATE, provider)
    return provider


def do_update_provider(actor: Actor, provider: CareProvider, **changes: Any) -> CareProvider:
    require_provider_admin(actor, provider.pk)
    unknown = set(changes) - PROVIDER_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a care provider")
    if "name" in changes:
        changes["name"] = check_required_text(changes["name"], field="name", label=_("Namn"))
    if "service_offering" in changes:
        check_choice(changes["service_offering"], ServiceOffering, field="service_offering", label=_("policy"))
    if "case_retention_days" in changes:
        changes["case_retention_days"] = check_retention_days(changes["case_retention_days"])
    # An organisation number may be a sole trader's personal number: logged as changed, not kept.
    extra = changed_values(provider, changes, without_values={"organization_number", "support_email"})
    for field, value in changes.items():
        setattr(provider, field, value)
    with transaction.atomic():
        if changes:
            provider.save(update_fields=sorted(changes))
        do_record(actor, AuditEvent.PROVIDER_UPDATE, provider, extra=extra)
    return provider
