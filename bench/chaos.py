"""`make chaos`: kill -9 the app and crash PostgreSQL during a burst of submissions; nothing acknowledged may be lost.

    python -m bench.chaos                     # 1,000 submissions, 8 clients

What happens:
1. gunicorn serves the bench database; 8 client threads send 1,000 case
   submissions, each with its own Idempotency-Key and a unique marker in its
   answers, and retry every failure (connection refused or reset, 5xx) with the
   same key and the same body until they get an answer that is not an error;
2. after a third of the burst is acknowledged: SIGKILL to every gunicorn worker
   and the master, PostgreSQL stopped in immediate mode (no shutdown checkpoint:
   a crash as far as the WAL is concerned), then both restarted at once;
3. after two thirds: gunicorn killed with SIGKILL once more and restarted;
4. afterwards every case of the burst is read back and its marker decrypted.
PASS when every submission that got a 2xx exists exactly once, with the id the
client was told, no submission exists twice, and every key has exactly one
idempotency record. Stopping PostgreSQL interrupts every database on this
server for a second or two: run it on a machine nobody else is using, or briefly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass

from bench import common, dataset, load


def log(message: str) -> None:
    print(f"[chaos {dt.datetime.now(dt.UTC):%H:%M:%S.%f}"[:-3] + f"] {message}", flush=True)


def pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1], "main"


def pg_ctl(action: str, *extra: str) -> float:
    version, name = pg_cluster()
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action, *extra],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def wait_for_postgres(timeout: float = 60) -> float:
    import psycopg

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with psycopg.connect(common.conninfo(), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return time.monotonic() - started
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise RuntimeError("PostgreSQL did not come back")


@dataclass
class Submission:
    index: int
    resident: load.Resident
    request: load.Request
    marker: str
    attempts: int = 0
    final_status: int | None = None
    acknowledged_id: int | None = None
    first_2xx_attempt: int | None = None
    transient_errors: int = 0
    last_attempt_at: dt.datetime | None = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Vårdnav crash test")
    parser.add_argument(
        "--cases",
        type=int,
        default=None,
        help="data set size; by default the bench database's as it is (1 M when there is none), so a crash "
        "test after a 10 M `bench.run` does not rebuild the set",
    )
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--retry-deadline", type=float, default=180, help="seconds a client keeps retrying one key")
    parser.add_argument("--no-postgres-crash", action="store_true", help="only kill gunicorn")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    run_id = uuid.uuid4().hex[:10]
    started_at = dt.datetime.now(dt.UTC)
    existing = dataset.current_meta()
    cases = args.cases or (existing["cases"] if existing and existing.get("units") == 200 else 1_000_000)
    dataset.ensure(cases, 200, 5000)
    common.setup_django()
    personas = load.make_personas(200, 1, seed=random.randrange(1 << 30))
    rng = random.Random(run_id)
    submissions = []
    for i in range(args.submissions):
        resident = personas.residents[i % len(personas.residents)]
        marker = f"chaos-{run_id}-{i:05d}"
        request = load.submit_request(personas, resident, rng, key=f"{marker}-{uuid.uuid4().hex}")
        request.body["answers"]["question"] = f"{marker} {request.body['answers']['question']}"
        submissions.append(Submission(i, resident, request, marker))

    port = load.free_port()
    server = load.Gunicorn(port, workers=args.workers)
    server.start()
    log(f"gunicorn pid {server.pid} on port {port}; run {run_id}; {args.submissions} submissions")

    work: queue.Queue[Submission] = queue.Queue()
    for s in submissions:
        work.put(s)
    acknowledged = 0
    ack_lock = threading.Lock()
    events: list[dict] = []

    def client_thread() -> None:
        nonlocal acknowledged
        client = load.Client(port, timeout=20)
        while True:
            try:
                sub = work.get_nowait()
            except queue.Empty:
                return
            deadline = time.monotonic() + args.retry_deadline
            while True:
                sub.attempts += 1
                sub.last_attempt_at = dt.datetime.now(dt.UTC)
                try:
                    status, body = client.send(sub.request)
                except Exception:  # noqa: BLE001 - any transport failure is retried with the same key
                    client.close()
                    status, body = 0, b""
                if 200 <= status < 300:
                    data = json.loads(body)
                    sub.final_status, sub.acknowledged_id = status, data["id"]
                    sub.first_2xx_attempt = sub.attempts
                    with ack_lock:
                        acknowledged += 1
                    break
                if status in (0, 409, 500, 502, 503, 504):
                    # 0: connection refused/reset; 5xx: database down; 409: the first request is still in flight.
                    sub.transient_errors += 1
                    if time.monotonic() > deadline:
                        sub.final_status = status
                        break
                    time.sleep(0.2 + random.random() * 0.3)
                    continue
                sub.final_status = status  # a 4xx answer: the submission was refused, not lost
                break
        client.close()

    threads = [threading.Thread(target=client_thread, daemon=True) for _ in range(args.concurrency)]
    burst_started = time.monotonic()
    for t in threads:
        t.start()

    def wait_for_acks(n: int) -> None:
        while acknowledged < n and any(t.is_alive() for t in threads):
            time.sleep(0.01)

    # --- crash 1: everything -------------------------------------------------------------------
    wait_for_acks(args.submissions // 3)
    t0 = time.monotonic()
    killed = server.kill9()
    event = {"at_acknowledged": acknowledged, "gunicorn_killed": killed}
    log(f"kill -9 gunicorn {killed} at {acknowledged} acknowledged")
    if not args.no_postgres_crash:
        event["postgres_stop_seconds"] = round(pg_ctl("stop", "-m", "immediate"), 2)
        log("PostgreSQL stopped (immediate)")
        event["postgres_start_seconds"] = round(pg_ctl("start"), 2)
        event["postgres_ready_seconds"] = round(wait_for_postgres(), 2)
        log("PostgreSQL started")
    server = load.Gunicorn(port, workers=args.workers)
    server.start()
    event["outage_seconds"] = round(time.monotonic() - t0, 2)
    log(f"gunicorn restarted (pid {server.pid}); outage {event['outage_seconds']} s")
    events.append(event)

    # --- crash 2: the app alone ----------------------------------------------------------------
    wait_for_acks(2 * args.submissions // 3)
    t0 = time.monotonic()
    killed = server.kill9()
    log(f"kill -9 gunicorn {killed} at {acknowledged} acknowledged")
    server = load.Gunicorn(port, workers=args.workers)
    server.start()
    events.append(
        {"at_acknowledged": acknowledged, "gunicorn_killed": killed, "outage_seconds": round(time.monotonic() - t0, 2)}
    )
    log(f"gunicorn restarted (pid {server.pid})")

    for t in threads:
        t.join()
    burst_seconds = time.monotonic() - burst_started
    server.stop()
    log(f"burst done in {burst_seconds:.1f} s; checking the database")

    results = verify(submissions, personas, started_at)
    results.update(
        {
            "run_id": run_id,
            "started_at": started_at.isoformat(timespec="seconds"),
            "submissions": args.submissions,
            "concurrency": args.concurrency,
            "burst_seconds": round(burst_seconds, 1),
            "crashes": events,
            "attempts_total": sum(s.attempts for s in submissions),
            "retried_submissions": sum(1 for s in submissions if s.attempts > 1),
        }
    )
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = common.RESULTS / f"chaos-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    (common.RESULTS / "chaos-latest.json").write_text(out.read_text())
    block = render_markdown(results)
    print()
    print(block)
    print()
    print(f"results: {out.relative_to(common.ROOT)}")
    if not args.no_docs:
        from bench.run import update_docs

        update_docs(block, "chaos")
        print("docs/benchmarks.md updated")
    print("CHAOS: PASS" if results["passed"] else "CHAOS: FAIL")
    return 0 if results["passed"] else 1


def verify(submissions: list[Submission], personas: load.Personas, since: dt.datetime) -> dict:
    from django.db import connection

    from vardnav.cases.models import Case
    from vardnav.core.models import IdempotencyRecord

    connection.close()  # opened before PostgreSQL was crashed: gone
    resident_ids = {s.resident.person_id for s in submissions}
    found: dict[str, list[int]] = {}
    created_at: dict[int, dt.datetime] = {}
    run_prefix = submissions[0].marker.rsplit("-", 1)[0]
    cases = Case.objects.filter(subject_id__in=resident_ids, submitted_at__gte=since - dt.timedelta(minutes=1))
    for case_id, answers, submitted_at in cases.values_list("id", "answers", "submitted_at"):
        question = str((answers or {}).get("question", ""))
        if question.startswith(run_prefix):
            found.setdefault(question.split(" ", 1)[0], []).append(case_id)
            created_at[case_id] = submitted_at
    # Committed by an earlier attempt whose answer never arrived, then acknowledged from the idempotency record.
    replayed = [
        s.marker
        for s in submissions
        if s.attempts > 1
        and s.acknowledged_id in created_at
        and s.last_attempt_at is not None
        and created_at[s.acknowledged_id] < s.last_attempt_at
    ]
    records: dict[str, int] = {}
    for key in IdempotencyRecord.objects.filter(key__startswith=run_prefix).values_list("key", flat=True):
        marker = key.rsplit("-", 1)[0]
        records[marker] = records.get(marker, 0) + 1

    lost, duplicated, wrong_id, unacknowledged, multiple_records = [], [], [], [], []
    for s in submissions:
        ids = found.get(s.marker, [])
        if len(ids) > 1:
            duplicated.append({"marker": s.marker, "case_ids": ids})
        if s.acknowledged_id is not None:
            if not ids:
                lost.append({"marker": s.marker, "acknowledged_id": s.acknowledged_id})
            elif ids[0] != s.acknowledged_id and len(ids) == 1:
                wrong_id.append({"marker": s.marker, "acknowledged_id": s.acknowledged_id, "found": ids})
        else:
            unacknowledged.append({"marker": s.marker, "final_status": s.final_status, "exists": len(ids)})
        if records.get(s.marker, 0) > 1:
            multiple_records.append(s.marker)
    acknowledged = sum(1 for s in submissions if s.acknowledged_id is not None)
    passed = not (lost or duplicated or wrong_id or multiple_records) and acknowledged > 0
    return {
        "passed": passed,
        "acknowledged": acknowledged,
        "unacknowledged": unacknowledged[:20],
        "unacknowledged_count": len(unacknowledged),
        "cases_found": sum(len(v) for v in found.values()),
        "acknowledged_by_replay": len(replayed),
        "idempotency_records": sum(records.values()),
        "lost": lost,
        "duplicated": duplicated,
        "wrong_id": wrong_id,
        "keys_with_several_records": multiple_records,
    }


def render_markdown(r: dict) -> str:
    crash = r["crashes"][0]
    pg = (
        f"PostgreSQL stopped in immediate mode and restarted ({crash.get('postgres_stop_seconds', '–')} s stop, "
        f"{crash.get('postgres_start_seconds', '–')} s start)"
        if "postgres_stop_seconds" in crash
        else "PostgreSQL not crashed in this run"
    )
    lines = [
        f"Run {r['started_at']} (`{r['run_id']}`): **{'PASS' if r['passed'] else 'FAIL'}**.",
        "",
        f"- {r['submissions']:,} submissions by {r['concurrency']} client threads, each with its own Idempotency-Key, "
        f"retried with the same key on connection errors and 5xx; burst took {r['burst_seconds']} s, "
        f"{r['attempts_total']:,} attempts, {r['retried_submissions']} submissions needed a retry.",
        f"- Crash 1 at {crash['at_acknowledged']} acknowledged: kill -9 of gunicorn master and "
        f"{len(crash['gunicorn_killed']) - 1} workers, {pg}; service back after {crash['outage_seconds']} s.",
    ]
    for n, other in enumerate(r["crashes"][1:], start=2):
        lines.append(
            f"- Crash {n} at {other['at_acknowledged']} acknowledged: kill -9 of gunicorn only; back after "
            f"{other['outage_seconds']} s."
        )
    lines += [
        f"- Acknowledged (2xx): {r['acknowledged']:,}; never acknowledged: {r['unacknowledged_count']}; "
        f"cases found with the burst's markers: {r['cases_found']:,}; idempotency records: {r['idempotency_records']:,}; "
        f"acknowledged only on a retry although an earlier attempt had committed (answered from the idempotency "
        f"record): {r['acknowledged_by_replay']}.",
        f"- Lost acknowledged submissions: {len(r['lost'])}; submissions stored twice: {len(r['duplicated'])}; "
        f"acknowledged id differs from the stored case: {len(r['wrong_id'])}; keys with several records: "
        f"{len(r['keys_with_several_records'])}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
