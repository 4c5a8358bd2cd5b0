"""Reaching an attachment: through its case's access helper, then an audit entry, then the bytes.

Residents reach files sent in their case's resident-visible messages, and the
files they uploaded themselves and have not sent yet; staff reach every sent
file of a case they may open (access_case_for_staff, itself audited) and the
files they staged. Anything else is the same 404 as a file that does not exist.
Each serving of a file writes its own audit entry (REC-1, PRIV-2).
"""

from __future__ import annotations

from django.db.models import Q

from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.audit.actions import do_record, record_staff_read
from vardnav.cases.access import access_case_for_resident, access_case_for_staff
from vardnav.cases.models import RESIDENT_VISIBLE_KINDS, Case
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound


def access_attachment_for_resident(actor: Actor, case_id: int, attachment_id: int) -> tuple[Case, Attachment]:
    case = access_case_for_resident(actor, case_id)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, case_id=case.pk)
        .filter(
            Q(state=AttachmentState.SENT, message__kind__in=RESIDENT_VISIBLE_KINDS)
            | Q(state=AttachmentState.STAGED, uploaded_by_person_id=actor.person_id, uploaded_by_staff__isnull=True)
        )
        .first()
    )
    if attachment is None:
        raise NotFound("Filen finns inte.")
    do_record(
        actor,
        "attachment.read",
        object_type="attachments.attachment",
        object_id=attachment.pk,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
    )
    return case, attachment


def access_attachment_for_staff(
    actor: Actor, case_id: int, attachment_id: int, *, purpose: str = "ärendehantering"
) -> tuple[Case, Attachment]:
    case = access_case_for_staff(actor, case_id, purpose=purpose)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, case_id=case.pk)
        .filter(Q(state=AttachmentState.SENT) | Q(state=AttachmentState.STAGED, uploaded_by_staff_id=actor.staff_id))
        .first()
    )
    if attachment is None:
        raise NotFound("Filen finns inte.")
    record_staff_read(
        actor,
        subject_person_id=case.subject_id,
        object_type="attachments.attachment",
        object_id=attachment.pk,
        purpose=purpose,
    )
    return case, attachment


def access_staged_for_staff(actor: Actor, case: Case, attachment_id: int) -> Attachment:
    """A file this staff member uploaded to `case` and has not sent (to discard it)."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, case_id=case.pk, state=AttachmentState.STAGED, uploaded_by_staff_id=actor.staff_id
    ).first()
    if attachment is None:
        raise NotFound("Filen finns inte.")
    return attachment
