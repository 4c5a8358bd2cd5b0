"""Storing, linking and removing files: the only code that changes attachments.

The interface other apps use: stored_files + create_rows (store files sent at
once), do_stage_files / take_staged / link_to_owner (upload, preview, then
send), do_discard_staged, delete_rows_in_folders + delete_stored (retention),
open_plaintext (serving). Who may attach where is the owning app's decision.

Order of events for every upload (docs/decisions/0008-attachments.md): validate into a temp
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
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files import File
from django.db import transaction

from vardnav.attachments import filecrypt
from vardnav.attachments.access import staged_in
from vardnav.attachments.errors import AttachmentError
from vardnav.attachments.models import Attachment, AttachmentState, Folder
from vardnav.attachments.storage import attachment_storage
from vardnav.attachments.validation import CheckedFile
from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound

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
    folder: Folder,
    *,
    owner_id: int | None = None,
    subject_person_id: int | None,
    person_id: int | None = None,
    staff_id: int | None = None,
) -> list[Attachment]:
    """Rows for files just stored: sent with `owner_id` at once, or staged in `folder` until linked."""
    now = clock.now()
    state = AttachmentState.SENT if owner_id else AttachmentState.STAGED
    return Attachment.objects.bulk_create(
        [
            Attachment(
                key=each.key,
                owner_type=folder.owner_type,
                folder_id=folder.folder_id,
                owner_id=owner_id,
                subject_person_id=subject_person_id,
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


def max_files_for(actor: Actor) -> int:
    return settings.ATTACHMENT_MAX_FILES_STAFF if actor.is_staff else settings.ATTACHMENT_MAX_FILES_RESIDENT


def check_file_count(actor: Actor, count: int, *, field: str = "files") -> None:
    """ATT-3: at most 5 files in a resident's message, 10 in a message from staff."""
    limit = max_files_for(actor)
    if count > limit:
        raise AttachmentError.TOO_MANY_FILES.error(field=field, limit=limit, count=count)


def do_stage_files(
    actor: Actor, folder: Folder, checked: Sequence[CheckedFile], *, subject_person_id: int | None
) -> list[Attachment]:
    """Store files in a folder without sending them yet; only the uploader sees them until sent.

    The owning app has already decided that this actor may attach files there.
    """
    try:
        check_file_count(actor, staged_in(actor, folder).count() + len(checked))
    except BaseException:
        for each in checked:
            each.cleanup()
        raise
    with stored_files(checked) as files, transaction.atomic():
        rows = create_rows(
            files,
            folder,
            subject_person_id=subject_person_id,
            person_id=None if actor.is_staff else actor.person_id,
            staff_id=actor.staff_id if actor.is_staff else None,
        )
        for row in rows:
            do_record(
                actor,
                AuditEvent.ATTACHMENT_UPLOAD,
                row,
                subject_person_id=subject_person_id,
            )
    return rows


def take_staged(actor: Actor, folder: Folder, attachment_ids: Sequence[int]) -> list[Attachment]:
    """Inside the sending transaction: lock the actor's own staged files of this folder, or refuse."""
    wanted = sorted(set(attachment_ids))
    if not wanted:
        return []
    rows = list(staged_in(actor, folder).select_for_update().filter(pk__in=wanted).order_by("id"))
    if len(rows) != len(wanted):
        raise AttachmentError.ATTACHMENT_NOT_STAGED.error(field="attachment_ids")
    return rows


def link_to_owner(rows: Sequence[Attachment], owner_id: int) -> None:
    """The one update a row ever gets: a staged file is sent with its owner (e.g. a message)."""
    Attachment.objects.filter(pk__in=[row.pk for row in rows], state=AttachmentState.STAGED).update(
        owner_id=owner_id, state=AttachmentState.SENT
    )


def do_discard_staged(actor: Actor, folder: Folder, attachment: Attachment) -> None:
    """Remove a file the uploader has not sent (a wrong file caught in the preview, ATT-7)."""
    if attachment.state != AttachmentState.STAGED or attachment.folder != folder:
        raise AttachmentError.ATTACHMENT_SENT.error()
    with transaction.atomic():
        deleted, _ = staged_in(actor, folder).filter(pk=attachment.pk).delete()
        if not deleted:
            raise NotFound(AttachmentError.FILE_NOT_FOUND)
        do_record(
            actor,
            AuditEvent.ATTACHMENT_DISCARD,
            object_type=Attachment._meta.label_lower,
            object_id=attachment.pk,
            subject_person_id=attachment.subject_person_id,
        )
    delete_stored([attachment.key])


# --- folders that go (retention in the owning app) ------------------------------------------


def delete_rows_in_folders(owner_type: str, folder_ids: Sequence[int]) -> list[str]:
    """Delete the rows of these folders inside the caller's transaction; returns the storage keys,
    to pass to delete_stored after the commit (a crash in between leaves orphans the sweep removes)."""
    rows = Attachment.objects.filter(owner_type=owner_type, folder_id__in=folder_ids)
    keys = list(rows.values_list("key", flat=True))
    rows.delete()
    return keys


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
                "pk", "key", "subject_person_id"
            )[:500]
        )
        if not batch:
            break
        with transaction.atomic():
            Attachment.objects.filter(pk__in=[pk for pk, _, _ in batch], state=AttachmentState.STAGED).delete()
            for pk, _, subject_id in batch:
                do_record(
                    Actor.system(),
                    AuditEvent.ATTACHMENT_EXPIRE,
                    object_type=Attachment._meta.label_lower,
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
        yield from filecrypt.decrypt_chunks(file_key, cast(BinaryIO, sealed))
