"""The resident's access-log extract on a large audit table: does it answer from its index?

    python -m bench.audit_extract [--rows 100000000] [--minutes 10] [--batch 2000000] [--keep]

Why: the extract (audit.access.extract_queryset) reads one person's staff
entries newest first, one keyset page at a time, from the partial index
`audit_subject_time_idx` (subject, occurred_at DESC, id DESC WHERE actor_kind =
'staff'). At 100 M entries the page must still come from a short index range
scan, not a scan of the table or a sort.

How: a database of its own (`vardnav_bench_audit`, dropped and created) is
migrated, then `audit_auditentry` is filled in SQL with `generate_series`, in
batches, until `--rows` are in or `--minutes` have passed, whichever first.
The extract index is dropped during the load and built afterwards (one sort
instead of 100 M index inserts), then the table is analysed. The rows have the
real columns and sizes (64-character hashes, a purpose, a request id):

- subjects: 1 M residents, spread evenly; one resident (`HEAVY`) is the subject
  of one entry in a thousand — 100,000 entries at 100 M rows, the worst case;
- 70 % of entries are staff's (the rest the resident's own, outside the index);
- times spread over five years, newest last.

Then, through the app's own query (Django's ORM on this database), the first
page, a page deep in the cursor, and a period filter are EXPLAIN ANALYZEd for a
typical resident and for `HEAVY`, each also timed over repeated calls. The
report (JSON in bench/results/) gives the rows loaded, the load and index
times, the table and index sizes, the plans and the timings. Nothing here is
the chain: the entries' hashes are filler, `audit_verify` would (rightly)
refuse this table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time

from bench import common

DB = "vardnav_bench_audit"
PEOPLE = 1_000_000
HEAVY = 424_242  # the worst-case resident: one entry in a thousand is about them
SPAN_SECONDS = 5 * 365 * 24 * 3600

INSERT = """
INSERT INTO audit_auditentry (
    occurred_at, actor_kind, actor_person_id, acting_for_person_id, actor_staff_id, actor_user_id, role,
    unit_id, provider_id, action, object_type, object_id, subject_person_id, purpose, request_id, extra,
    shard, seq, prev_hash, hash
)
SELECT
    %(start)s::timestamptz + make_interval(secs => (g::double precision * %(step)s)),
    CASE WHEN g %% 10 < 7 THEN 'staff' ELSE 'resident' END,
    CASE WHEN g %% 10 < 7 THEN NULL ELSE g %% %(people)s END,
    NULL,
    CASE WHEN g %% 10 < 7 THEN 1 + g %% 5000 ELSE NULL END,
    NULL,
    CASE WHEN g %% 10 < 7 THEN 'handler' ELSE '' END,
    1 + g %% 200,
    1 + g %% 20,
    CASE g %% 4 WHEN 0 THEN 'case_viewed' WHEN 1 THEN 'record_read' WHEN 2 THEN 'message_sent' ELSE 'case_read' END,
    'cases.case',
    (g / 7)::text,
    CASE WHEN g %% 1000 = 0 THEN %(heavy)s ELSE (g * 7919) %% %(people)s END,
    CASE WHEN g %% 10 < 7 THEN 'vård och behandling' ELSE '' END,
    md5(g::text),
    NULL,
    g %% 16,
    g,
    repeat('0', 64),
    md5(g::text) || md5((g + 1)::text)
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
"""


def _load(rows: int, minutes: float, batch: int) -> dict:
    import psycopg

    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    step = SPAN_SECONDS / rows
    loaded = 0
    batches = []
    began = time.monotonic()
    with psycopg.connect(common.conninfo(DB), autocommit=True) as conn:
        conn.execute("DROP INDEX IF EXISTS audit_subject_time_idx")
        # The chain's triggers refuse UPDATE/DELETE only; inserting is what they allow.
        conn.execute("ALTER TABLE audit_auditentry SET (autovacuum_enabled = false)")
        while loaded < rows and time.monotonic() - began < minutes * 60:
            first, last = loaded + 1, min(rows, loaded + batch)
            t0 = time.monotonic()
            conn.execute(
                INSERT,
                {"start": start, "step": step, "people": PEOPLE, "heavy": HEAVY, "first": first, "last": last},
            )
            batches.append(round(time.monotonic() - t0, 1))
            loaded = last
            print(f"  {loaded:,} rows ({time.monotonic() - began:.0f} s)", flush=True)
        load_seconds = time.monotonic() - began
        t0 = time.monotonic()
        conn.execute(
            "CREATE INDEX audit_subject_time_idx ON audit_auditentry "
            "(subject_person_id, occurred_at DESC, id DESC) WHERE actor_kind = 'staff'"
        )
        index_seconds = time.monotonic() - t0
        t0 = time.monotonic()
        conn.execute("VACUUM (ANALYZE) audit_auditentry")
        vacuum_seconds = time.monotonic() - t0
        conn.execute("ALTER TABLE audit_auditentry RESET (autovacuum_enabled)")
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_table_size('audit_auditentry')), "
            "pg_size_pretty(pg_relation_size('audit_subject_time_idx')), "
            "pg_relation_size('audit_subject_time_idx')"
        ).fetchone()
        assert sizes is not None
    return {
        "rows": loaded,
        "last_row_time": (start + dt.timedelta(seconds=step * loaded)).isoformat(),
        "load_seconds": round(load_seconds, 1),
        "rows_per_second": round(loaded / load_seconds),
        "batch_seconds": batches,
        "index_build_seconds": round(index_seconds, 1),
        "vacuum_analyze_seconds": round(vacuum_seconds, 1),
        "table_size": sizes[0],
        "index_size": sizes[1],
        "index_bytes": sizes[2],
    }


def _measure(calls: int) -> dict:
    from django.db import connection

    from vardnav.audit.access import _encode as encode_cursor
    from vardnav.audit.access import extract_queryset

    out: dict = {}
    typical = (HEAVY + 1) * 7919 % PEOPLE  # some resident with an ordinary share of entries
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(occurred_at) FROM audit_auditentry")
        newest = cursor.fetchone()[0]
    for label, person in (("typical", typical), ("heavy", HEAVY)):
        count = extract_queryset(person).count()
        cases = {"first page": extract_queryset(person)}
        deep = list(extract_queryset(person).values_list("occurred_at", "id")[count // 2 : count // 2 + 1])
        if deep:
            cases["page from a cursor half-way"] = extract_queryset(person, after=encode_cursor(*deep[0]))
        cases["a period (last 90 days)"] = extract_queryset(
            person, since=newest - dt.timedelta(days=90), until=newest + dt.timedelta(seconds=1)
        )
        person_out: dict = {"staff_entries": count}
        for name, queryset in cases.items():
            page = queryset.values("id", "occurred_at", "action", "unit_id", "actor_staff_id")[:51]
            sql, params = page.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
            timings = []
            for _ in range(calls):
                t0 = time.perf_counter()
                list(page.all())
                timings.append((time.perf_counter() - t0) * 1000)
            timings.sort()
            person_out[name] = {
                "plan": plan,
                "ms_median": round(statistics.median(timings), 3),
                "ms_p99": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 3),
            }
        out[label] = person_out
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=2_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded table: only measure")
    args = parser.parse_args(argv)
    report: dict = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    if not (args.keep and common.database_exists(DB)):
        common.recreate_database(DB)
        common.manage("migrate", "--noinput", "-v", "0", dbname=DB)
        report["load"] = _load(args.rows, args.minutes, args.batch)
        print(json.dumps(report["load"], indent=2), flush=True)
    common.setup_django(DB)
    report["extract"] = _measure(args.calls)
    with open("/proc/loadavg") as handle:
        report["loadavg_at_end"] = handle.read().split()[:3]
    common.RESULTS.mkdir(exist_ok=True)
    path = common.RESULTS / f"audit-extract-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report["extract"], indent=2, ensure_ascii=False))
    print(f"written {path}")


if __name__ == "__main__":
    main()
