"""Replaying the demo world quickly in tests.

Why: every app's tests ask for the `demo` personas, and building the world
through the actions (which is what load_demo does) runs some 1,600 queries. The
test fixture therefore loads it through the actions once per test process,
keeps the rows that load created, and for every later test inserts those same
rows again in one bulk insert per table, inside that test's transaction. What
the tests see is exactly what the actions produced, audit chain included.

The replay is only used when it is exact: the first load must start from
tables that were empty, and a replay only goes into tables that are empty now;
otherwise the fixture simply loads through the actions again. Timestamps are
those of the first load (a test that freezes time sees the demo's rows as
created at the first load's moment).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _counts(candidates: list[type[models.Model]]) -> dict[type[models.Model], int]:
    return {model: model._base_manager.count() for model in candidates}


@dataclass
class Snapshot:
    rows: dict[type[models.Model], list[models.Model]]
    result: Any

    def tables_are_empty(self) -> bool:
        return not any(model._base_manager.exists() for model in self.rows)

    def restore(self) -> Any:
        """Insert the captured rows again, with their ids, and move id sequences past them."""
        with transaction.atomic():
            for model, rows in self.rows.items():
                fresh = []
                for row in rows:
                    clone = copy.copy(row)
                    clone._state = copy.copy(row._state)
                    clone._state.adding = True
                    clone._state.db = None
                    fresh.append(clone)
                model._base_manager.bulk_create(fresh)
            connection = connections[DEFAULT_DB_ALIAS]
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.rows))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
        return self.result


def capture(load: Callable[[], Any]) -> tuple[Any, Snapshot | None]:
    """Run `load`; return its result and a snapshot of the rows it created, if exact.

    None when a table the load wrote to already held rows: then "the rows it
    created" cannot be told apart from rows an update may have changed.
    """
    candidates = _models()
    before = _counts(candidates)
    result = load()
    after = _counts(candidates)
    changed = [model for model in candidates if after[model] != before[model]]
    if any(before[model] for model in changed):
        return result, None
    rows = {model: list(model._base_manager.order_by("pk")) for model in changed}
    return result, Snapshot(rows=rows, result=result)
