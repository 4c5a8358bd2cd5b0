"""The outbox delivers at least once and never twice for one event; SMTP trouble is retried."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from vardnav.core import clock
from vardnav.notifications.channels import message_id_header
from vardnav.notifications.models import OutgoingMessage, OutgoingStatus
from vardnav.notifications.outbox import MAX_ATTEMPTS, deliver_outgoing_message, do_requeue_stale_messages

from .conftest import give_confirmed_email, run_tasks, tell

ADDRESS = "karin.berg@example.se"


def _answered_case(world):
    """A resident with a confirmed address is told of an answer: one e-mail queued."""
    give_confirmed_email(world.resident_a, ADDRESS)
    tell(world.resident_a)
    return OutgoingMessage.objects.get()


def test_a_retried_task_does_not_send_twice(world, smtp_server):
    message = _answered_case(world)
    # The same delivery enqueued again, as a worker that died after sending would leave it.
    deliver_outgoing_message.enqueue(message.pk)

    assert run_tasks() == 2
    assert deliver_outgoing_message.call(message.pk) == "sent"
    assert len(smtp_server.messages) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutgoingStatus.SENT, 1)
    assert smtp_server.messages[0]["Message-ID"] == message_id_header(message.event_key)


def test_with_smtp_down_the_message_stays_queued_and_is_sent_when_it_is_back(world, smtp_server):
    message = _answered_case(world)
    smtp_server.stop()

    assert run_tasks() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutgoingStatus.QUEUED, 1)
    assert message.last_error == "ConnectionRefusedError"
    retry = DBTaskResult.objects.ready().count(), DBTaskResult.objects.filter(status="READY").get()
    assert retry[0] == 0, "the retry waits for its backoff"
    assert retry[1].run_after == message.next_attempt_at > clock.now()

    smtp_server.start()
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        assert run_tasks() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutgoingStatus.SENT, 2)
    assert smtp_server.recipients() == [ADDRESS]


def test_after_five_failures_the_message_is_marked_failed_and_no_longer_retried(world, smtp_server):
    message = _answered_case(world)
    smtp_server.stop()
    moment = clock.now()
    for _ in range(MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            assert run_tasks() == 1
        message.refresh_from_db()
        moment = message.next_attempt_at + dt.timedelta(seconds=1)

    assert (message.status, message.attempts) == (OutgoingStatus.FAILED, MAX_ATTEMPTS)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_refused_address_is_never_written_into_the_error(world, smtp_server):
    smtp_server.recorder.refuse.add(ADDRESS)
    message = _answered_case(world)
    run_tasks()

    message.refresh_from_db()
    assert message.status == OutgoingStatus.QUEUED
    assert message.last_error == "SMTPRecipientsRefused"
    assert "example.se" not in message.last_error
    task = DBTaskResult.objects.exclude(status="READY").get()
    assert "example.se" not in task.traceback and "karin" not in str(task.return_value)


def test_a_delivery_whose_task_was_lost_is_requeued_and_sent(world, smtp_server):
    message = _answered_case(world)
    DBTaskResult.objects.all().delete()  # a worker killed mid-task leaves nothing runnable

    assert do_requeue_stale_messages() == 0, "not stale yet"
    with time_machine.travel(clock.now() + dt.timedelta(minutes=16), tick=False):
        assert do_requeue_stale_messages() == 1
        assert run_tasks() == 1
    message.refresh_from_db()
    assert message.status == OutgoingStatus.SENT
    assert smtp_server.recipients() == [ADDRESS]


def test_the_address_is_stored_encrypted(world):
    from django.db import connection

    message = _answered_case(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM notifications_outgoingmessage WHERE id = %s", [message.pk])
        (stored,) = cursor.fetchone()
    assert ADDRESS not in stored and stored.startswith("fernet:")


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_delivers_the_outbox(world, smtp_server):
    _answered_case(world)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)

    assert OutgoingMessage.objects.get().status == OutgoingStatus.SENT
    assert smtp_server.recipients() == [ADDRESS]
