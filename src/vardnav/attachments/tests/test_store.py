"""The store's interface for the apps that own files: stage, send with an owner, find, list, delete by folder."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.personas import make_person
from vardnav.attachments.access import access_file, access_staged_file, files_by_owner, staged_for
from vardnav.attachments.actions import (
    delete_rows_in_folders,
    delete_stored,
    do_discard_staged,
    link_to_owner,
    take_staged,
)
from vardnav.attachments.models import Attachment, AttachmentState, Folder
from vardnav.attachments.tests.conftest import FOLDER, resident_actor, stage
from vardnav.attachments.tests.conftest import stored_files as files_on_disk
from vardnav.core.errors import DomainError, NotFound
from vardnav.demo import identities as ids


@pytest.fixture
def other(db):
    """resident_b of the shared personas, alone."""
    return make_person(ids.RESIDENT_B)


def test_a_staged_file_is_seen_only_by_its_uploader_until_it_is_sent_with_an_owner(resident, other, tmp_path):
    me, them = resident_actor(resident), resident_actor(other)
    row = stage(resident, tmp_path)
    assert staged_for(me, FOLDER) == [row] and staged_for(them, FOLDER) == []
    assert access_file(me, FOLDER, row.pk) == row
    with pytest.raises(NotFound):
        access_file(them, FOLDER, row.pk)

    with transaction.atomic():
        link_to_owner(take_staged(me, FOLDER, [row.pk]), owner_id=41)
    row.refresh_from_db()
    assert (row.state, row.owner_id) == (AttachmentState.SENT, 41)
    assert files_by_owner(FOLDER.owner_type, [41, 42]) == {41: [row]}
    assert access_file(them, FOLDER, row.pk) == row, "the owning app decides who reads sent files"
    with pytest.raises(NotFound):
        access_file(them, FOLDER, row.pk, sent_with=[42])
    with pytest.raises(NotFound):
        access_file(me, Folder(FOLDER.owner_type, FOLDER.folder_id + 1), row.pk)
    with pytest.raises(DomainError):
        take_staged(me, FOLDER, [row.pk])  # sent already: cannot be sent again


def test_only_an_unsent_file_can_be_discarded(resident, attachment_folder, tmp_path):
    me = resident_actor(resident)
    kept, discarded = stage(resident, tmp_path), stage(resident, tmp_path, name="fel.pdf")
    link_to_owner([kept], owner_id=5)
    with pytest.raises(NotFound):
        access_staged_file(me, FOLDER, kept.pk)
    do_discard_staged(me, FOLDER, access_staged_file(me, FOLDER, discarded.pk))
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(files_on_disk(attachment_folder)) == 1


def test_deleting_a_folder_removes_its_rows_and_then_its_files(resident, attachment_folder, tmp_path):
    stage(resident, tmp_path)
    other_folder = Folder(FOLDER.owner_type, FOLDER.folder_id + 1)
    with transaction.atomic():
        keys = delete_rows_in_folders(FOLDER.owner_type, [FOLDER.folder_id, other_folder.folder_id])
    assert len(keys) == 1 and not Attachment.objects.exists()
    assert len(files_on_disk(attachment_folder)) == 1, "files go after the commit"
    delete_stored(keys)
    assert files_on_disk(attachment_folder) == []
