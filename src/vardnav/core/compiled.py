"""Querysets of a fixed shape, compiled to SQL once per process and database (issue 13).

On the hottest reads (the inbox) Django spends more CPU assembling the same SQL on every
request than the database spends answering it: filters cloned, lookups resolved, the
statement compiled. `CompiledValues` builds the queryset once with placeholder values,
keeps the SQL and the compiler (for Django's own value converters), and later binds the
request's values to the same statement. The queryset is always written with the ORM, by
the same function the uncompiled path uses, so there is one definition of what is read.

A shape is cached only when it provably compiles the same way: it is compiled twice with
two different sets of placeholders, and the SQL must be identical, no placeholder may be
inlined into the SQL text (one the shape doesn't use may be absent), and every other
parameter must be the same in both. Otherwise the ORM runs the queryset each time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# The kinds of value a placeholder can stand for.
Kind = type[int] | type[str] | type[dt.datetime]


@dataclass(frozen=True)
class _Plan:
    sql: str
    slots: tuple[tuple[str | None, Any], ...]  # (placeholder name, None) or (None, constant)
    compiler: Any  # django.db.models.sql.compiler.SQLCompiler, set up by as_sql()
    names: tuple[str, ...]


def _placeholders(kinds: Mapping[str, Kind], seed: int) -> dict[str, Any]:
    """Distinct values no real request carries (negative ids, dates in 1901, marked strings)."""
    out: dict[str, Any] = {}
    for i, (name, kind) in enumerate(sorted(kinds.items())):
        n = seed * 1000 + i + 1
        if kind is int:
            out[name] = -(10**12) - n
        elif kind is str:
            out[name] = f"\x1fplaceholder-{n}"
        elif kind is dt.datetime:
            out[name] = dt.datetime(1901, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
        else:  # pragma: no cover - a programming error
            raise TypeError(f"placeholder {name}: {kind}")
    return out


class CompiledValues:
    """`build(values)` returns a `.values(...)` queryset; `.rows(**values)` runs it as a list of dicts."""

    def __init__(self, build: Callable[[Mapping[str, Any]], QuerySet[Any, Any]], **kinds: Kind) -> None:
        self.build = build
        self.kinds = kinds
        self._plans: dict[str, _Plan | None] = {}
        self._lock = threading.Lock()

    def _adapt(self, connection: Any, name: str, value: Any) -> Any:
        if self.kinds[name] is dt.datetime and value is not None:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _compile(self, alias: str) -> _Plan | None:
        connection = connections[alias]
        compiled = []
        for seed in (1, 2):
            values = _placeholders(self.kinds, seed)
            try:
                queryset = self.build(values)
                compiler = queryset.query.get_compiler(alias)
                sql, params = compiler.as_sql()
            except (ValueError, TypeError):
                return None  # the shape uses a value as more than a parameter (e.g. a slice)
            adapted = {self._adapt(connection, name, value): name for name, value in values.items()}
            compiled.append((sql, list(params), adapted, compiler, queryset.query))
        (sql1, params1, marks1, compiler, query), (sql2, params2, marks2, _, _) = compiled
        if sql1 != sql2 or len(params1) != len(params2):
            return None
        slots: list[tuple[str | None, Any]] = []
        seen: set[str] = set()
        for first, second in zip(params1, params2, strict=True):
            name = marks1.get(first) if _hashable(first) else None
            if name is not None:
                if not _hashable(second) or marks2.get(second) != name:
                    return None
                slots.append((name, None))
                seen.add(name)
            elif first == second:
                slots.append((None, first))
            else:
                return None
        for name in set(self.kinds) - seen:
            # A value this shape does not use is fine; one inlined into the SQL text is not.
            value = _placeholders(self.kinds, 1)[name]
            if str(value) in sql1 or (isinstance(value, dt.datetime) and "1901" in sql1):
                return None
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        return _Plan(sql1, tuple(slots), compiler, tuple(names))

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        """The rows for these values, on the default database."""
        using = "default"
        if set(values) != set(self.kinds):
            raise TypeError(f"expected {sorted(self.kinds)}, got {sorted(values)}")
        connection = connections[using]
        key = f"{using}:{connection.vendor}"
        if key not in self._plans:
            with self._lock:
                if key not in self._plans:
                    self._plans[key] = self._compile(using)
        plan = self._plans[key]
        if plan is None:
            return list(self.build(values))
        params = [
            self._adapt(connection, name, values[name]) if name is not None else constant
            for name, constant in plan.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            fetched = cursor.fetchall()
        names = plan.names
        return [dict(zip(names, row, strict=True)) for row in plan.compiler.results_iter(results=[fetched])]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
