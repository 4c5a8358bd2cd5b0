"""Files at rest: encrypted, durable before the row commits, never named by the user, orphans swept (REC-10, B4)."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat

import pytest
import time_machine
from django.db import transaction

from vardnav.attachments import corpus, filecrypt
from vardnav.attachments.actions import create_rows, do_clean_orphans, open_plaintext, stored_files, take_staged
from vardnav.attachments.models import Attachment
from vardnav.attachments.storage import attachment_storage
from vardnav.attachments.tests.conftest import FOLDER, resident_actor, stage
from vardnav.attachments.tests.conftest import stored_files as files_on_disk
from vardnav.attachments.validation import check_path
from vardnav.audit.models import AuditEntry
from vardnav.core import clock
from vardnav.core.errors import DomainError


@pytest.mark.rule("REC-10")
def test_stored_files_are_encrypted_and_named_by_us(resident, attachment_folder, tmp_path):
    attachment = stage(resident, tmp_path)
    [path] = files_on_disk(attachment_folder)
    raw = path.read_bytes()
    assert raw.startswith(filecrypt.MAGIC) and b"%PDF" not in raw and b"Hej" not in raw
    assert "provsvar" not in str(path).lower() and path.suffix == ""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"".join(open_plaintext(attachment)) == corpus.valid_pdf()


def test_a_tampered_or_truncated_file_does_not_decrypt():
    key = filecrypt.new_key()
    plain = os.urandom(200_000)
    sealed = io.BytesIO()
    filecrypt.encrypt_stream(key, io.BytesIO(plain), sealed)
    data = sealed.getvalue()
    assert b"".join(filecrypt.decrypt_chunks(key, io.BytesIO(data))) == plain
    flipped = bytearray(data)
    flipped[100] ^= 1
    for broken in (bytes(flipped), data[: -filecrypt.TAG - filecrypt.CHUNK // 2], data[: 12 + filecrypt.CHUNK + 16]):
        with pytest.raises(filecrypt.DecryptionFailed):
            b"".join(filecrypt.decrypt_chunks(key, io.BytesIO(broken)))


def test_the_file_and_its_directories_are_fsynced_before_save_returns(resident, monkeypatch, tmp_path):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    attachment = stage(resident, tmp_path)
    path = attachment_storage().path(attachment.key)
    assert path in synced
    assert os.path.dirname(path) in synced
    assert str(attachment_storage().location) in synced


def test_files_whose_row_never_committed_and_unsent_uploads_are_swept(resident, attachment_folder, settings, tmp_path):
    staged = stage(resident, tmp_path)
    storage = attachment_storage()
    orphan = storage.save(f"attachments/{clock.now():%Y/%m/%d}/{'0' * 32}", io.BytesIO(b"no row"))
    assert len(files_on_disk(attachment_folder)) == 2
    assert do_clean_orphans().files_removed == 0  # too young: may belong to a transaction in flight
    later = clock.now() + dt.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS + 1)
    old = (later - dt.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS + 1)).timestamp() - 60
    os.utime(storage.path(orphan), (old, old))
    with time_machine.travel(later, tick=False):
        result = do_clean_orphans()
    assert (result.staged_removed, result.files_removed) == (1, 1)
    assert not Attachment.objects.filter(pk=staged.pk).exists()
    assert files_on_disk(attachment_folder) == []
    expired = AuditEntry.objects.get(action="attachment.expire")
    assert expired.object_id == str(staged.pk) and expired.subject_person_id == resident.pk


def test_a_failed_transaction_leaves_no_file_behind(resident, attachment_folder, tmp_path):
    """All or nothing: the rows are refused after the files were written; the files go again."""
    source = tmp_path / "bild.png"
    source.write_bytes(corpus.valid_png())
    checked = check_path(source, "bild.png")
    with pytest.raises(DomainError), stored_files([checked]) as files, transaction.atomic():
        create_rows(files, FOLDER, subject_person_id=resident.pk, person_id=resident.pk)
        # A staged id that does not exist fails inside the transaction, after the file was stored.
        take_staged(resident_actor(resident), FOLDER, [999999])
    assert not Attachment.objects.exists()
    assert files_on_disk(attachment_folder) == []
