"""Background tasks of notifications, run by `manage.py db_worker` (django-tasks, database backend).

Why thin: the task row is the durable "to do" (the outbox entry); what to do
lives in actions, where tests and the periodic command call it too.
"""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_outgoing_message(message_id: int) -> str:
    from vardnav.notifications.actions import do_deliver_outgoing_message

    return do_deliver_outgoing_message(message_id)


@task()
def notify_overdue_cases() -> dict[str, int]:
    """CASE-2: notices about cases past their deadline, and a new task for any lost delivery."""
    from vardnav.notifications.actions import do_notify_overdue, do_requeue_stale_messages

    return {"overdue_cases": do_notify_overdue(), "requeued_messages": do_requeue_stale_messages()}
