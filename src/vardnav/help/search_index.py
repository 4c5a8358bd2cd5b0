"""The help articles' full-text index, kept by the database itself.

Why in the database and not in Python: an article's row is written by the ORM,
the data migration and the demo reset alike, and the index must follow every
write. The database keeps it:

- PostgreSQL: a stored generated `tsvector` column `search_vector` (Swedish
  configuration on the Swedish text, English on the English text, titles
  weighted above answers) with a GIN index, `help_article_search`.
- SQLite: an FTS5 table `help_article_fts` with the article table as its
  external content, kept in step by three triggers. If the SQLite build has
  no FTS5, nothing is created and search matches word by word instead.

Neither column nor table is a Django field: help.access queries them in SQL.
A later migration that rebuilds the article table on SQLite drops its
triggers, so `ensure_search_index` runs after every migrate (apps.py) and puts
them back, rebuilding the index.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "help_article_fts"
_COLUMNS = ("title_sv", "body_sv", "title_en", "body_en")

POSTGRES_VECTOR = (
    "setweight(to_tsvector('swedish'::regconfig, coalesce(title_sv, '')), 'A') || "
    "setweight(to_tsvector('swedish'::regconfig, coalesce(body_sv, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(title_en, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body_en, '')), 'B')"
)


def sqlite_has_fts5(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if cursor.fetchone()[0]:
            return True
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.help_fts_probe USING fts5(x)")
        except Exception:  # noqa: BLE001 - "no such module: fts5"
            return False
        cursor.execute("DROP TABLE temp.help_fts_probe")
        return True


def has_index(connection: Any) -> bool:
    """Whether searches can use the index (always on PostgreSQL once migrated; SQLite with FTS5)."""
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        return cursor.fetchone() is not None


def _sqlite_triggers() -> list[str]:
    columns = ", ".join(_COLUMNS)
    new = ", ".join(f"new.{c}" for c in _COLUMNS)
    old = ", ".join(f"old.{c}" for c in _COLUMNS)
    # Constants only (table and column names of this module), no input.
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608
    return [
        f"CREATE TRIGGER IF NOT EXISTS help_article_fts_insert AFTER INSERT ON help_helparticle BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS help_article_fts_delete AFTER DELETE ON help_helparticle BEGIN {delete} END",
        "CREATE TRIGGER IF NOT EXISTS help_article_fts_update AFTER UPDATE ON help_helparticle "
        f"BEGIN {delete} {insert} END",
    ]


def ensure_search_index(connection: Any) -> None:
    """Create the index if missing (idempotent); on SQLite also restore lost triggers and rebuild."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = 'help_helparticle' "
                "AND column_name = 'search_vector'"
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    "ALTER TABLE help_helparticle ADD COLUMN search_vector tsvector "
                    f"GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED"
                )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS help_article_search ON help_helparticle USING GIN (search_vector)"
            )
        return
    if connection.vendor != "sqlite" or not sqlite_has_fts5(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'help_article_fts_%%'")
        triggers = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
        table = cursor.fetchone() is not None
        if table and triggers == 3:
            return
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({', '.join(_COLUMNS)}, "
            "content='help_helparticle', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        for statement in _sqlite_triggers():
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608 - constants


def drop_search_index(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS help_article_search")
            cursor.execute("ALTER TABLE help_helparticle DROP COLUMN IF EXISTS search_vector")
        elif connection.vendor == "sqlite":
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS help_article_fts_{name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
