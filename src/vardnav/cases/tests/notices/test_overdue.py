"""Staff are told once about each open case past its deadline (CASE-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_reply
from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.notifications.models import Notice, OutgoingMessage, OutgoingStatus

from .conftest import give_confirmed_email, run_tasks


def _after_deadline(case):
    return time_machine.travel(case.due_at + dt.timedelta(minutes=1), tick=False)


@pytest.mark.rule("CASE-2")
def test_each_receiver_of_the_unit_is_told_once_when_a_case_passes_its_deadline(world):
    case = world.submit()
    other_unit_case = world.submit(world.resident_b)
    Case.objects.filter(pk=other_unit_case.pk).update(unit=world.unit_y)

    with _after_deadline(case):
        call_command("notify_overdue")
        call_command("notify_overdue")

    notices = Notice.objects.filter(kind="overdue")
    assert sorted(notices.values_list("staff_id", flat=True)) == sorted([world.receiver_x.pk, world.receiver_x2.pk])
    assert {n.link for n in notices} == {f"/personal/arenden/{case.pk}/"}
    assert all(case.number in n.text for n in notices)
    case.refresh_from_db()
    assert case.overdue_notified_at is not None
    assert AuditEntry.objects.filter(action="case.overdue_notified", object_id=str(case.pk)).count() == 1
    assert not OutgoingMessage.objects.exists(), "staff have no e-mail address: in-app only"


@pytest.mark.rule("CASE-2")
def test_a_case_within_its_deadline_or_closed_is_not_reported(world):
    answered_in_time = world.submit()
    world.distribute(answered_in_time)
    do_reply(world.handler, answered_in_time, answers={"reply": "Svar"}, close=True)
    waiting = world.submit()

    with time_machine.travel(waiting.due_at - dt.timedelta(minutes=1), tick=False):
        call_command("notify_overdue")
    assert not Notice.objects.filter(kind="overdue").exists()
    with _after_deadline(answered_in_time):
        call_command("notify_overdue")
    assert set(Notice.objects.filter(kind="overdue").values_list("link", flat=True)) == {
        f"/personal/arenden/{waiting.pk}/"
    }


@pytest.mark.rule("CASE-2")
def test_the_assigned_handler_is_told_too(world):
    case = world.submit()
    world.distribute(case)
    with _after_deadline(case):
        call_command("notify_overdue")
    assert Notice.objects.filter(kind="overdue", staff=world.handler_x).count() == 1


@pytest.mark.rule("CASE-2")
def test_the_overdue_run_can_be_handed_to_the_task_worker(world):
    case = world.submit()
    with _after_deadline(case):
        call_command("notify_overdue", "--enqueue")
        assert not Notice.objects.exists()
        assert run_tasks() == 1
    assert Notice.objects.filter(kind="overdue").count() == 2


def test_the_overdue_command_also_gives_a_lost_delivery_a_new_task(world, smtp_server):
    give_confirmed_email(world.resident_a, "karin.berg@example.se")
    case = world.submit()
    world.distribute(case)
    do_reply(world.handler, case, answers={"reply": "Svar"})
    DBTaskResult.objects.all().delete()  # a worker killed mid-task leaves nothing runnable

    with time_machine.travel(clock.now() + dt.timedelta(minutes=16), tick=False):
        call_command("notify_overdue")
        assert run_tasks() == 1
    assert OutgoingMessage.objects.get().status == OutgoingStatus.SENT
    assert smtp_server.recipients() == ["karin.berg@example.se"]
