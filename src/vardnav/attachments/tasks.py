"""Scheduled work of attachments, run by `manage.py db_worker` (django-tasks) or the commands of the same names."""

from __future__ import annotations

from django_tasks import task


@task()
def clean_attachment_orphans() -> dict[str, int]:
    from vardnav.attachments.actions import do_clean_orphans

    result = do_clean_orphans()
    return {"unsent_uploads": result.staged_removed, "orphaned_files": result.files_removed}


@task()
def purge_closed_cases() -> dict[str, int]:
    """CASE-8: closed cases past the retention period, with their messages and files."""
    from vardnav.attachments.retention import do_purge_closed_cases

    result = do_purge_closed_cases()
    return {"cases": len(result.cases), "files": result.files}
