"""Scheduled work of the audit log, run by `manage.py db_worker` (django-tasks) or `manage.py audit_anchor`."""

from __future__ import annotations

from django_tasks import task

from vardnav.audit.anchors import do_anchor_chain_heads


@task()
def anchor_audit_chains() -> dict[str, int]:
    """Append every shard's head to the anchor store outside the database (hourly)."""
    record = do_anchor_chain_heads()
    return {"shards": len(record.heads)}
