"""Querysets of a fixed shape, compiled to SQL once per process and database (issue 13).

On the hot paths (the inbox, a submission, opening a case) Django spends more CPU
assembling the same SQL on every request than the database spends answering it: filters
cloned, lookups resolved, the statement compiled. `CompiledQuery` builds the queryset once
with placeholder values, keeps the SQL and the compiler (for Django's own value converters
and, for model querysets, its column layout), and later binds the request's values to the
same statement. The queryset is always written with the ORM, by the same function the
uncompiled path uses, so there is one definition of what is read: `.rows()` returns what a
`.values()` queryset returns, `.objects()` and `.first()` the model instances a model
queryset returns (with its select_related objects, annotations and prefetches).

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

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.signals import post_save, pre_save

_INT_MAX = 2**63 - 1  # a 64-bit integer column's range
_INT_MIN = -(2**63)

# The kinds of value a placeholder can stand for.
Kind = type[int] | type[str] | type[dt.datetime]


@dataclass(frozen=True)
class _Models:
    """How ModelIterable turns a row into instances, computed once from the compiler's layout."""

    model: type[Model]
    start: int
    end: int
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]  # django.db.models.query.RelatedPopulator, one per select_related
    annotations: tuple[tuple[str, int], ...]
    prefetch: tuple[Any, ...]


@dataclass(frozen=True)
class _Plan:
    sql: str
    slots: tuple[tuple[str | None, Any], ...]  # (placeholder name, None) or (None, constant)
    compiler: Any  # django.db.models.sql.compiler.SQLCompiler, set up by as_sql()
    names: tuple[str, ...]
    models: _Models | None  # set for a model queryset, None for a .values() one
    # The compiler's value converters, found once (results_iter would look them up on every run).
    converters: dict[int, Any]
    composite: bool  # a composite primary key in the columns: then results_iter converts


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


class CompiledQuery:
    """`build(values)` returns a queryset: `.rows(**values)` runs a `.values(...)` one as a list of
    dicts, `.objects(**values)` a model one as a list of instances (`.first()`: the first or None)."""

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
            compiled.append((sql, list(params), adapted, compiler, queryset))
        (sql1, params1, marks1, compiler, queryset), (sql2, params2, marks2, _, _) = compiled
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
        query = queryset.query
        if queryset._iterable_class is ValuesIterable:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
            return _Plan(sql1, tuple(slots), compiler, tuple(names), None, *_converters(compiler))
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:  # type: ignore[attr-defined]
            return None  # values_list(), or a related manager's queryset: the ORM answers
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        models = _Models(
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=tuple(column[0].target.attname for column in compiler.select[start:end]),
            populators=tuple(get_related_populators(klass_info, compiler.select, alias)),  # type: ignore[call-arg]
            annotations=tuple(compiler.annotation_col_map.items()),
            prefetch=tuple(queryset._prefetch_related_lookups),  # type: ignore[attr-defined]
        )
        return _Plan(sql1, tuple(slots), compiler, (), models, *_converters(compiler))

    def _bind(self, values: Mapping[str, Any]) -> tuple[_Plan | None, list[Any] | None]:
        """The plan and its parameters; (None, None): no rows can match; (None, []): not compilable."""
        using = "default"
        if set(values) != set(self.kinds):
            raise TypeError(f"expected {sorted(self.kinds)}, got {sorted(values)}")
        if any(isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX for value in values.values()):
            # The ORM answers an id out of the columns' range as "no rows" (Django 5's integer
            # lookups); bound as is, the driver would refuse it. A fuzzer's id, never a real one.
            return None, None
        connection = connections[using]
        key = f"{using}:{connection.vendor}"
        if key not in self._plans:
            with self._lock:
                if key not in self._plans:
                    self._plans[key] = self._compile(using)
        plan = self._plans[key]
        if plan is None:
            return None, []
        params = [
            self._adapt(connection, name, values[name]) if name is not None else constant
            for name, constant in plan.slots
        ]
        return plan, params

    def _run(self, values: Mapping[str, Any]) -> tuple[_Plan | None, list[Any]]:
        """The plan (None: not compilable) and the converted rows, run on the default database."""
        plan, params = self._bind(values)
        if plan is None:
            return None, []
        with connections["default"].cursor() as cursor:
            cursor.execute(plan.sql, params)
            fetched = cursor.fetchall()
        if plan.composite:
            return plan, list(plan.compiler.results_iter(results=[fetched]))
        if plan.converters:
            return plan, list(plan.compiler.apply_converters(fetched, plan.converters))
        return plan, fetched

    def count(self, **values: Any) -> int:
        """How many rows the queryset has for these values, counted by the database: the SQL
        wrapped in `SELECT COUNT(*)`, so a sliced queryset (`[:n]`) is a count bounded by n."""
        plan, params = self._bind(values)
        if plan is None:
            return 0 if params is None else self.build(values).count()
        with connections["default"].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({plan.sql}) counted", params)  # noqa: S608 - compiled ORM SQL
            (found,) = cursor.fetchone()
        return int(found)

    def rows(self, **values: Any) -> list[dict[str, Any]]:
        """The rows of a `.values()` queryset for these values."""
        plan, rows = self._run(values)
        if plan is None:
            return list(self.build(values))
        names = plan.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def objects(self, **values: Any) -> list[Any]:
        """The instances of a model queryset for these values, built as Django's ModelIterable builds them."""
        plan, rows = self._run(values)
        if plan is None or plan.models is None:
            return list(self.build(values))
        m = plan.models
        out = []
        for row in rows:
            obj = m.model.from_db("default", list(m.init_list), row[m.start : m.end])
            for populator in m.populators:
                populator.populate(row, obj)
            for name, position in m.annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        if m.prefetch and out:
            prefetch_related_objects(out, *m.prefetch)
        return out

    def first(self, **values: Any) -> Any:
        """The first instance or None; the queryset built should be sliced to one row (`[:1]`)."""
        found = self.objects(**values)
        return found[0] if found else None


def _converters(compiler: Any) -> tuple[dict[int, Any], bool]:
    """What SQLCompiler.results_iter works out on every call: each column's converters, and
    whether a composite primary key is among the columns (then results_iter is used as is)."""
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    return compiler.get_converters(fields), bool(compiler.has_composite_fields(fields))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class CompiledForIds:
    """A query over a list of ids (`id__in`): one compiled statement per list length.

    `build(values, ids)` gets the placeholders of the ids as a list. Lengths up to
    `max_ids` are compiled (a dialogue's messages, a page's cases); a longer list
    goes through the ORM, so the number of plans a process keeps stays bounded.
    """

    def __init__(
        self, build: Callable[[Mapping[str, Any], list[Any]], QuerySet[Any, Any]], *, max_ids: int = 64, **kinds: Kind
    ) -> None:
        self.build = build
        self.kinds = kinds
        self.max_ids = max_ids
        self._by_length: dict[int, CompiledQuery] = {}
        self._lock = threading.Lock()

    def _for(self, n: int) -> CompiledQuery:
        compiled = self._by_length.get(n)
        if compiled is None:
            with self._lock:
                compiled = self._by_length.get(n)
                if compiled is None:
                    names = [f"_id{i}" for i in range(n)]
                    compiled = CompiledQuery(
                        lambda v: self.build(v, [v[name] for name in names]),
                        **self.kinds,
                        **dict.fromkeys(names, int),
                    )
                    self._by_length[n] = compiled
        return compiled

    def _values(self, ids: list[int], values: Mapping[str, Any]) -> dict[str, Any]:
        return {**values, **{f"_id{i}": pk for i, pk in enumerate(ids)}}

    def rows(self, ids: list[int], **values: Any) -> list[dict[str, Any]]:
        if len(ids) > self.max_ids:
            return list(self.build(values, ids))
        return self._for(len(ids)).rows(**self._values(ids, values))

    def objects(self, ids: list[int], **values: Any) -> list[Any]:
        if len(ids) > self.max_ids:
            return list(self.build(values, ids))
        return self._for(len(ids)).objects(**self._values(ids, values))


class CompiledInsert:
    """An INSERT of a model's rows with its SQL built once per process and database (issue 13).

    Why not `Model.objects.create` / `bulk_create`: on the submission path the ORM
    spends more CPU assembling the same INSERT than the database spends running it.
    The columns come from the model's concrete fields and every value goes through
    the field exactly as the ORM sends it (`pre_save(obj, add=True)`, then
    `get_db_prep_save`), so encrypted, JSON and datetime columns are stored as the ORM
    would store them and a new field needs nothing here. The model's pre_save and
    post_save signals are sent when anything listens, as `save()` sends them; an
    override of `save()` is not called, so use this only for models whose `save()`
    adds nothing on insert.

    `conflict_field` names a unique column: a row that would break it is not inserted
    (`ON CONFLICT (column) DO NOTHING`, PostgreSQL and SQLite ≥ 3.24) and keeps pk
    None, without an error that would abort the transaction or need a savepoint.
    """

    def __init__(self, model: type[Model], *, conflict_field: str | None = None) -> None:
        meta = model._meta
        if not getattr(meta.pk, "db_returning", False):
            raise TypeError(f"{meta.label}: CompiledInsert needs a database-generated primary key")
        self.model = model
        self.fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
        if any(hasattr(field, "get_placeholder") for field in self.fields):
            raise TypeError(f"{meta.label}: a field with its own SQL placeholder is not supported")
        self._columns = ", ".join(f'"{field.column}"' for field in self.fields)
        self._row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._table = f'"{meta.db_table}"'
        conflict = ""
        if conflict_field is not None:
            unique = next((field for field in self.fields if field.name == conflict_field and field.unique), None)
            if unique is None:
                raise TypeError(f"{meta.label}.{conflict_field}: not a unique column")
            conflict = f' ON CONFLICT ("{unique.column}") DO NOTHING'
        self._suffix = f'{conflict} RETURNING "{meta.pk.column}"'
        self._sql: dict[int, str] = {}

    def _sql_for(self, n: int) -> str:
        sql = self._sql.get(n)
        if sql is None:
            rows = ", ".join([self._row] * n)
            sql = f"INSERT INTO {self._table} ({self._columns}) VALUES {rows}{self._suffix}"  # noqa: S608 - model metadata
            if n <= 64:  # the number of statements a process keeps stays bounded
                self._sql[n] = sql
        return sql

    def insert(self, objs: list[Model], using: str = DEFAULT_DB_ALIAS) -> None:
        """Insert the unsaved instances in one statement and set their pk and state, as save() does.

        With a conflict_field only a single instance may be inserted at a time, so that
        the returned id is known to be its own.
        """
        if not objs:
            return
        if self._suffix.startswith(" ON CONFLICT") and len(objs) != 1:
            raise ValueError("an insert that may skip a row takes one instance at a time")
        model = self.model
        listened = pre_save.has_listeners(model) or post_save.has_listeners(model)
        if listened:
            for obj in objs:
                pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
        connection = connections[using]
        params = [
            field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs for field in self.fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(self._sql_for(len(objs)), params)
            ids = cursor.fetchall()
        if not ids:
            return  # the one row conflicted: nothing inserted, nothing sent
        for obj, (pk,) in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
        if listened:
            for obj in objs:
                post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using)


class CompiledRow:
    """Several small compiled queries answered in one statement: one row (issue 13).

    Why: a page's counts are a few tiny queries, and each costs a round trip and the
    driver's work, more than the database spends answering it. Each part is a
    CompiledQuery of at most one row — a `.values()` aggregate — or, with
    `counted=True`, a query whose rows are counted as `CompiledQuery.count()` counts
    them (a sliced queryset is a count bounded by its slice). They are joined as
    `SELECT … FROM (SELECT 1) one LEFT JOIN (part) p0 ON 1 = 1 …`, so a part with no
    row reads as None in each of its columns. If any part does not compile, each
    runs on its own, with the same results.
    """

    def __init__(self, **parts: tuple[CompiledQuery, bool]) -> None:
        self.parts = parts

    def _one_by_one(self, values: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (query, counted) in self.parts.items():
            own = {key: values[key] for key in query.kinds}
            if counted:
                out[name] = query.count(**own)
            else:
                rows = query.rows(**own)
                out[name] = rows[0] if rows else None
        return out

    def row(self, **values: Any) -> dict[str, Any]:
        """Each part's answer by name: a count (int) or the part's one row as a dict (None: no row)."""
        joins: list[str] = []
        params: list[Any] = []
        plans: list[tuple[str, _Plan | None]] = []
        for i, (name, (query, counted)) in enumerate(self.parts.items()):
            plan, bound = query._bind({key: values[key] for key in query.kinds})
            if plan is None or plan.models is not None or plan.composite:
                return self._one_by_one(values)  # not compiled, no rows possible, or not plain values
            counting = f"SELECT COUNT(*) FROM ({plan.sql}) counted{i}"  # noqa: S608 - compiled ORM SQL
            joins.append(f"LEFT JOIN ({counting if counted else plan.sql}) p{i} ON 1 = 1")
            params += bound or []
            plans.append((name, None if counted else plan))
        sql = "SELECT * FROM (SELECT 1 AS one) one " + " ".join(joins)  # noqa: S608 - compiled ORM SQL
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchone()
        out: dict[str, Any] = {}
        position = 1  # after "one"
        for name, part in plans:
            if part is None:
                out[name] = int(fetched[position] or 0)
                position += 1
                continue
            columns = fetched[position : position + len(part.names)]
            position += len(part.names)
            if all(value is None for value in columns):
                out[name] = None
                continue
            if part.converters:
                (columns,) = part.compiler.apply_converters([columns], part.converters)
            out[name] = dict(zip(part.names, columns, strict=True))
        return out
