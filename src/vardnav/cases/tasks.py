"""Scheduled work of cases, run by `manage.py db_worker` (django-tasks) or the commands of the same names."""

from __future__ import annotations

from django_tasks import task

from vardnav.cases.notices import do_notify_overdue
from vardnav.cases.retention import do_purge_closed_cases
from vardnav.notifications.outbox import do_requeue_stale_messages


@task()
def purge_closed_cases() -> dict[str, int]:
    """CASE-8: closed cases past the retention period, with their messages and files."""
    result = do_purge_closed_cases()
    return {"cases": len(result.cases), "files": result.files}


@task()
def notify_overdue_cases() -> dict[str, int]:
    """CASE-2: notices about cases past their deadline, and a new task for any lost delivery."""
    return {"overdue_cases": do_notify_overdue(), "requeued_messages": do_requeue_stale_messages()}
