"""The inbox's counters of open cases, kept by database triggers on cases_case (issue 13).

Why triggers and not the actions: the counts must be right whatever writes a case
(the engine's `do_*` actions, intake from other systems, the demo loader, retention,
a test's factory, a data migration), and in the same transaction as the write, so a
count never disagrees with the cases a committed transaction left. A trigger is the
one place every write passes. Two sets of counters are kept here:

- `cases.models.InboxCount`: a unit's open cases by (assignee, pool, new, slot), from
  triggers on cases_case;
- `cases.models.ReadCount`: per staff member and unit, the open cases they have read
  since their last activity, from triggers on cases_casereading (an opening) and on
  cases_case (activity, a closing, a move or an assignment changes what the case's
  few readers have read).

Both databases get the same triggers: PostgreSQL through one PL/pgSQL function,
SQLite through UPSERT statements in trigger bodies. `install_triggers` is idempotent
and runs in the migration that made the table and again after every `migrate`
(`apps.CasesConfig.ready`): SQLite rebuilds a table for some schema changes, which
drops its triggers, and the next migrate puts them back. `check` compares the rows
with a count of the cases and readings (`manage.py check_inbox_counts`, nightly),
`rebuild` fills them from scratch (the benchmark's bulk load, which writes with
triggers off).
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

# --- what a staff member has read (ReadCount) ---------------------------------------------------------

READINGS = "cases_casereading"
READ_COUNTS = "cases_readcount"
READ_KEY = "staff_id, unit_id, part"
# The columns that decide whether a reading counts and where: activity, open or closed, unit, assignment.
_READ_COLUMNS = ("status", "unit_id", "assigned_to_id", "routed_role", "last_activity_at")
_READ_CHANGED_PG = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _READ_COLUMNS)
_READ_CHANGED_SQLITE = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _READ_COLUMNS)
_READ_TRIGGERS_ON_CASES = ("cases_read_count_case_update", "cases_read_count_case_delete")
_READ_TRIGGERS_ON_READINGS_PG = ("cases_read_count_reading",)
_READ_TRIGGERS_ON_READINGS_SQLITE = (
    "cases_read_count_reading_insert",
    "cases_read_count_reading_update",
    "cases_read_count_reading_delete",
)


def _part(case: str, staff: str) -> str:
    """Where a case (a cases_case row) sits for one reader, as ReadCount.part: 1 assigned to
    them, 2 unassigned in the handler pool, 0 otherwise (the rule of access._handler_scope)."""
    return (
        f"CASE WHEN {case}.assigned_to_id = {staff} THEN 1 "
        f"WHEN {case}.assigned_to_id IS NULL AND {case}.routed_role = 'handler' THEN 2 ELSE 0 END"
    )


def _fresh(case: str, read_at: str) -> str:
    """Whether a reading counts: the case is open and nothing happened on it after the reading
    (the same comparison as access._unread_by, which decides each row's "Oläst")."""
    return f"{case}.status <> 'closed' AND {read_at} >= {case}.last_activity_at"


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

_POSTGRESQL_READ = [
    f"""
CREATE OR REPLACE FUNCTION cases_read_count_add(k_staff bigint, k_unit bigint, k_part smallint, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {READ_COUNTS} SET n = n + delta WHERE staff_id = k_staff AND unit_id = k_unit AND part = k_part;
    IF NOT FOUND THEN
        INSERT INTO {READ_COUNTS} ({READ_KEY}, n) VALUES (k_staff, k_unit, k_part, delta)
        ON CONFLICT ({READ_KEY}) DO UPDATE SET n = {READ_COUNTS}.n + EXCLUDED.n;
    END IF;
END $$
""",
    # One reading leaves one key (o_*) and joins another (n_*), either possibly none; when the
    # two differ, the lower key is changed first (no deadlock between opposite moves).
    """
CREATE OR REPLACE FUNCTION cases_read_count_move(
    o_has boolean, o_staff bigint, o_unit bigint, o_part smallint,
    n_has boolean, n_staff bigint, n_unit bigint, n_part smallint
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF o_has AND n_has THEN
        IF (o_staff, o_unit, o_part) = (n_staff, n_unit, n_part) THEN
            RETURN;
        END IF;
        IF (n_staff, n_unit, n_part) < (o_staff, o_unit, o_part) THEN
            PERFORM cases_read_count_add(n_staff, n_unit, n_part, 1);
            PERFORM cases_read_count_add(o_staff, o_unit, o_part, -1);
            RETURN;
        END IF;
    END IF;
    IF o_has THEN
        PERFORM cases_read_count_add(o_staff, o_unit, o_part, -1);
    END IF;
    IF n_has THEN
        PERFORM cases_read_count_add(n_staff, n_unit, n_part, 1);
    END IF;
END $$
""",
    # A reading written, moved forward or deleted. The case row is locked (FOR SHARE) before
    # it is read, whatever its state: a transaction changing the case at the same moment then
    # either commits first, and this reading is judged against what it wrote, or waits for
    # this one, and its own trigger then sees this reading. Without the lock, a reading and
    # new activity committed side by side could each miss the other.
    f"""
CREATE OR REPLACE FUNCTION cases_read_count_reading() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c record;
    have_case boolean := false;
    o_has boolean := false; o_unit bigint; o_part smallint;
    n_has boolean := false; n_unit bigint; n_part smallint;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT * INTO c FROM {CASES} WHERE id = OLD.case_id FOR SHARE;
        have_case := FOUND;
        IF have_case THEN
            o_has := {_fresh("c", "OLD.read_at")};
            o_unit := c.unit_id;
            o_part := {_part("c", "OLD.staff_id")};
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF TG_OP = 'INSERT' OR NEW.case_id <> OLD.case_id THEN
            SELECT * INTO c FROM {CASES} WHERE id = NEW.case_id FOR SHARE;
            have_case := FOUND;
        END IF;
        IF have_case THEN
            n_has := {_fresh("c", "NEW.read_at")};
            n_unit := c.unit_id;
            n_part := {_part("c", "NEW.staff_id")};
        END IF;
    END IF;
    PERFORM cases_read_count_move(
        o_has, OLD.staff_id, o_unit, o_part, n_has, NEW.staff_id, n_unit, n_part
    );
    RETURN NULL;
END $$
""",
    # A case changed or deleted: each of its readers (a few) may have read it no longer, or again.
    f"""
CREATE OR REPLACE FUNCTION cases_read_count_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n_has boolean := false; n_part smallint;
BEGIN
    FOR r IN SELECT staff_id, read_at FROM {READINGS} WHERE case_id = OLD.id ORDER BY staff_id LOOP
        IF TG_OP = 'UPDATE' THEN
            n_has := {_fresh("NEW", "r.read_at")};
            n_part := {_part("NEW", "r.staff_id")};
        END IF;
        PERFORM cases_read_count_move(
            {_fresh("OLD", "r.read_at")}, r.staff_id, OLD.unit_id, ({_part("OLD", "r.staff_id")})::smallint,
            n_has, r.staff_id, NEW.unit_id, n_part
        );
    END LOOP;
    RETURN NULL;
END $$
""",
    *(f"DROP TRIGGER IF EXISTS {name} ON {CASES}" for name in _READ_TRIGGERS_ON_CASES),
    *(f"DROP TRIGGER IF EXISTS {name} ON {READINGS}" for name in _READ_TRIGGERS_ON_READINGS_PG),
    f"""CREATE TRIGGER cases_read_count_reading AFTER INSERT OR UPDATE OR DELETE ON {READINGS}
    FOR EACH ROW EXECUTE FUNCTION cases_read_count_reading()""",
    f"""CREATE TRIGGER cases_read_count_case_update AFTER UPDATE OF {", ".join(_READ_COLUMNS)}
    ON {CASES} FOR EACH ROW WHEN ({_READ_CHANGED_PG}) EXECUTE FUNCTION cases_read_count_case()""",
    f"""CREATE TRIGGER cases_read_count_case_delete AFTER DELETE ON {CASES}
    FOR EACH ROW EXECUTE FUNCTION cases_read_count_case()""",
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


def _sqlite_reading(reading: str, delta: int) -> str:
    """Count one reading (`NEW` or `OLD` of cases_casereading) in or out, if it counts."""
    return (
        f"INSERT INTO {READ_COUNTS} ({READ_KEY}, n) "
        f"SELECT {reading}.staff_id, c.unit_id, {_part('c', f'{reading}.staff_id')}, {delta} "
        f"FROM {CASES} c WHERE c.id = {reading}.case_id AND {_fresh('c', f'{reading}.read_at')} "
        f"ON CONFLICT ({READ_KEY}) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_case_readers(case: str, delta: int) -> str:
    """Count the readings of one case (`NEW` or `OLD` of cases_case) in or out, those that count."""
    return (
        f"INSERT INTO {READ_COUNTS} ({READ_KEY}, n) "
        f"SELECT r.staff_id, {case}.unit_id, {_part(case, 'r.staff_id')}, {delta} "
        f"FROM {READINGS} r WHERE r.case_id = {case}.id AND {_fresh(case, 'r.read_at')} "
        f"ON CONFLICT ({READ_KEY}) DO UPDATE SET n = n + excluded.n;"
    )


# SQLite has one writer at a time, so a reading and a change of its case never interleave.
_SQLITE_READ = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in (*_READ_TRIGGERS_ON_CASES, *_READ_TRIGGERS_ON_READINGS_SQLITE)),
    f"""CREATE TRIGGER cases_read_count_reading_insert AFTER INSERT ON {READINGS}
    BEGIN {_sqlite_reading("NEW", 1)} END""",
    f"""CREATE TRIGGER cases_read_count_reading_update AFTER UPDATE OF read_at, case_id, staff_id ON {READINGS}
    BEGIN {_sqlite_reading("OLD", -1)} {_sqlite_reading("NEW", 1)} END""",
    f"""CREATE TRIGGER cases_read_count_reading_delete AFTER DELETE ON {READINGS}
    BEGIN {_sqlite_reading("OLD", -1)} END""",
    f"""CREATE TRIGGER cases_read_count_case_update AFTER UPDATE OF {", ".join(_READ_COLUMNS)} ON {CASES}
    WHEN {_READ_CHANGED_SQLITE} BEGIN {_sqlite_case_readers("OLD", -1)} {_sqlite_case_readers("NEW", 1)} END""",
    f"""CREATE TRIGGER cases_read_count_case_delete AFTER DELETE ON {CASES}
    BEGIN {_sqlite_case_readers("OLD", -1)} END""",
]

# What the rows should be: the open cases grouped by their key, and the readings that count
# grouped by theirs.
_TRUE_COUNTS = f"SELECT {_key_of(CASES)}, COUNT(*) FROM {CASES} WHERE {CASES}.status <> 'closed' GROUP BY 1, 2, 3, 4, 5"
_TRUE_READ_COUNTS = (
    f"SELECT r.staff_id, c.unit_id, {_part('c', 'r.staff_id')}, COUNT(*) "
    f"FROM {READINGS} r JOIN {CASES} c ON c.id = r.case_id WHERE {_fresh('c', 'r.read_at')} GROUP BY 1, 2, 3"
)


@dataclass(frozen=True)
class _Counter:
    """One set of counter rows: its table, its key's columns, how to count it from scratch, and
    the statements that install its triggers, per database."""

    name: str
    table: str
    key: tuple[str, ...]
    kinds: tuple[type, ...]  # how each key column reads back (int, str, bool)
    true_counts: str
    statements: dict[str, list[str]]
    triggers: dict[str, tuple[tuple[str, str], ...]]  # (name, table) per database


_COUNTERS = (
    _Counter(
        "inbox",
        COUNTS,
        tuple(KEY.split(", ")),
        (int, int, str, bool, int),
        _TRUE_COUNTS,
        {"postgresql": _POSTGRESQL, "sqlite": _SQLITE},
        dict.fromkeys(("postgresql", "sqlite"), tuple((name, CASES) for name in _TRIGGERS)),
    ),
    _Counter(
        "read",
        READ_COUNTS,
        tuple(READ_KEY.split(", ")),
        (int, int, int),
        _TRUE_READ_COUNTS,
        {"postgresql": _POSTGRESQL_READ, "sqlite": _SQLITE_READ},
        {
            vendor: (
                *((name, CASES) for name in _READ_TRIGGERS_ON_CASES),
                *((name, READINGS) for name in on_readings),
            )
            for vendor, on_readings in (
                ("postgresql", _READ_TRIGGERS_ON_READINGS_PG),
                ("sqlite", _READ_TRIGGERS_ON_READINGS_SQLITE),
            )
        },
    ),
)


def _present(using: str) -> list[_Counter]:
    """The counters whose table exists: a migration before a counter's own (0004 before 0005)
    installs, checks and rebuilds only those it knows."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"inbox count triggers for {connection.vendor}")
    tables = set(connection.introspection.table_names())
    return [counter for counter in _COUNTERS if counter.table in tables]


def install_triggers(using: str = "default") -> None:
    """Create (or replace) the triggers that keep the counters; idempotent."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for counter in _present(using):
            for sql in counter.statements[connection.vendor]:
                cursor.execute(sql)


def drop_triggers(using: str = "default", *, only: str | None = None) -> None:
    """Remove every counter's triggers, or `only` one counter's ("inbox", "read"): the migrations' way back."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for counter in _COUNTERS:
            if only is not None and counter.name != only:
                continue
            for name, table in counter.triggers[connection.vendor]:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {name} ON {table}"
                    if connection.vendor == "postgresql"
                    else f"DROP TRIGGER IF EXISTS {name}"
                )


def triggers_installed(using: str = "default") -> bool:
    """Whether every trigger of every counter whose table exists is there (on cases_case and cases_casereading)."""
    connection = connections[using]
    expected = [trigger for counter in _present(using) for trigger in counter.triggers[connection.vendor]]
    names = [name for name, _ in expected]
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid IN (%s::regclass, %s::regclass) AND tgname = ANY(%s)",
                [CASES, READINGS, names],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s) "
                f"AND name IN ({marks})",
                [CASES, READINGS, *names],
            )
        (found,) = cursor.fetchone()
    return int(found) == len(expected)


Key = tuple[int | str | bool, ...]


@dataclass(frozen=True)
class Difference:
    """One counter row that disagreed with the cases: which counter ("inbox" or "read"), its key,
    what it said and what is true."""

    counter: str
    columns: tuple[str, ...]
    key: Key
    stored: int
    true: int


def _lock(cursor, vendor: str, counters: list[_Counter]) -> None:  # type: ignore[no-untyped-def]
    """Wait for every transaction that changed a count to end, and hold new ones back until ours does.

    Triggers change counts while the writing transaction is open; once no such
    transaction is running, the committed rows and the counters agree, and a
    count read now can be compared with the counters.
    """
    if vendor == "postgresql":
        cursor.execute(f"LOCK TABLE {', '.join(counter.table for counter in counters)} IN EXCLUSIVE MODE")
    else:
        cursor.execute(f"UPDATE {COUNTS} SET n = n WHERE 0")  # SQLite: take the one write lock first


def _read_rows(cursor, counter: _Counter, sql: str) -> dict[Key, int]:  # type: ignore[no-untyped-def]
    cursor.execute(sql)
    width = len(counter.key)
    return {
        tuple(kind(value) for kind, value in zip(counter.kinds, row[:width], strict=True)): int(row[width])
        for row in cursor.fetchall()
    }


def check(*, repair: bool = False, using: str = "default") -> list[Difference]:
    """Compare every counter with a count of the cases and readings; with `repair`, make them agree.

    Also puts back missing triggers (there should never be any) and drops rows that count nothing.
    """
    connection = connections[using]
    differences: list[Difference] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor, _present(using))
        for counter in _present(using):
            stored = _read_rows(cursor, counter, f"SELECT {', '.join(counter.key)}, n FROM {counter.table}")
            true = _read_rows(cursor, counter, counter.true_counts)
            found = [
                Difference(counter.name, counter.key, key, stored.get(key, 0), true.get(key, 0))
                for key in sorted(set(stored) | set(true))
                if stored.get(key, 0) != true.get(key, 0)
            ]
            if repair:
                for difference in found:
                    _set(cursor, counter, difference.key, difference.true)
                cursor.execute(f"DELETE FROM {counter.table} WHERE n = 0")
            differences += found
        if repair and not triggers_installed(using):
            install_triggers(using)
    for difference in differences:
        # Ids and numbers only: nothing about a resident.
        logger.warning(
            "%s count differs: %s: stored %s, true %s",
            difference.counter,
            difference.key,
            difference.stored,
            difference.true,
        )
    return differences


def _set(cursor, counter: _Counter, key: Key, n: int) -> None:  # type: ignore[no-untyped-def]
    where = " AND ".join(f"{column} = %s" for column in counter.key)
    cursor.execute(f"UPDATE {counter.table} SET n = %s WHERE {where}", [n, *key])
    if cursor.rowcount == 0:
        marks = ", ".join(["%s"] * (len(counter.key) + 1))
        cursor.execute(f"INSERT INTO {counter.table} ({', '.join(counter.key)}, n) VALUES ({marks})", [*key, n])


def rebuild(using: str = "default") -> int:
    """Fill every counter from scratch (after a bulk load with triggers off); the rows made."""
    connection = connections[using]
    made = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock(cursor, connection.vendor, _present(using))
        for counter in _present(using):
            cursor.execute(f"DELETE FROM {counter.table}")
            cursor.execute(f"INSERT INTO {counter.table} ({', '.join(counter.key)}, n) {counter.true_counts}")
            made += int(cursor.rowcount)
    return made
