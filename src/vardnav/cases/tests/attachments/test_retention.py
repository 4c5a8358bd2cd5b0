"""CASE-8: closed cases are removed two years after closing, with messages and files; the audit log stays."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from vardnav.attachments import corpus
from vardnav.attachments.models import Attachment
from vardnav.attachments.validation import check_path
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
from vardnav.cases.models import Case, Message
from vardnav.cases.tests.attachments.conftest import ANSWERS, stored_files
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.actions.providers import do_update_provider

pytestmark = pytest.mark.rule("CASE-8")


def _case_closed_at(world, service, moment, folder, *, with_file=True):  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        files = []
        if with_file:
            source = folder.parent / f"bild-{moment:%Y%m%d}.png"
            source.write_bytes(corpus.valid_png())
            files = [check_path(source, "bild.png")]
        case = do_submit_case(
            world.resident(world.resident_a), service=service, unit=world.unit_x, answers=ANSWERS, files=files
        )
        do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
        case.refresh_from_db()
        do_close_case(world.staff(world.handler_x, world.unit_x, "handler"), case, outcome="answered")
    return case


def test_a_case_closed_over_two_years_ago_goes_with_its_messages_and_files(world, file_service, attachment_folder):
    now = clock.now()
    old = _case_closed_at(world, file_service, now - dt.timedelta(days=731), attachment_folder)
    recent = _case_closed_at(world, file_service, now - dt.timedelta(days=700), attachment_folder)
    assert len(stored_files(attachment_folder)) == 2
    out = StringIO()
    call_command("purge_closed_cases", stdout=out)
    assert "removed 1 cases" in out.getvalue()
    assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Message.objects.filter(case_id=old.pk).exists()
    assert not Attachment.objects.filter(folder_id=old.pk).exists()
    assert len(stored_files(attachment_folder)) == 1
    purge = AuditEntry.objects.get(action="case.purge")
    assert purge.object_id == str(old.pk) and purge.subject_person_id == world.resident_a.pk
    # The log of what happened in the case is kept.
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(old.pk), action="case.submit").exists()


def test_the_dry_run_lists_what_would_go_and_removes_nothing(world, file_service, attachment_folder):
    old = _case_closed_at(world, file_service, clock.now() - dt.timedelta(days=800), attachment_folder)
    out = StringIO()
    call_command("purge_closed_cases", "--dry-run", stdout=out)
    assert f"would remove {old.number}" in out.getvalue()
    assert "1 cases" in out.getvalue() and "1 files" in out.getvalue()
    assert Case.objects.filter(pk=old.pk).exists() and len(stored_files(attachment_folder)) == 1
    assert not AuditEntry.objects.filter(action="case.purge").exists()


def test_open_cases_are_kept_however_old(world, file_service, attachment_folder):
    with time_machine.travel(clock.now() - dt.timedelta(days=1000), tick=False):
        case = do_submit_case(
            world.resident(world.resident_a), service=file_service, unit=world.unit_x, answers=ANSWERS
        )
    call_command("purge_closed_cases", stdout=StringIO())
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.rule("CASE-8")
def test_the_retention_period_is_the_care_providers_policy(world, file_service, attachment_folder):
    do_update_provider(Actor.system(), world.provider, case_retention_days=30)
    case = _case_closed_at(world, file_service, clock.now() - dt.timedelta(days=31), attachment_folder, with_file=False)
    call_command("purge_closed_cases", "--batch-size", "1", stdout=StringIO())
    assert not Case.objects.filter(pk=case.pk).exists()
