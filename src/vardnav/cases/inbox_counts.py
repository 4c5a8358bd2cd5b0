"""The inbox's counters of open cases, kept by database triggers on cases_case (issue 13).

Why triggers and not the actions: the counts must be right whatever writes a case
(the engine's `do_*` actions, intake from other systems, the demo loader, retention,
a test's factory, a data migration), and in the same transaction as the write, so a
count never disagrees with the cases a committed transaction left. A trigger is the
one place every write passes. What a row means is on `cases.models.InboxCount`.

Both databases get the same triggers: PostgreSQL through one PL/pgSQL function,
SQLite through UPSERT statements in trigger bodies. `install_triggers` is idempotent
and runs in the migration that made the table and again after every `migrate`
(`apps.CasesConfig.ready`): SQLite rebuilds a table for some schema changes, which
drops its triggers, and the next migrate puts them back. `check` compares the rows
with a count of the cases (`manage.py check_inbox_counts`, nightly), `rebuild` fills
them from scratch (the benchmark's bulk load, which writes cases with triggers off).
"""

# ruff: noqa: S608 - every statement here is built from this module's constants, never from input

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connections, transaction

logger = logging.getLogger(__name__)

# Unassigned cases spread over this many rows per (unit, pool, new) by case id: concurrent
# submissions to one unit then rarely wait for the same row lock. Changing it needs a rebuild.
SLOTS = 8

CASES = "cases_case"
COUNTS = "cases_inboxcount"
KEY = "unit_id, assignee_id, pool, is_new, slot"


def _key_of(row: str) -> str:
    """The counter key of a cases_case row (`NEW` or `OLD`) as five SQL expressions."""
    return (
        f"{row}.unit_id, COALESCE({row}.assigned_to_id, 0), "
        f"CASE WHEN {row}.assigned_to_id IS NULL THEN {row}.routed_role ELSE '' END, "
        f"{row}.status = 'new', "
        f"CASE WHEN {row}.assigned_to_id IS NULL THEN {row}.id % {SLOTS} ELSE 0 END"
    )


# The columns a counter key is made of: an update that changes none of them changes no count.
_CHANGED_PG = " OR ".join(
    f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("status", "unit_id", "assigned_to_id", "routed_role")
)
_CHANGED_SQLITE = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ("status", "unit_id", "assigned_to_id", "routed_role"))
_TRIGGERS = ("cases_inbox_count_insert", "cases_inbox_count_update", "cases_inbox_count_delete")

_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION cases_inbox_count_add(
    k_unit bigint, k_assignee bigint, k_pool varchar, k_new boolean, k_slot smallint, delta integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {COUNTS} SET n = n + delta
    WHERE unit_id = k_unit AND assignee_id = k_assignee AND pool = k_pool AND is_new = k_new AND slot = k_slot;
    IF NOT FOUND THEN
        INSERT INTO {COUNTS} ({KEY}, n) VALUES (k_unit, k_assignee, k_pool, k_new, k_slot, delta)
        ON CONFLICT ({KEY}) DO UPDATE SET n = {COUNTS}.n + EXCLUDED.n;
    END IF;
END $$
""",
    f"""
CREATE OR REPLACE FUNCTION cases_inbox_count_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_open boolean := TG_OP <> 'INSERT' AND OLD.status <> 'closed';
    is_open boolean := TG_OP <> 'DELETE' AND NEW.status <> 'closed';
    o_unit bigint; o_assignee bigint; o_pool varchar; o_new boolean; o_slot smallint;
    n_unit bigint; n_assignee bigint; n_pool varchar; n_new boolean; n_slot smallint;
BEGIN
    IF was_open THEN
        SELECT {_key_of("OLD")} INTO o_unit, o_assignee, o_pool, o_new, o_slot;
    END IF;
    IF is_open THEN
        SELECT {_key_of("NEW")} INTO n_unit, n_assignee, n_pool, n_new, n_slot;
    END IF;
    IF was_open AND is_open THEN
        IF (o_unit, o_assignee, o_pool, o_new, o_slot) = (n_unit, n_assignee, n_pool, n_new, n_slot) THEN
            RETURN NULL;
        END IF;
        -- Two rows change: always the lower key first, so two transactions moving cases
        -- between the same two rows in opposite directions cannot deadlock.
        IF (n_unit, n_assignee, n_pool, n_new, n_slot) < (o_unit, o_assignee, o_pool, o_new, o_slot) THEN
            PERFORM cases_inbox_count_add(n_unit, n_assignee, n_pool, n_new, n_slot, 1);
            PERFORM cases_inbox_count_add(o_unit, o_assignee, o_pool, o_new, o_slot, -1);
            RETURN NULL;
        END IF;
    END IF;
    IF was_open THEN
        PERFORM cases_inbox_count_add(o_unit, o_assignee, o_pool, o_new, o_slot, -1);
    END IF;
    IF is_open THEN
        PERFORM cases_inbox_count_add(n_unit, n_assignee, n_pool, n_new, n_slot, 1);
    END IF;
    RETURN NULL;
END $$
""",
    *(f"DROP TRIGGER IF EXISTS {name} ON {CASES}" for name in _TRIGGERS),
    f"""CREATE TRIGGER cases_inbox_count_insert AFTER INSERT ON {CASES}
    FOR EACH ROW WHEN (NEW.status <> 'closed') EXECUTE FUNCTION cases_inbox_count_move()""",
    f"""CREATE TRIGGER cases_inbox_count_update AFTER UPDATE OF status, unit_id, assigned_to_id, routed_role
    ON {CASES} FOR EACH ROW WHEN ({_CHANGED_PG}) EXECUTE FUNCTION cases_inbox_count_move()""",
    f"""CREATE TRIGGER cases_inbox_count_delete AFTER DELETE ON {CASES}
    FOR EACH ROW WHEN (OLD.status <> 'closed') EXECUTE FUNCTION cases_inbox_count_move()""",
]


def _sqlite_add(row: str, delta: int) -> str:
    return (
        f"INSERT INTO {COUNTS} ({KEY}, n) SELECT {_key_of(row)}, {delta} WHERE {row}.status <> 'closed' "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;"
    )


_SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS),
    f"CREATE TRIGGER cases_inbox_count_insert AFTER INSERT ON {CASES} BEGIN {_sqlite_add('NEW', 1)} END",
    f"""CREATE TRIGGER cases_inbox_count_update AFTER UPDATE OF status, unit_id, assigned_to_id, routed_role
    ON {CASES} WHEN {_CHANGED_SQLITE} BEGIN {_sqlite_add("OLD", -1)} {_sqlite_add("NEW", 1)} END""",
    f"CREATE TRIGGER cases_inbox_count_delete AFTER DELETE ON {CASES} BEGIN {_sqlite_add('OLD', -1)} END",
]

# What the rows should be: the open cases grouped by their key.
_TRUE_COUNTS = f"SELECT {_key_of(CASES)}, COUNT(*) FROM {CASES} WHERE {CASES}.status <> 'closed' GROUP BY 1, 2, 3, 4, 5"


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRESQL
    if vendor == "sqlite":
        return _SQLITE
    raise NotImplementedError(f"inbox count triggers for {vendor}")


def install_triggers(using: str = "default") -> None:
    """Create (or replace) the triggers that keep cases_inboxcount; idempotent."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in _statements(connection.vendor):
            cursor.execute(sql)


def drop_triggers(using: str = "default") -> None:
    """Remove the triggers (the migration's way back)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {name} ON {CASES}"
                if connection.vendor == "postgresql"
                else f"DROP TRIGGER IF EXISTS {name}"
            )


def triggers_installed(using: str = "default") -> bool:
    """Whether all three triggers exist on cases_case."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = ANY(%s)",
                [CASES, list(_TRIGGERS)],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s, %s)",
                [CASES, *_TRIGGERS],
            )
        (found,) = cursor.fetchone()
    return int(found) == len(_TRIGGERS)


Key = tuple[int, int, str, bool, int]


@dataclass(frozen=True)
class Difference:
    """One counter row that disagreed with the cases: its key, what it said and what is true."""

    key: Key
    stored: int
    true: int


def _lock(cursor, vendor: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for every transaction that changed a count to end, and hold new ones back until ours does.

    Triggers change counts while the case's transaction is open; once no such
    transaction is running, the committed cases and the counters agree, and a
    count of the cases read now can be compared with the counters.
    """
    if vendor == "postgresql":
        cursor.execute(f"LOCK TABLE {COUNTS} IN EXCLUSIVE MODE")
    # SQLite has one writer at a time: the transaction's first write below waits for it.


def check(*, repair: bool = False, using: str = "default") -> list[Difference]:
    """Compare the counters with a count of the open cases; with `repair`, make them agree.

    Also puts back missing triggers (there should never be any) and drops rows that count nothing.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor)
        if connection.vendor == "sqlite":
            cursor.execute(f"UPDATE {COUNTS} SET n = n WHERE 0")  # take the write lock first
        cursor.execute(f"SELECT {KEY}, n FROM {COUNTS}")
        stored: dict[Key, int] = {_key(row): int(row[5]) for row in cursor.fetchall()}
        cursor.execute(_TRUE_COUNTS)
        true: dict[Key, int] = {_key(row): int(row[5]) for row in cursor.fetchall()}
        differences = [
            Difference(key, stored.get(key, 0), true.get(key, 0))
            for key in sorted(set(stored) | set(true))
            if stored.get(key, 0) != true.get(key, 0)
        ]
        if repair:
            for difference in differences:
                _set(cursor, difference.key, difference.true)
            cursor.execute(f"DELETE FROM {COUNTS} WHERE n = 0")
            if not triggers_installed(using):
                install_triggers(using)
    for difference in differences:
        # Ids and numbers only: nothing about a resident.
        logger.warning(
            "inbox count differs: unit %s assignee %s pool %r new %s slot %s: stored %s, true %s",
            *difference.key,
            difference.stored,
            difference.true,
        )
    return differences


def _key(row: tuple) -> Key:  # type: ignore[type-arg]
    return (int(row[0]), int(row[1]), str(row[2]), bool(row[3]), int(row[4]))


def _set(cursor, key: Key, n: int) -> None:  # type: ignore[no-untyped-def]
    cursor.execute(
        f"UPDATE {COUNTS} SET n = %s WHERE unit_id = %s AND assignee_id = %s AND pool = %s AND is_new = %s "
        "AND slot = %s",
        [n, *key],
    )
    if cursor.rowcount == 0:
        cursor.execute(f"INSERT INTO {COUNTS} ({KEY}, n) VALUES (%s, %s, %s, %s, %s, %s)", [*key, n])


def rebuild(using: str = "default") -> int:
    """Fill the counters from scratch from the open cases (after a bulk load with triggers off); the rows made."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor)
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(f"INSERT INTO {COUNTS} ({KEY}, n) {_TRUE_COUNTS}")
        return int(cursor.rowcount)
