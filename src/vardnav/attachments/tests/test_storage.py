"""Files at rest: encrypted, durable before the row commits, never named by the user, orphans swept (REC-10, B4)."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vardnav.attachments import corpus, filecrypt
from vardnav.attachments.actions import do_clean_orphans, open_plaintext
from vardnav.attachments.models import Attachment
from vardnav.attachments.storage import attachment_storage
from vardnav.attachments.tests.conftest import resident_client, stored_files
from vardnav.core import clock


def _upload(client, case, name="Mitt provsvar.pdf", data=None):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data or corpus.valid_pdf(), content_type="application/pdf")
    response = client.post(f"/api/v1/cases/{case.pk}/attachments", {"files": [upload]})
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=response.json()["items"][0]["id"])


@pytest.mark.rule("REC-10")
def test_stored_files_are_encrypted_and_named_by_us(world, file_case, attachment_folder):
    attachment = _upload(resident_client(world.resident_a), file_case)
    [path] = stored_files(attachment_folder)
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


def test_the_file_and_its_directories_are_fsynced_before_save_returns(world, file_case, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    attachment = _upload(resident_client(world.resident_a), file_case)
    path = attachment_storage().path(attachment.key)
    assert path in synced
    assert os.path.dirname(path) in synced
    assert str(attachment_storage().location) in synced


def test_files_whose_row_never_committed_and_unsent_uploads_are_swept(world, file_case, attachment_folder, settings):
    client = resident_client(world.resident_a)
    staged = _upload(client, file_case)
    storage = attachment_storage()
    orphan = storage.save(f"attachments/{clock.now():%Y/%m/%d}/{'0' * 32}", io.BytesIO(b"no row"))
    assert len(stored_files(attachment_folder)) == 2
    assert do_clean_orphans().files_removed == 0  # too young: may belong to a transaction in flight
    later = clock.now() + dt.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS + 1)
    old = (later - dt.timedelta(hours=settings.ATTACHMENT_ORPHAN_HOURS + 1)).timestamp() - 60
    os.utime(storage.path(orphan), (old, old))
    import time_machine

    with time_machine.travel(later, tick=False):
        result = do_clean_orphans()
    assert (result.staged_removed, result.files_removed) == (1, 1)
    assert not Attachment.objects.filter(pk=staged.pk).exists()
    assert stored_files(attachment_folder) == []


def test_a_failed_transaction_leaves_no_file_behind(world, file_case, attachment_folder):
    """All or nothing: the message is refused after the files were written; the files go again."""
    from vardnav.attachments.validation import check_path
    from vardnav.cases.actions import do_send_resident_message
    from vardnav.core.errors import DomainError

    source = attachment_folder.parent / "bild.png"
    source.write_bytes(corpus.valid_png())
    checked = check_path(source, "bild.png")
    with pytest.raises(DomainError):
        # A staged id that does not exist fails inside the transaction, after the file was stored.
        do_send_resident_message(
            world.resident(world.resident_a), file_case, body="Hej", files=[checked], attachment_ids=[999999]
        )
    assert not Attachment.objects.exists()
    assert stored_files(attachment_folder) == []
