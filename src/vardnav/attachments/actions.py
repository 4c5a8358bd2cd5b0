"""Storing, attaching and removing files: the only code that changes attachments.

Order of events for every upload (shared/reference B4.3): validate into a temp
file → encrypt → write durably to storage → insert the rows and the audit entry
in one transaction. A failure before COMMIT removes the files again (unless a
row proves the commit happened); a crash in between leaves a file without a row,
which do_clean_orphans removes later. Rows are never updated except once, when
a staged file is sent with a message; a stored file is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction

from vardnav.attachments import filecrypt
from vardnav.attachments.models import Attachment, AttachmentState
from vardnav.attachments.storage import attachment_storage
from vardnav.attachments.validation import CheckedFile
from vardnav.audit.actions import do_record
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)
KEY_ROOT = "attachments"


@dataclass
class StoredFile:
    key: str
    wrapped_key: str
    checked: CheckedFile


def _new_key_name(now: dt.datetime) -> str:
    """Generated here, never from the user's file name (ASVS 5.3.2); the date prefix bounds orphan sweeps."""
    return f"{KEY_ROOT}/{now:%Y/%m/%d}/{secrets.token_hex(16)}"


def _write(checked: CheckedFile, now: dt.datetime) -> StoredFile:
    file_key = filecrypt.new_key()
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as sealed, checked.open() as plain:
        filecrypt.encrypt_stream(file_key, plain, sealed)
        sealed.seek(0)
        name = attachment_storage().save(_new_key_name(now), File(sealed))
    return StoredFile(key=name, wrapped_key=filecrypt.key_to_text(file_key), checked=checked)


def delete_stored(keys: Sequence[str]) -> None:
    """Best effort: a file that cannot be deleted now is an orphan the sweep removes later."""
    storage = attachment_storage()
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001 - storage outages must not turn a cleanup into an error page
            logger.warning("could not delete a stored attachment; the orphan sweep will retry")


@contextmanager
def stored_files(checked: Sequence[CheckedFile]) -> Iterator[list[StoredFile]]:
    """Write `checked` durably, yield them for the caller's transaction; undo on failure."""
    now = clock.now()
    written: list[StoredFile] = []
    try:
        for each in checked:
            written.append(_write(each, now))
        yield written
    except BaseException:
        keys = [each.key for each in written]
        try:
            committed = set(Attachment.objects.filter(key__in=keys).values_list("key", flat=True))
        except Exception:  # noqa: BLE001 - cannot tell: keep the files, the sweep decides later
            committed = set(keys)
        delete_stored([key for key in keys if key not in committed])
        raise
    finally:
        for each in checked:
            each.cleanup()


def create_rows(
    files: Sequence[StoredFile],
    *,
    case_id: int | None,
    message_id: int | None,
    person_id: int | None = None,
    staff_id: int | None = None,
) -> list[Attachment]:
    now = clock.now()
    state = AttachmentState.SENT if message_id else AttachmentState.STAGED
    return Attachment.objects.bulk_create(
        [
            Attachment(
                key=each.key,
                case_id=case_id,
                message_id=message_id,
                state=state,
                uploaded_by_person_id=person_id,
                uploaded_by_staff_id=staff_id,
                file_name=each.checked.display_name,
                content_type=each.checked.content_type,
                size=each.checked.size,
                sha256=each.checked.sha256,
                pages=each.checked.pages,
                width=each.checked.width,
                height=each.checked.height,
                wrapped_key=each.wrapped_key,
                created_at=now,
            )
            for each in files
        ]
    )


# --- staged files (upload → preview → send: ATT-7) -------------------------------------


def _staged_of(actor: Actor, case_id: int):  # type: ignore[no-untyped-def]
    staged = Attachment.objects.filter(case_id=case_id, state=AttachmentState.STAGED)
    if actor.is_staff:
        return staged.filter(uploaded_by_staff_id=actor.staff_id)
    return staged.filter(uploaded_by_person_id=actor.person_id, uploaded_by_staff__isnull=True)


def check_staff_may_attach(actor: Actor, case) -> None:  # type: ignore[no-untyped-def]
    """ATT-5: a receiver (to send with a partial reply when distributing) or the handler the case is assigned to."""
    from vardnav.cases.actions import staff_roles_at
    from vardnav.cases.models import CaseStatus
    from vardnav.organizations.models import Role

    roles = staff_roles_at(actor, case.unit_id)
    if not roles & {Role.RECEIVER, Role.HANDLER}:
        raise NotFound()
    if case.status == CaseStatus.CLOSED:
        raise DomainError(code="case-closed", message="Ärendet är avslutat.", status=409)
    if Role.RECEIVER not in roles and case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(
            "Du kan bifoga filer som ärendemottagare när du fördelar ärendet med ett delsvar, "
            "eller som ärendehanterare i ärenden som är fördelade till dig."
        )


def check_resident_may_attach(case) -> None:  # type: ignore[no-untyped-def]
    """ATT-4: the unit (or the provider, when services are provider-wide) decides per service."""
    from vardnav.catalog.access import attachments_allowed

    if not attachments_allowed(case.unit, case.service):
        raise DomainError(
            code="attachments-not-allowed",
            message="Mottagningen tar inte emot bifogade filer i den här e-tjänsten.",
            field="files",
            status=422,
        )


def max_files_for(actor: Actor) -> int:
    return settings.ATTACHMENT_MAX_FILES_STAFF if actor.is_staff else settings.ATTACHMENT_MAX_FILES_RESIDENT


def check_file_count(actor: Actor, count: int, *, field: str = "files") -> None:
    """ATT-3: at most 5 files in a resident's message, 10 in a message from staff."""
    limit = max_files_for(actor)
    if count > limit:
        raise DomainError(
            code="too-many-files",
            message=f"Du kan bifoga högst {limit} filer per meddelande (nu {count}).",
            field=field,
            status=422,
        )


def do_stage_attachments(actor: Actor, case, checked: Sequence[CheckedFile]) -> list[Attachment]:  # type: ignore[no-untyped-def]
    """Upload files to a case without sending them yet; only the uploader sees them until sent."""
    try:
        if actor.is_staff:
            check_staff_may_attach(actor, case)
        else:
            from vardnav.cases.actions import check_resident_subject
            from vardnav.cases.models import CaseStatus

            subject = check_resident_subject(actor)
            if case.subject_id != subject.pk:
                raise NotFound()
            if case.status == CaseStatus.CLOSED:
                raise DomainError(code="case-closed", message="Ärendet är avslutat.", status=409)
            check_resident_may_attach(case)
        check_file_count(actor, _staged_of(actor, case.pk).count() + len(checked))
    except BaseException:
        for each in checked:
            each.cleanup()
        raise
    with stored_files(checked) as files, transaction.atomic():
        rows = create_rows(
            files,
            case_id=case.pk,
            message_id=None,
            person_id=None if actor.is_staff else actor.person_id,
            staff_id=actor.staff_id if actor.is_staff else None,
        )
        for row in rows:
            do_record(
                actor,
                "attachment.upload",
                object_type="attachments.attachment",
                object_id=row.pk,
                subject_person_id=case.subject_id,
            )
    return rows


def staged_for(actor: Actor, case_id: int) -> list[Attachment]:
    return list(_staged_of(actor, case_id).order_by("created_at", "id"))


def take_staged(actor: Actor, case, attachment_ids: Sequence[int]) -> list[Attachment]:  # type: ignore[no-untyped-def]
    """Inside the sending transaction: lock the actor's own staged files of this case, or refuse."""
    wanted = sorted(set(attachment_ids))
    if not wanted:
        return []
    rows = list(_staged_of(actor, case.pk).select_for_update().filter(pk__in=wanted).order_by("id"))
    if len(rows) != len(wanted):
        raise DomainError(
            code="attachment-not-staged",
            message="En vald fil finns inte bland dina uppladdade filer i ärendet. Ladda upp den igen.",
            field="attachment_ids",
            status=422,
        )
    return rows


def link_to_message(rows: Sequence[Attachment], message) -> None:  # type: ignore[no-untyped-def]
    """The one update a row ever gets: a staged file is sent with its message."""
    Attachment.objects.filter(pk__in=[row.pk for row in rows], state=AttachmentState.STAGED).update(
        message=message, state=AttachmentState.SENT
    )


def do_discard_staged(actor: Actor, case, attachment: Attachment) -> None:  # type: ignore[no-untyped-def]
    """Remove a file the uploader has not sent (a wrong file caught in the preview, ATT-7)."""
    if attachment.state != AttachmentState.STAGED or attachment.case_id != case.pk:
        raise DomainError(code="attachment-sent", message="En skickad fil kan inte tas bort.", status=409)
    with transaction.atomic():
        deleted, _ = _staged_of(actor, case.pk).filter(pk=attachment.pk).delete()
        if not deleted:
            raise NotFound("Filen finns inte.")
        do_record(
            actor,
            "attachment.discard",
            object_type="attachments.attachment",
            object_id=attachment.pk,
            subject_person_id=case.subject_id,
        )
    delete_stored([attachment.key])


# --- orphans ---------------------------------------------------------------------------------


@dataclass
class SweepResult:
    staged_removed: int
    files_removed: int


def _stored_keys(days: int, now: dt.datetime) -> Iterator[str]:
    storage = attachment_storage()
    for offset in range(days + 1):
        prefix = f"{KEY_ROOT}/{now - dt.timedelta(days=offset):%Y/%m/%d}"
        try:
            _, names = storage.listdir(prefix)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in names:
            yield f"{prefix}/{name}"


def do_clean_orphans(*, scan_days: int = 7) -> SweepResult:
    """Remove staged files never sent, and stored files no row refers to, once they are old enough."""
    now = clock.now()
    cutoff = now - dt.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS)
    staged_removed = 0
    while True:
        batch = list(
            Attachment.objects.filter(state=AttachmentState.STAGED, created_at__lt=cutoff).values_list(
                "pk", "key", "case__subject_id"
            )[:500]
        )
        if not batch:
            break
        with transaction.atomic():
            Attachment.objects.filter(pk__in=[pk for pk, _, _ in batch], state=AttachmentState.STAGED).delete()
            for pk, _, subject_id in batch:
                do_record(
                    Actor.system(),
                    "attachment.expire",
                    object_type="attachments.attachment",
                    object_id=pk,
                    subject_person_id=subject_id,
                )
        delete_stored([key for _, key, _ in batch])
        staged_removed += len(batch)
    storage = attachment_storage()
    files_removed = 0
    pending: list[str] = []

    def flush() -> int:
        known = set(Attachment.objects.filter(key__in=pending).values_list("key", flat=True))
        old = [key for key in pending if key not in known and storage.get_modified_time(key) < cutoff]
        delete_stored(old)
        pending.clear()
        return len(old)

    for key in _stored_keys(scan_days, now):
        pending.append(key)
        if len(pending) >= 500:
            files_removed += flush()
    if pending:
        files_removed += flush()
    return SweepResult(staged_removed, files_removed)


# --- reading ---------------------------------------------------------------------------------


def open_plaintext(attachment: Attachment) -> Iterator[bytes]:
    """The file's bytes, decrypted chunk by chunk as they are read from storage."""
    file_key = filecrypt.key_from_text(attachment.wrapped_key)
    with attachment_storage().open(attachment.key, "rb") as sealed:
        yield from filecrypt.decrypt_chunks(file_key, sealed)
