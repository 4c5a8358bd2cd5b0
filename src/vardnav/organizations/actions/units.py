"""Creating and describing units, and switching their e-services on and off (ORG-1, ORG-5)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import changed_values, do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.access import require_provider_admin, require_unit_admin
from vardnav.organizations.checks import (
    check_choice,
    check_hsa_id,
    check_opening_hours,
    check_required_text,
    check_slug,
)
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.html import sanitize_other_information
from vardnav.organizations.models import CareProvider, Unit, UnitKind

OTHER_INFORMATION_MAX_LENGTH = 20_000

UNIT_EDITABLE_FIELDS = frozenset(
    {"name", "slug", "hsa_id", "kind", "street_address", "postal_code", "city", "phone", "opening_hours"}
)


def do_create_unit(
    actor: Actor,
    *,
    provider: CareProvider,
    name: str,
    slug: str,
    hsa_id: str,
    kind: str,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    phone: str = "",
    opening_hours: list[dict[str, str]] | None = None,
) -> Unit:
    require_provider_admin(actor, provider.pk)
    name = check_required_text(name, field="name", label=_("Namn"))
    slug = check_slug(slug)
    hsa_id = check_hsa_id(hsa_id)
    kind = check_choice(kind, UnitKind, field="kind", label=_("typ av mottagning"))
    hours = check_opening_hours(opening_hours)
    try:
        with transaction.atomic():
            _refuse_taken_unit_keys(slug=slug, hsa_id=hsa_id)
            unit = Unit.objects.create(
                provider=provider,
                name=name,
                slug=slug,
                hsa_id=hsa_id,
                kind=kind,
                street_address=street_address.strip(),
                postal_code=postal_code.strip(),
                city=city.strip(),
                phone=phone.strip(),
                opening_hours=hours,
            )
            do_record(actor, AuditEvent.UNIT_CREATE, unit, unit_id=unit.pk)
    except IntegrityError:
        # A concurrent create took the slug or HSA-id between our check and insert.
        raise OrganizationError.UNIT_TAKEN.error(field="hsa_id")
    return unit


def _refuse_taken_unit_keys(*, slug: str, hsa_id: str, exclude_pk: int | None = None) -> None:
    others = Unit.objects.exclude(pk=exclude_pk) if exclude_pk else Unit.objects.all()
    if others.filter(slug=slug).exists():
        raise OrganizationError.SLUG_TAKEN.error(field="slug")
    if others.filter(hsa_id=hsa_id).exists():
        raise OrganizationError.HSA_ID_TAKEN.error(field="hsa_id")


def do_update_unit(actor: Actor, unit: Unit, **changes: Any) -> Unit:
    """Change a unit's description; its provider never changes (that would move its residents)."""
    require_unit_admin(actor, unit)
    unknown = set(changes) - UNIT_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of a unit")
    if "name" in changes:
        changes["name"] = check_required_text(changes["name"], field="name", label=_("Namn"))
    if "slug" in changes:
        changes["slug"] = check_slug(changes["slug"])
    if "hsa_id" in changes:
        changes["hsa_id"] = check_hsa_id(changes["hsa_id"])
    if "kind" in changes:
        check_choice(changes["kind"], UnitKind, field="kind", label=_("typ av mottagning"))
    if "opening_hours" in changes:
        changes["opening_hours"] = check_opening_hours(changes["opening_hours"])
    for field in ("street_address", "postal_code", "city", "phone"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    extra = changed_values(unit, changes)
    with transaction.atomic():
        _refuse_taken_unit_keys(
            slug=changes.get("slug", unit.slug), hsa_id=changes.get("hsa_id", unit.hsa_id), exclude_pk=unit.pk
        )
        for field, value in changes.items():
            setattr(unit, field, value)
        if changes:
            unit.save(update_fields=sorted(changes))
        do_record(actor, AuditEvent.UNIT_UPDATE, unit, unit_id=unit.pk, extra=extra)
    return unit


def do_activate_eservices(actor: Actor, unit: Unit) -> Unit:
    """ORG-1: a unit is connected with its HSA-id, free of charge.

    The stored HSA-id is checked again because rows written before validation
    existed (or by hand in the database) must not slip through; there is
    deliberately no fee, price or contract field anywhere on the way.
    """
    require_unit_admin(actor, unit)
    check_hsa_id(unit.hsa_id)
    if unit.eservices_active:
        return unit
    with transaction.atomic():
        unit.eservices_active = True
        unit.eservices_activated_at = clock.now()
        unit.save(update_fields=["eservices_active", "eservices_activated_at"])
        do_record(actor, AuditEvent.UNIT_ESERVICES_ACTIVATE, unit, unit_id=unit.pk)
    return unit


def do_deactivate_eservices(actor: Actor, unit: Unit) -> Unit:
    """Turn e-services off; the activation time stays as history of when it was last switched on."""
    require_unit_admin(actor, unit)
    if not unit.eservices_active:
        return unit
    with transaction.atomic():
        unit.eservices_active = False
        unit.save(update_fields=["eservices_active"])
        do_record(actor, AuditEvent.UNIT_ESERVICES_DEACTIVATE, unit, unit_id=unit.pk)
    return unit


def do_set_other_information(actor: Actor, unit: Unit, raw_html: str) -> Unit:
    """ORG-5: store the unit's "Övrig information", sanitised once on the way in."""
    require_unit_admin(actor, unit)
    if len(raw_html or "") > OTHER_INFORMATION_MAX_LENGTH:
        raise OrganizationError.TOO_LONG.error(
            field="other_information_html", label=_("Texten"), limit=OTHER_INFORMATION_MAX_LENGTH
        )
    cleaned = sanitize_other_information(raw_html)
    with transaction.atomic():
        unit.other_information_html = cleaned
        unit.save(update_fields=["other_information_html"])
        do_record(actor, AuditEvent.UNIT_OTHER_INFORMATION_SET, unit, unit_id=unit.pk)
    return unit
