"""CASE-8: a closed case and its files stay two years, then go.

`do_purge_closed_cases` removes, in batches, every case closed more than
its care provider's case_retention_days ago (default 730) with its messages, flags and files, and
writes one audit entry per removed case in the same transaction. The audit log
itself is kept: entries name the case by id only, and the log lives at least
five years (HSLF-FS 2016:40), longer than the cases it describes.

Rows that point at a purged case from elsewhere and may be left without it
(a prescription's source case, a later duplicate's first case) are unlinked
generically, through every nullable PROTECT foreign key to Case, so this code
knows no other domain. The attachments store knows files by owner ids, not
foreign keys: its rows for the purged cases' folders are deleted in the same
transaction, the stored files after the commit; a crash in between leaves files
without rows, which the orphan sweep removes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import QuerySet

from vardnav.attachments.access import count_files_in
from vardnav.attachments.actions import delete_rows_in_folders, delete_stored
from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.models import MESSAGE_FILES, Case, CaseStatus
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.models import CareProvider


@dataclass
class PurgeResult:
    cases: list[str] = field(default_factory=list)  # case numbers, for the dry-run listing
    files: int = 0


def expired_cases() -> QuerySet[Case]:
    """Closed cases older than their care provider's retention period (CASE-8, a provider policy)."""
    now = clock.now()
    older = models.Q(pk__in=[])
    for provider_id, days in CareProvider.objects.values_list("pk", "case_retention_days"):
        older |= models.Q(provider_id=provider_id, closed_at__lt=now - dt.timedelta(days=days))
    return Case.objects.filter(older, status=CaseStatus.CLOSED).order_by("closed_at", "id")


def _unlink_references(case_ids: list[int]) -> None:
    for relation in Case._meta.related_objects:
        if not relation.one_to_many or relation.on_delete is not models.PROTECT:
            continue
        if not relation.field.null:
            continue
        relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": case_ids}).update(
            **{relation.field.name: None}
        )


def do_purge_closed_cases(*, batch_size: int = 200, dry_run: bool = False) -> PurgeResult:
    result = PurgeResult()
    if dry_run:
        expired = list(expired_cases().values_list("pk", "number"))
        result.cases = [number for _, number in expired]
        result.files = count_files_in(MESSAGE_FILES, [pk for pk, _ in expired])
        return result
    system = Actor.system()
    while True:
        with transaction.atomic():
            batch = list(expired_cases().select_for_update(skip_locked=True)[:batch_size])
            if not batch:
                break
            ids = [case.pk for case in batch]
            keys = delete_rows_in_folders(MESSAGE_FILES, ids)
            _unlink_references(ids)
            Case.objects.filter(pk__in=ids).delete()
            for case in batch:
                do_record(
                    system,
                    AuditEvent.CASE_PURGE,
                    object_type=Case._meta.label_lower,
                    object_id=case.pk,
                    subject_person_id=case.subject_id,
                    unit_id=case.unit_id,
                    purpose="gallring",
                )
        delete_stored(keys)
        result.cases.extend(case.number for case in batch)
        result.files += len(keys)
    return result
