"""Running queued background tasks inside a test, as the worker would."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks(limit: int = 100) -> int:
    """Run every task that is due, as db_worker does, one at a time; returns how many ran.

    Why not call_command("db_worker"): the command closes "obsolete" database
    connections between tasks, which inside a test's transaction marks it for
    rollback. The claim-and-run below is the worker's own loop body; one
    transactional test runs the real command too.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if result is None:
            return ran
        result.claim("pytest")
        worker.run_task(result)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: a task keeps re-enqueueing itself")
