"""Re-encrypt every encrypted field with the newest key; optionally rewrite blind indexes.

Why a command: key rotation (REC-10, docs/decisions/0003-encryption-at-rest.md)
is only finished when no value needs an old key any more, and only then may the
old key leave FIELD_ENCRYPTION_KEYS. The command finds every EncryptedTextField
of every installed model by itself, so a new encrypted column is rotated
without anyone remembering to add it here.

It works in keyset batches of raw ciphertext, each batch locked and committed
on its own, so it can run beside live traffic, be interrupted and be run again:
values already under the newest key are skipped, which also makes it
idempotent. Plaintext left from before encryption is encrypted on the way.

    manage.py rotate_field_keys              # after prepending a new FIELD_ENCRYPTION_KEYS key
    manage.py rotate_field_keys --reindex    # after prepending a new FIELD_INDEX_KEYS key
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, models, router, transaction

from vardnav.core import crypto


def _column(field: models.Field[Any, Any]) -> str:
    """A concrete field's database column (django-stubs types it optional, for non-concrete fields)."""
    return cast(str, field.column)


def _batches(
    model: type[models.Model], columns: list[str], batch_size: int
) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
    """Yield (cursor, rows) per batch inside its own transaction, rows locked where the database can."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(_column(model._meta.pk))
    selected = ", ".join([pk, *(qn(column) for column in columns)])
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    last = None
    params: list[Any]
    while True:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            where, params = ("", []) if last is None else (f" WHERE {pk} > %s", [last])
            cursor.execute(f"SELECT {selected} FROM {table}{where} ORDER BY {pk} LIMIT %s{lock}", [*params, batch_size])  # noqa: S608 - identifiers are quoted model metadata
            rows = cursor.fetchall()
            if not rows:
                return
            yield cursor, rows
            last = rows[-1][0]


def _update(cursor: Any, model: type[models.Model], columns: list[str], updates: list[tuple[Any, ...]]) -> None:
    qn = cursor.db.ops.quote_name
    assignments = ", ".join(f"{qn(column)} = %s" for column in columns)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE {qn(model._meta.pk.column)} = %s"  # noqa: S608
    cursor.executemany(sql, updates)


def _rewrite(
    model: type[models.Model],
    columns: list[str],
    batch_size: int,
    transform: Callable[[list[Any]], list[Any]],
) -> tuple[int, int]:
    """Apply transform to each row's values; write back only rows that changed."""
    seen = changed = 0
    for cursor, rows in _batches(model, columns, batch_size):
        updates = []
        for pk_value, *values in rows:
            new_values = transform(values)
            if new_values != values:
                updates.append((*new_values, pk_value))
        if updates:
            _update(cursor, model, columns, updates)
        seen += len(rows)
        changed += len(updates)
    return seen, changed


def _rotate_value(value: Any) -> Any:
    if value is None or value == "" or crypto.is_encrypted_with_newest_key(value):
        return value
    return crypto.rotate(value)


def rotate_model(model: type[models.Model], batch_size: int) -> tuple[int, int]:
    columns = [_column(field) for field in crypto.encrypted_fields(model)]
    return _rewrite(model, columns, batch_size, lambda values: [_rotate_value(v) for v in values])


def reindex_model(model: type[models.Model], batch_size: int) -> tuple[int, int]:
    seen = changed = 0
    for index_field in crypto.blind_index_fields(model):
        source = cast("models.Field[Any, Any]", model._meta.get_field(index_field.source))

        def transform(values: list[Any], source: Any = source) -> list[Any]:
            raw, stored_index = values
            plain = crypto.decrypt(raw) if isinstance(source, crypto.EncryptedTextField) and raw else raw
            return [raw, crypto.blind_index(plain) if plain else ""]

        rows, rewritten = _rewrite(model, [_column(source), _column(index_field)], batch_size, transform)
        seen, changed = max(seen, rows), changed + rewritten
    return seen, changed


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest FIELD_ENCRYPTION_KEYS key (and, with --reindex, rewrite blind indexes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="also rewrite every blind index with the newest FIELD_INDEX_KEYS key",
        )

    def handle(self, *args: Any, batch_size: int, reindex: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        for model in apps.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            label = model._meta.label
            if crypto.encrypted_fields(model):
                rows, rewritten = rotate_model(model, batch_size)
                self.stdout.write(f"{label}: {rewritten} of {rows} rows re-encrypted")
            if reindex and crypto.blind_index_fields(model):
                rows, rewritten = reindex_model(model, batch_size)
                self.stdout.write(f"{label}: {rewritten} of {rows} rows re-indexed")
