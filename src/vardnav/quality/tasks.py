"""Scheduled work of the quality follow-up, run by `manage.py db_worker` (django-tasks) or `select_peer_reviews`."""

from __future__ import annotations

from django_tasks import task

from vardnav.quality.actions import do_select_daily_peer_reviews


@task()
def select_daily_peer_reviews() -> dict[str, int]:
    """QA-1: every 20th case closed yesterday, per provider (nightly); a rerun picks nothing twice, a missed
    night is caught up."""
    return {"days": do_select_daily_peer_reviews()}
