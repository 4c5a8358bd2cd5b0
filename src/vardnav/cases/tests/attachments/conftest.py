"""Tests of a case's files: the case world (from the parent conftest), a service that takes files,
and a storage folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.cases.tests.conftest import CONTACT_ITEMS, SYSTEM
from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
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
    service = do_create_service(SYSTEM, world.provider, kind=ServiceKind.CERTIFICATE_RENEW, attachments_allowed=True)
    do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, service, title=service.name, items=FILE_ITEMS))
    return service


@pytest.fixture
def file_case(world, file_service):
    """Resident A's case at unit X in the file service, distributed to handler X."""
    actor = world.resident(world.resident_a)
    case = do_submit_case(actor, service=file_service, unit=world.unit_x, answers=ANSWERS)
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    case.refresh_from_db()
    return case


def resident_client(person) -> Client:
    return log_in_client(Client(), resident_identity(person))


def staff_client(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))
