"""Tests of the file store on its own: a storage folder per test, a resident, and files staged in a test folder.

No case here: the store knows owners only by ids, so the tests name a folder of their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.personas import actor_for, make_person
from vardnav.attachments import corpus
from vardnav.attachments.actions import do_stage_files
from vardnav.attachments.models import Attachment, Folder
from vardnav.attachments.validation import check_path
from vardnav.core.actor import Actor
from vardnav.demo import identities as ids

FOLDER = Folder("tests.note", 7)


@pytest.fixture(autouse=True)
def attachment_folder(settings, tmp_path) -> Path:
    """Each test stores files in its own folder, so a test can see exactly what was written."""
    folder = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


def stored_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.fixture
def resident(db):
    """resident_a of the shared personas (tests/personas.py), alone: the store needs no world."""
    return make_person(ids.RESIDENT_A)


def resident_actor(person) -> Actor:
    return actor_for(person)


def stage(person, tmp_path: Path, name: str = "Mitt provsvar.pdf", data: bytes | None = None) -> Attachment:
    """A resident uploads one file to the test folder (checked, encrypted, stored, staged)."""
    source = tmp_path / "upload"
    source.write_bytes(data or corpus.valid_pdf())
    [row] = do_stage_files(resident_actor(person), FOLDER, [check_path(source, name)], subject_person_id=person.pk)
    return row
