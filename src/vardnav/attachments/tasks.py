"""Scheduled work of attachments, run by `manage.py db_worker` (django-tasks) or the command of the same name."""

from __future__ import annotations

from django_tasks import task

from vardnav.attachments.actions import do_clean_orphans


@task()
def clean_attachment_orphans() -> dict[str, int]:
    result = do_clean_orphans()
    return {"unsent_uploads": result.staged_removed, "orphaned_files": result.files_removed}
