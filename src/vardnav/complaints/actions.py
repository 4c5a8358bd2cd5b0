"""Changing what the complaints app keeps: the board sets a complaint's unit (CMP-2), a provider places the service (CMP-5)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.models import Case
from vardnav.complaints.errors import ComplaintError
from vardnav.complaints.models import ComplaintPolicy, UnitAssignment
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.hsa import is_valid_hsa_id, normalize_hsa_id
from vardnav.organizations.access import acting_staff, require_provider_admin
from vardnav.organizations.models import Unit, UnitKind


def do_set_complaint_unit(actor: Actor, board: Unit, case: Case, hsa_id: Any) -> UnitAssignment:
    """CMP-2: the board names the unit the complaint concerns, by its HSA-id; the case stays with the board."""
    staff = acting_staff(actor)
    if staff is None or board.kind != UnitKind.PATIENT_BOARD or case.unit_id != board.pk:
        raise ComplaintError.NOT_A_BOARD_CASE.error()
    raw = str(hsa_id or "").strip()
    normalized = normalize_hsa_id(raw)
    unit = (
        Unit.objects.exclude(kind=UnitKind.PATIENT_BOARD).filter(hsa_id__iexact=normalized).first()
        if is_valid_hsa_id(normalized)
        else None
    )
    if unit is None:
        raise ComplaintError.UNKNOWN_HSA_ID.error(field="hsa_id", hsa_id=raw[:40] or "–")
    with transaction.atomic():
        assignment, _ = UnitAssignment.objects.update_or_create(
            case=case, defaults={"unit": unit, "set_by": staff, "set_at": clock.now()}
        )
        do_record(
            actor,
            AuditEvent.COMPLAINT_UNIT_SET,
            case,
            subject_person_id=case.subject_id,
            unit_id=board.pk,
            extra={"unit_id": unit.pk},
        )
    return assignment


def do_set_complaint_policy(actor: Actor, provider_id: int, *, show_on_unit_pages: bool) -> ComplaintPolicy:
    """CMP-5: the provider's administrator chooses whether unit pages show the complaint service."""
    require_provider_admin(actor, provider_id)
    with transaction.atomic():
        policy, _ = ComplaintPolicy.objects.update_or_create(
            provider_id=provider_id,
            defaults={"show_on_unit_pages": bool(show_on_unit_pages), "updated_at": clock.now()},
        )
        do_record(
            actor, AuditEvent.COMPLAINT_POLICY_SET, policy, extra={"show_on_unit_pages": policy.show_on_unit_pages}
        )
    return policy
