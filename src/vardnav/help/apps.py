from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from vardnav.help.search_index import ensure_search_index

    connection = connections[using]
    if "help_helparticle" in connection.introspection.table_names():
        ensure_search_index(connection)


class HelpConfig(AppConfig):
    name = "vardnav.help"
    label = "help"
    verbose_name = "Hjälp"

    def ready(self) -> None:
        # A later migration that rebuilds the article table on SQLite drops the index's triggers: put them back.
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="help-search-index")
