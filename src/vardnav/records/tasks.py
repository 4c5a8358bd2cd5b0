"""Scheduled work of the record, run by `manage.py db_worker` (django-tasks) or `manage.py export_national_summary`."""

from __future__ import annotations

from django_tasks import task

from vardnav.records.actions import EXPORT_BATCH, do_export_national_summary, do_select_daily_log_reviews


@task()
def export_national_summary() -> dict[str, int]:
    """REC-3: send new summaries to the national summary and take back what may no longer be there (hourly).

    Runs batches until one comes back short, so a backlog is cleared in one run.
    """
    totals = {"published": 0, "withheld": 0, "withdrawn": 0}
    while True:
        result = do_export_national_summary(limit=EXPORT_BATCH)
        totals["published"] += result.published
        totals["withheld"] += result.withheld
        totals["withdrawn"] += result.withdrawn
        if result.total < EXPORT_BATCH:
            return totals


@task()
def select_daily_log_reviews() -> dict[str, int]:
    """HSLF-FS 2016:40: yesterday's reads to review, per provider (nightly); a rerun selects nothing twice."""
    return {"providers": do_select_daily_log_reviews()}
