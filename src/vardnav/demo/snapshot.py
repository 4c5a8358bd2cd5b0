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

Rows the load did not create but points at (content types, permissions: made
by migrate, not by the load) are remembered by natural key, not by id. Why: a
transactional test (live server) ends with a flush, which empties every table
and lets post_migrate create content types and permissions again under new
ids; a replay that kept the old ids would break foreign keys (found as
auth_group_permissions rows pointing at permissions that no longer exist). A
referenced row without a natural key must still exist under its old id, or the
replay is not offered.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        # Rows the database derives from others (triggers, e.g. cases.InboxCount) come back with those.
        and not getattr(model, "derived", False)
    ]


def _counts(candidates: list[type[models.Model]]) -> dict[type[models.Model], int]:
    return {model: model._base_manager.count() for model in candidates}


def _outside_links(rows: dict[type[models.Model], list[models.Model]]) -> dict[type[models.Model], list[Any]]:
    """Per captured model, its foreign keys to models the load did not write to."""
    links: dict[type[models.Model], list[Any]] = {}
    for model in rows:
        fks = [
            fk
            for fk in model._meta.concrete_fields
            if fk.is_relation and fk.related_model is not None and fk.related_model not in rows
        ]
        if fks:
            links[model] = fks
    return links


def _referenced(rows: dict[type[models.Model], list[models.Model]]) -> dict[type[models.Model], Any]:
    """Each outside row the captured rows point at: {model: {old pk: natural key, or None if it has none}}."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for model, fks in _outside_links(rows).items():
        for fk in fks:
            wanted.setdefault(fk.related_model, set()).update(
                value for row in rows[model] if (value := getattr(row, fk.attname)) is not None
            )
    referenced: dict[type[models.Model], Any] = {}
    for target, pks in wanted.items():
        has_natural_key = callable(getattr(target, "natural_key", None)) and hasattr(
            target._default_manager, "get_by_natural_key"
        )
        referenced[target] = {
            # natural_key() exists on the models has_natural_key found it on; Model does not declare it.
            obj.pk: (tuple(cast(Any, obj).natural_key()) if has_natural_key else None)
            for obj in target._base_manager.filter(pk__in=pks)
        }
    return referenced


@dataclass
class Snapshot:
    rows: dict[type[models.Model], list[models.Model]]
    result: Any
    referenced: dict[type[models.Model], Any] = field(default_factory=dict)

    def tables_are_empty(self) -> bool:
        return not any(model._base_manager.exists() for model in self.rows)

    def _current_ids(self) -> dict[type[models.Model], dict[Any, Any]] | None:
        """{model: {old pk: pk now}} for the outside rows; None if one of them is gone."""
        current: dict[type[models.Model], dict[Any, Any]] = {}
        for target, keys in self.referenced.items():
            mapping = {}
            for old_pk, natural_key in keys.items():
                if natural_key is None:
                    if not target._base_manager.filter(pk=old_pk).exists():
                        return None
                    mapping[old_pk] = old_pk
                    continue
                try:
                    # Only models whose manager has get_by_natural_key get a natural key (see above).
                    mapping[old_pk] = cast(Any, target._default_manager).get_by_natural_key(*natural_key).pk
                except target.DoesNotExist:  # type: ignore[attr-defined]  # every concrete model has DoesNotExist
                    return None
            current[target] = mapping
        return current

    def can_restore(self) -> bool:
        """Whether a replay would be exact now: the tables are empty and every outside row it points at exists."""
        return self.tables_are_empty() and self._current_ids() is not None

    def restore(self) -> Any:
        """Insert the captured rows again, with their ids, and move id sequences past them."""
        current = self._current_ids()
        if current is None:
            raise ValueError("a row the demo points at is gone; load the demo through the actions instead")
        links = _outside_links(self.rows)
        with transaction.atomic():
            for model, rows in self.rows.items():
                remaps = [(fk.attname, current[fk.related_model]) for fk in links.get(model, [])]
                fresh = []
                for row in rows:
                    clone = copy.copy(row)
                    clone._state = copy.copy(row._state)
                    clone._state.adding = True
                    clone._state.db = None
                    for attname, mapping in remaps:
                        value = getattr(row, attname)
                        if value is not None:
                            setattr(clone, attname, mapping[value])
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
    return result, Snapshot(rows=rows, result=result, referenced=_referenced(rows))
