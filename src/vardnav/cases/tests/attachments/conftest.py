"""Tests of a case's files: the shared world (tests/personas.py), a service that takes files,
and a storage folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.personas import CONTACT_ITEMS, actor_for, make_service
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.models import ServiceKind

ANSWERS = {"subject": "Utslag på armen", "details": "Ett utslag som inte går över, se bilden."}
FILE_ITEMS = [*CONTACT_ITEMS, {"linkId": "files", "type": "attachment", "text": "Bifoga bilder"}]


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
def file_service(world):
    """A service in which the provider lets residents attach files (ATT-4, provider-wide)."""
    return make_service(world.provider, ServiceKind.CERTIFICATE_RENEW, items=FILE_ITEMS, attachments_allowed=True)


@pytest.fixture
def file_case(world, file_service):
    """Resident A's case at unit X in the file service, distributed to handler X."""
    case = do_submit_case(actor_for(world.resident_a), service=file_service, unit=world.unit_x, answers=ANSWERS)
    do_distribute_case(actor_for(world.receiver_x, unit=world.unit_x, role="receiver"), case, handler=world.handler_x)
    case.refresh_from_db()
    return case


def resident_client(person) -> Client:
    return log_in_client(Client(), resident_identity(person))


def staff_client(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))
