"""`make bench`: the data set, gunicorn on PostgreSQL, a mixed workload, and the raw database floor.

    python -m bench.run                       # 1 M cases, 60 s mixed, 30 s submissions, 30 s raw floor
    python -m bench.run --cases 10000000      # the big run (builds a 10 M data set first)

Phases, each against the same gunicorn:
1. queries per request: every operation once through Django's test client with
   CaptureQueriesContext (and EXPLAIN ANALYZE of the inbox page's queries);
2. mixed: 1/3 writes (submit a case, send a message), 2/3 reads (inbox first
   page, open a case, Mina ärenden, the access-log extract), closed loop;
3. submissions only, same concurrency, and
4. the raw floor: the rows of one submission (case, message, audit entry with its
   chain head, idempotency record) written by plain psycopg at the same concurrency;
   3 and 4 alternate in `--paired-rounds` pairs of windows (3 by default), so that a
   shared host's changing speed weighs on both sides of the ratio alike;
5. inbox first page at concurrency 1 (latency without queueing).
Server CPU = user+system of gunicorn (master and workers) and of the PostgreSQL
backends connected to the bench database, plus PostgreSQL's WAL writer,
checkpointer and background writer, from /proc before and after each window.
Results: bench/results/bench-<time>.json (+ latest.json) and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path

from bench import common, dataset, load
from bench import help_scale as bench_help
from bench import uploads as bench_uploads

MIXED = {
    "submit_case": 1 / 6,
    "send_message": 1 / 6,
    "inbox": 1 / 6,
    "open_case": 1 / 6,
    "my_cases": 1 / 6,
    "access_log": 1 / 6,
}
TARGET_CPU_MS = 6.0
TARGET_INBOX_P99_MS = 10.0
TARGET_FLOOR_RATIO = 0.30
TARGET_UPLOAD_GROWTH_MB = 10.0
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


# --- 1. queries per request --------------------------------------------------------------


def queries_per_request(personas: load.Personas) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(3)
    out = {}
    explain = {}
    for op in MIXED:
        counts = []
        for attempt in range(2):  # the first call warms caches (questionnaire, content types)
            request = load.next_request(op, personas, rng)
            client = Client()
            for part in request.cookie.split("; "):
                name, value = part.split("=", 1)
                client.cookies[name] = value
            headers = {"HTTP_X_CSRFTOKEN": request.csrf}
            if request.idempotency_key:
                headers["HTTP_IDEMPOTENCY_KEY"] = request.idempotency_key
            with CaptureQueriesContext(connection) as ctx:
                if request.method == "GET":
                    response = client.get(request.path, **headers)
                else:
                    response = client.post(
                        request.path, json.dumps(request.body), content_type="application/json", **headers
                    )
            if response.status_code >= 300:
                raise RuntimeError(f"{op}: {response.status_code} {response.content[:300]!r}")
            counts.append(len(ctx.captured_queries))
            if attempt == 1:
                out[op] = {
                    "queries": len(ctx.captured_queries),
                    "sql": [q["sql"][:160] for q in ctx.captured_queries],
                }
                if op == "inbox":
                    explain = _explain([q["sql"] for q in ctx.captured_queries])
    return {"per_op": out, "inbox_explain": explain}


def _explain(statements: list[str]) -> list[dict]:
    import psycopg

    plans = []
    with psycopg.connect(common.conninfo()) as conn:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT") or "cases_case" not in sql:
                continue
            rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql).fetchone()[0]
            plan = rows[0]
            top = plan["Plan"]
            node = top
            while node.get("Plans") and node["Node Type"] in ("Limit", "Aggregate", "Sort", "Nested Loop"):
                node = node["Plans"][0]
            plans.append(
                {
                    "sql": sql[:200],
                    "execution_ms": plan["Execution Time"],
                    "scan": f"{node['Node Type']} {node.get('Index Name', '')}".strip(),
                    "rows": top.get("Actual Rows"),
                }
            )
    return plans


# --- 2./3./5. load windows --------------------------------------------------------------


def measured_window(server: load.Gunicorn, personas, ops, *, concurrency: int, seconds: float, seed: int) -> dict:
    meter = load.CpuMeter(server.pid)
    meter.start()
    try:
        result = load.drive(server.port, personas, ops, concurrency=concurrency, seconds=seconds, seed=seed)
    finally:
        cpu = meter.stop()
    summary = load.summarize(result)
    server_cpu = cpu["app"] + cpu["db_backends"] + cpu["db_aux"]
    n = max(summary["requests"], 1)
    summary["cpu_seconds"] = cpu
    summary["server_cpu_ms_per_request"] = round(server_cpu * 1000 / n, 3)
    summary["app_cpu_ms_per_request"] = round(cpu["app"] * 1000 / n, 3)
    summary["db_cpu_ms_per_request"] = round((cpu["db_backends"] + cpu["db_aux"]) * 1000 / n, 3)
    summary["client_cpu_ms_per_request"] = round(cpu["client"] * 1000 / n, 3)
    return summary


def _combined_windows(windows: list[dict]) -> dict:
    """Several windows of the same operation as one: totals over their summed wall time."""
    wall = sum(w["wall_seconds"] for w in windows)
    requests = sum(w["requests"] for w in windows)
    n = max(requests, 1)
    cpu = {key: sum(w["cpu_seconds"][key] for w in windows) for key in windows[0]["cpu_seconds"]}
    ops: dict = {}
    for op in windows[0]["ops"]:
        parts = [w["ops"][op] for w in windows if op in w["ops"]]
        ops[op] = {
            "requests": sum(p["requests"] for p in parts),
            "ok": sum(p["ok"] for p in parts),
            "req_per_s": round(sum(p["requests"] for p in parts) / wall, 1),
            # Percentiles of the windows' percentiles, weighted by nothing: the worst window's p99 is kept.
            "p50_ms": statistics.median(p["p50_ms"] for p in parts),
            "p95_ms": max(p["p95_ms"] for p in parts),
            "p99_ms": max(p["p99_ms"] for p in parts),
        }
    return {
        "wall_seconds": round(wall, 2),
        "requests": requests,
        "errors": sum(w["errors"] for w in windows),
        "req_per_s": round(requests / wall, 1) if wall else 0,
        "ops": ops,
        "cpu_seconds": cpu,
        "server_cpu_ms_per_request": round((cpu["app"] + cpu["db_backends"] + cpu["db_aux"]) * 1000 / n, 3),
        "app_cpu_ms_per_request": round(cpu["app"] * 1000 / n, 3),
        "db_cpu_ms_per_request": round((cpu["db_backends"] + cpu["db_aux"]) * 1000 / n, 3),
        "client_cpu_ms_per_request": round(cpu["client"] * 1000 / n, 3),
        "windows": [{k: w[k] for k in ("wall_seconds", "requests", "req_per_s", "errors")} for w in windows],
    }


def _combined_floors(floors: list[dict]) -> dict:
    """Several raw-floor windows as one: totals over their summed wall time (percentiles: the worst window)."""
    wall = sum(f["wall_seconds"] for f in floors)
    done = sum(f["submissions"] for f in floors)
    n = max(done, 1)
    kinds: dict[str, int] = {}
    for f in floors:
        for kind, count in f["error_kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    return {
        "wall_seconds": round(wall, 2),
        "submissions": done,
        "errors": sum(f["errors"] for f in floors),
        "error_kinds": kinds,
        "submissions_per_s": round(done / wall, 1) if wall else 0,
        "p50_ms": statistics.median(f["p50_ms"] for f in floors),
        "p99_ms": max(f["p99_ms"] for f in floors),
        "db_cpu_ms_per_submission": round(sum(f["db_cpu_ms_per_submission"] * f["submissions"] for f in floors) / n, 3),
        "client_cpu_ms_per_submission": round(
            sum(f["client_cpu_ms_per_submission"] * f["submissions"] for f in floors) / n, 3
        ),
        "windows": [{k: f[k] for k in ("wall_seconds", "submissions", "submissions_per_s")} for f in floors],
    }


# --- 4. raw floor ---------------------------------------------------------------------------


def raw_floor(personas: load.Personas, *, concurrency: int, seconds: float) -> dict:
    """The same rows as one API submission, written by plain psycopg: one transaction each."""
    import psycopg
    from django.conf import settings

    from vardnav.audit.actions import chain_hash
    from vardnav.catalog.models import Questionnaire
    from vardnav.core.crypto import blind_index, encrypt

    questionnaire_id = Questionnaire.objects.get(service_id=personas.service_id, status="published").pk
    shards = int(getattr(settings, "AUDIT_CHAIN_SHARDS", 16))
    deadline = time.monotonic() + seconds
    counts = [0] * concurrency
    errors = [0] * concurrency
    kinds: dict[str, int] = {}
    latencies: list[list[float]] = [[] for _ in range(concurrency)]

    connections = [psycopg.connect(common.conninfo()) for _ in range(concurrency)]

    def worker(index: int) -> None:
        rng = random.Random(uuid.uuid4().int)  # not seeded by index: a second run would redraw the same case numbers
        conn = connections[index]
        while time.monotonic() < deadline:
            resident = rng.choice(personas.residents)
            answers = json.dumps({"question": uuid.uuid4().hex, "subject": "Fråga"}, sort_keys=True)
            started = time.perf_counter()
            try:
                with conn.transaction():
                    now = dt.datetime.now(dt.UTC)
                    number = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
                    case_id = conn.execute(
                        "INSERT INTO cases_case (number, channel, answers, status, routed_role, submitted_at, "
                        "due_at, last_activity_at, outcome, content_fingerprint, resident_unread, staff_unread, "
                        "provider_id, questionnaire_id, service_id, subject_id, submitted_by_id, unit_id) "
                        "SELECT %s, 'api', %s, 'new', 'receiver', %s, %s, %s, '', %s, false, true, "
                        "u.provider_id, %s, %s, %s, %s, u.id FROM organizations_unit u WHERE u.id = %s "
                        "RETURNING id",
                        (
                            f"{number[:4]}-{number[4:]}",
                            encrypt(answers),
                            now,
                            now + dt.timedelta(days=2),
                            now,
                            blind_index(answers),
                            questionnaire_id,
                            personas.service_id,
                            resident.person_id,
                            resident.person_id,
                            resident.unit_id,
                        ),
                    ).fetchone()[0]
                    conn.execute(
                        "INSERT INTO cases_message (kind, body, created_at, author_person_id, case_id) "
                        "VALUES ('submission', '', %s, %s, %s)",
                        (now, resident.person_id, case_id),
                    )
                    shard = rng.randrange(shards)
                    seq, prev = conn.execute(
                        "SELECT seq, hash FROM audit_auditchainhead WHERE shard = %s FOR UPDATE", (shard,)
                    ).fetchone()
                    payload = {
                        "occurred_at": now.isoformat(timespec="microseconds"),
                        "actor_kind": "resident",
                        "actor_person_id": resident.person_id,
                        "acting_for_person_id": None,
                        "actor_staff_id": None,
                        "role": "",
                        "unit_id": resident.unit_id,
                        "provider_id": None,
                        "action": "case.submit",
                        "object_type": "cases.case",
                        "object_id": str(case_id),
                        "subject_person_id": resident.person_id,
                        "purpose": "",
                        "request_id": "",
                        "shard": shard,
                        "seq": seq + 1,
                    }
                    digest = chain_hash(prev, payload)
                    conn.execute(
                        "INSERT INTO audit_auditentry (occurred_at, actor_kind, actor_person_id, role, unit_id, "
                        "action, object_type, object_id, subject_person_id, purpose, request_id, shard, seq, "
                        "prev_hash, hash) VALUES (%s, 'resident', %s, '', %s, 'case.submit', 'cases.case', %s, "
                        "%s, '', '', %s, %s, %s, %s)",
                        (
                            now,
                            resident.person_id,
                            resident.unit_id,
                            str(case_id),
                            resident.person_id,
                            shard,
                            seq + 1,
                            prev,
                            digest,
                        ),
                    )
                    conn.execute(
                        "UPDATE audit_auditchainhead SET seq = %s, hash = %s WHERE shard = %s",
                        (seq + 1, digest, shard),
                    )
                    conn.execute(
                        "INSERT INTO core_idempotencyrecord (scope, key, request_hash, response_status, "
                        "response_body, created_at) VALUES (%s, %s, %s, 201, %s, %s)",
                        (
                            f"person:{resident.person_id}",
                            uuid.uuid4().hex,
                            blind_index(answers),
                            json.dumps({"id": case_id}),
                            now,
                        ),
                    )
                counts[index] += 1
                latencies[index].append((time.perf_counter() - started) * 1000)
            except psycopg.Error as exc:
                errors[index] += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1

    meter = load.CpuMeter(None)
    meter.start()
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    cpu = meter.stop()  # before the connections close, so their backends are still there to read
    for conn in connections:
        conn.close()
    done = sum(counts)
    lat = sorted(x for part in latencies for x in part)
    return {
        "wall_seconds": round(wall, 2),
        "submissions": done,
        "errors": sum(errors),
        "error_kinds": kinds,
        "submissions_per_s": round(done / wall, 1),
        "p50_ms": round(load.percentile(lat, 50), 2),
        "p99_ms": round(load.percentile(lat, 99), 2),
        "db_cpu_ms_per_submission": round((cpu["db_backends"] + cpu["db_aux"]) * 1000 / max(done, 1), 3),
        "client_cpu_ms_per_submission": round(cpu["client"] * 1000 / max(done, 1), 3),
    }


# --- report ------------------------------------------------------------------------------------


def _machine() -> dict:
    import os
    import platform

    import psycopg

    with psycopg.connect(common.conninfo()) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("shared_buffers", "synchronous_commit", "max_connections")
        }
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    load_avg = Path("/proc/loadavg").read_text().split()[:3]

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=common.ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_uncommitted_files": len(git("status", "--porcelain").splitlines()),
        "cpus": os.cpu_count(),
        "memory": " ".join(mem.split()[1:]),
        "python": platform.python_version(),
        "postgresql": version,
        "postgresql_settings": settings,
        "load_average_at_end": load_avg,
    }


def render_markdown(results: dict) -> str:
    mixed = results["mixed"]
    submit = results["submissions_only"]
    floor = results["raw_floor"]
    queries = results["queries"]["per_op"]
    machine = results["machine"]
    per_op = results.get("per_op_alone", {})
    sessions = "Redis (cached_db)" if results["config"].get("redis_url") not in (None, "", "none") else "PostgreSQL"
    lines = [
        f"Run {results['started_at']} (`{machine['git_commit']}`) · {results['dataset']['cases']:,} cases, "
        f"{results['dataset']['messages']:,} messages, {results['dataset']['audit_entries']:,} audit entries, "
        f"{results['dataset']['persons']:,} residents, {results['dataset']['units']} bench units "
        f"(database {results['dataset'].get('size', '?')}) · gunicorn {results['config']['workers']} "
        f"{results['config']['worker_class']} workers · sessions and rate limits in {sessions} · "
        f"{results['config']['concurrency']} client threads · {machine['cpus']} CPUs, "
        f"PostgreSQL {machine['postgresql']}, load driver on the same machine · **load average "
        f"{' / '.join(machine['load_average_at_start'])} at the start, {' / '.join(machine['load_average_at_end'])} "
        "at the end** (1 / 5 / 15 min; the run's own load driver, gunicorn and PostgreSQL make about 2 on this machine, "
        "so more than that at the start is other work sharing it).",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for name, measured, ok in results["targets"]:
        lines.append(f"| {name} | {measured} | {'met' if ok else '**missed**'} |")
    lines += [
        "",
        f"**Mixed workload** ({mixed['wall_seconds']:.0f} s): **server CPU {mixed['server_cpu_ms_per_request']} ms "
        f"per request** (app {mixed['app_cpu_ms_per_request']}, PostgreSQL {mixed['db_cpu_ms_per_request']}; "
        f"load driver {mixed['client_cpu_ms_per_request']} on top), {mixed['req_per_s']} req/s, "
        f"{mixed['errors']} errors of {mixed['requests']:,} requests.",
        "",
        "| operation | CPU-ms/request alone (app + PostgreSQL) | queries/request | mixed req/s | p50 ms | p95 ms "
        "| p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for op, row in mixed["ops"].items():
        errors = sum(row["errors"].values())
        err = f"{errors} ({', '.join(f'{k}: {v}' for k, v in row['errors'].items())})" if errors else "0"
        alone = per_op.get(op)
        cpu = (
            f"{alone['server_cpu_ms_per_request']} ({alone['app_cpu_ms_per_request']} + "
            f"{alone['db_cpu_ms_per_request']})"
            if alone
            else "–"
        )
        lines.append(
            f"| {op} | {cpu} | {queries.get(op, {}).get('queries', '?')} | {row['req_per_s']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['p99_ms']} | {err} |"
        )
    inbox1 = results["inbox_unloaded"]["ops"].get("inbox", {})
    mine1 = results.get("my_cases_unloaded", {}).get("ops", {}).get("my_cases", {})
    lines += [
        "",
        f"**Submissions only** ({submit['wall_seconds']:.0f} s in all): {submit['req_per_s']} submissions/s, "
        f"p50 {submit['ops']['submit_case']['p50_ms']} ms, p99 {submit['ops']['submit_case']['p99_ms']} ms, "
        f"{submit['errors']} errors, server CPU {submit['server_cpu_ms_per_request']} ms per submission. "
        f"**Raw floor** (plain psycopg, same rows, same concurrency): {floor['submissions_per_s']} submissions/s, "
        f"p50 {floor['p50_ms']} ms, p99 {floor['p99_ms']} ms, PostgreSQL CPU {floor['db_cpu_ms_per_submission']} ms "
        f"per submission. **App / floor = {results['floor_ratio']:.1%}**"
        + (
            " (alternating pairs of windows: "
            + ", ".join(
                f"{w['req_per_s']}/{f['submissions_per_s']} = {w['req_per_s'] / max(f['submissions_per_s'], 0.1):.1%}"
                for w, f in zip(submit["windows"], floor["windows"], strict=True)
            )
            + ")."
            if "windows" in submit and "windows" in floor
            else "."
        ),
        "",
        f"**One client at a time** (15 s each): inbox first page p50 {inbox1.get('p50_ms')} ms, "
        f"p99 {inbox1.get('p99_ms')} ms; Mina ärenden p50 {mine1.get('p50_ms')} ms, p99 {mine1.get('p99_ms')} ms. "
        "Inbox SQL (EXPLAIN ANALYZE): "
        + "; ".join(f"{p['scan']} {p['execution_ms']:.2f} ms" for p in results["queries"]["inbox_explain"])
        + ".",
    ]
    uploads = results.get("uploads") or {}
    if uploads:
        lines += [
            "",
            f"**Uploads** (one 20 MB file of each type, images at {uploads['pixels'] / 1e6:.0f} MP, the check an "
            f"upload runs, in a fresh process; decode budget {uploads['budget_bytes'] / 1e6:.0f} MB per process):",
            "",
            "| type | file MB | peak RSS growth MB | check s | stored MB |",
            "|---|---:|---:|---:|---:|",
        ]
        for content_type, row in uploads["types"].items():
            if "error" in row:
                lines.append(f"| {content_type} | – | refused: {row['error']} | – | – |")
            else:
                lines.append(
                    f"| {content_type} | {row['file_mb']} | {row['peak_rss_growth_mb']} | {row['check_seconds']} "
                    f"| {row['stored_mb']} |"
                )
    return "\n".join(lines)


def update_docs(block: str, marker: str) -> None:
    path = common.ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else ""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{block}\n{end}{tail}"
    else:
        text += f"\n{start}\n{block}\n{end}\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Vårdnav benchmark")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set even if it exists")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60, help="seconds of mixed load")
    parser.add_argument("--submit-duration", type=float, default=30)
    parser.add_argument("--floor-duration", type=float, default=30)
    parser.add_argument(
        "--paired-rounds",
        type=int,
        default=3,
        help="submissions and the raw floor measured in this many alternating pairs of windows, so that a change "
        "in the machine's speed during the run (a shared host) affects both sides of the ratio alike",
    )
    parser.add_argument("--residents", type=int, default=1000, help="logged-in residents driving the load")
    parser.add_argument("--receivers", type=int, default=50)
    parser.add_argument("--op-duration", type=float, default=8, help="seconds of each operation alone (CPU per op)")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis for sessions and rate limits (its database is flushed first); 'none' keeps them in PostgreSQL",
    )
    parser.add_argument("--no-uploads", action="store_true", help="skip the upload memory measurement")
    parser.add_argument("--no-docs", action="store_true", help="don't update docs/benchmarks.md")
    parser.add_argument(
        "--no-help", action="store_true", help="skip issue 18's help search, vaccination card and follow-up"
    )
    args = parser.parse_args(argv)
    if args.redis_url and args.redis_url != "none":
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        os.environ["REDIS_URL"] = args.redis_url  # the bench process writes the sessions, gunicorn reads them
    else:
        os.environ.pop("REDIS_URL", None)

    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    load_at_start = Path("/proc/loadavg").read_text().split()[:3]
    meta = dataset.ensure(args.cases, args.units, args.persons, rebuild=args.rebuild)
    common.setup_django()
    log("logging in personas")
    personas = load.make_personas(args.residents, args.receivers, seed=int(time.time()))
    log(f"{len(personas.residents)} residents, {len(personas.receivers)} receivers")

    log("queries per request (Django test client)")
    queries = queries_per_request(personas)
    for op, row in queries["per_op"].items():
        log(f"  {op}: {row['queries']} queries")

    server = load.Gunicorn(load.free_port(), workers=args.workers, worker_class=args.worker_class, threads=args.threads)
    server.start()
    log(f"gunicorn pid {server.pid} on port {server.port}, workers {server.worker_pids()}")
    try:
        log("warming up (10 s)")
        load.drive(server.port, personas, MIXED, concurrency=args.concurrency, seconds=10, seed=9)
        log(f"mixed workload, {args.duration:.0f} s at concurrency {args.concurrency}")
        mixed = measured_window(server, personas, MIXED, concurrency=args.concurrency, seconds=args.duration, seed=1)
        log(f"  {mixed['req_per_s']} req/s, {mixed['errors']} errors, {mixed['server_cpu_ms_per_request']} CPU-ms/req")
        rounds = max(1, args.paired_rounds)
        log(
            f"submissions ({args.submit_duration:.0f} s) and the raw floor ({args.floor_duration:.0f} s), "
            f"in {rounds} alternating pairs"
        )
        pairs = []
        for k in range(rounds):
            one = measured_window(
                server,
                personas,
                {"submit_case": 1},
                concurrency=args.concurrency,
                seconds=args.submit_duration / rounds,
                seed=2 + 10 * k,
            )
            floor_one = raw_floor(personas, concurrency=args.concurrency, seconds=args.floor_duration / rounds)
            pairs.append((one, floor_one))
            log(
                f"  pair {k + 1}: {one['req_per_s']} submissions/s ({one['errors']} errors), floor "
                f"{floor_one['submissions_per_s']}/s: {one['req_per_s'] / max(floor_one['submissions_per_s'], 0.1):.1%}"
            )
        submit = _combined_windows([one for one, _ in pairs])
        floor = _combined_floors([floor_one for _, floor_one in pairs])
        log("inbox first page at concurrency 1 (15 s)")
        inbox1 = measured_window(server, personas, {"inbox": 1}, concurrency=1, seconds=15, seed=3)
        log("Mina ärenden at concurrency 1 (15 s)")
        my_cases1 = measured_window(server, personas, {"my_cases": 1}, concurrency=1, seconds=15, seed=4)
        per_op = {}
        for op in MIXED:
            window = measured_window(
                server, personas, {op: 1}, concurrency=args.concurrency, seconds=args.op_duration, seed=5
            )
            per_op[op] = {
                key: window[key]
                for key in (
                    "req_per_s",
                    "errors",
                    "server_cpu_ms_per_request",
                    "app_cpu_ms_per_request",
                    "db_cpu_ms_per_request",
                )
            }
            log(f"  {op} alone: {window['server_cpu_ms_per_request']} CPU-ms/req")
    finally:
        server.stop()
    uploads_result: dict = {}
    if not args.no_uploads:
        log("upload memory: one 20 MB file of each type at the pixel limit, fresh process each")
        uploads_result = bench_uploads.measure()
        for content_type, row in uploads_result["types"].items():
            log(f"  {content_type}: {row}")
    help_result: dict = {}
    if not args.no_help:
        log("help search at 10,000 entries, the vaccination card and the complaint follow-up (bench.help_scale)")
        help_result = bench_help.run_in_subprocess()

    ratio = submit["req_per_s"] / floor["submissions_per_s"] if floor["submissions_per_s"] else 0.0
    inbox_p99 = inbox1["ops"]["inbox"]["p99_ms"]
    my_cases_p99 = my_cases1["ops"]["my_cases"]["p99_ms"]
    targets = [
        (
            f"1. ≤ {TARGET_CPU_MS:g} server CPU-ms per mixed request",
            f"{mixed['server_cpu_ms_per_request']} ms",
            mixed["server_cpu_ms_per_request"] <= TARGET_CPU_MS and mixed["errors"] == 0,
        ),
        (f"2. submissions ≥ {TARGET_FLOOR_RATIO:.0%} of the raw floor", f"{ratio:.1%}", ratio >= TARGET_FLOOR_RATIO),
        (
            f"3. inbox and Mina ärenden p99 ≤ {TARGET_INBOX_P99_MS:.0f} ms at one client (target at 10 M cases; "
            f"this run: {meta['cases']:,})",
            f"inbox {inbox_p99} ms, Mina ärenden {my_cases_p99} ms (client-side, includes HTTP)",
            max(inbox_p99, my_cases_p99) <= TARGET_INBOX_P99_MS,
        ),
    ]
    if uploads_result:
        growth = {k: v.get("peak_rss_growth_mb") for k, v in uploads_result["types"].items()}
        budget_mb = uploads_result["budget_bytes"] / 1e6
        worst = max((g for g in growth.values() if g is not None), default=0)
        targets.append(
            (
                f"4. upload peak RSS growth ≤ {TARGET_UPLOAD_GROWTH_MB:g} MB, or within the documented "
                f"per-process decode budget ({budget_mb:.0f} MB)",
                ", ".join(f"{k} {v} MB" for k, v in growth.items()),
                worst <= TARGET_UPLOAD_GROWTH_MB or worst <= budget_mb,
            )
        )
    results = {
        "started_at": started_at,
        "config": vars(args),
        "machine": {**_machine(), "load_average_at_start": load_at_start},
        "dataset": meta,
        "queries": queries,
        "mixed": mixed,
        "submissions_only": submit,
        "inbox_unloaded": inbox1,
        "my_cases_unloaded": my_cases1,
        "per_op_alone": per_op,
        "uploads": uploads_result,
        "help_scale": help_result,
        "raw_floor": floor,
        "floor_ratio": round(ratio, 4),
        "targets": targets,
    }
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = common.RESULTS / f"bench-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    (common.RESULTS / "bench-latest.json").write_text(out.read_text())
    block = render_markdown(results)
    print()
    print(block)
    print()
    print(f"raw floor ratio: app {submit['req_per_s']} / floor {floor['submissions_per_s']} = {ratio:.1%}")
    print(f"results: {out.relative_to(common.ROOT)}")
    if not args.no_docs:
        update_docs(block, "bench")
        if help_result:
            update_docs(bench_help.render_markdown(help_result), "help-scale")
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
