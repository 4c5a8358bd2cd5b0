from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_inbox_count_triggers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Put back the inbox counters' triggers if a migration dropped them (SQLite rebuilds tables)."""
    from django.db import connections

    from vardnav.cases import inbox_counts

    if inbox_counts.COUNTS not in connections[using].introspection.table_names():
        return  # migrated back before the counters (install_triggers keeps those whose table exists)
    if not inbox_counts.triggers_installed(using):
        inbox_counts.install_triggers(using)
        inbox_counts.check(repair=True, using=using)


class CasesConfig(AppConfig):
    name = "vardnav.cases"
    label = "cases"
    verbose_name = "Ärenden"

    def ready(self) -> None:
        post_migrate.connect(_ensure_inbox_count_triggers, sender=self)
        # The log extract names the case an entry concerns (audit.describers); audit knows no cases.
        from vardnav.audit.describers import register_describer
        from vardnav.cases import describers

        register_describer("cases.case", describers.describe_cases)
        register_describer("cases.message", describers.describe_messages)
        register_describer("attachments.attachment", describers.describe_attachments)
