"""`make chaos` (part two): crash and restart on a throwaway PostgreSQL of its own.

    python -m bench.chaos_restart                 # both scenarios
    python -m bench.chaos_restart --scenario worker --messages 400
    python -m bench.chaos_restart --scenario postgres --replies 300

Why a cluster of its own: stopping a PostgreSQL interrupts every database on it.
This script runs `initdb` into a temporary directory and `pg_ctl` on its own port
(CHAOS_PG_PORT, default 55432), and stops and starts only that one; the machine's
PostgreSQL is never touched.

1. **worker**: N e-mail notices are queued in the outbox; the task worker
   (`manage.py db_worker`) sends them to a local SMTP sink. After a third has
   been sent the worker is killed with SIGKILL, and again after two thirds;
   each time a new worker starts and `notify_overdue` (which requeues the lost
   deliveries, NOTIFICATIONS_STALE_AFTER_SECONDS shortened to 3 s) runs until
   every notice is sent. PASS when every notice reached the sink at least once
   (found by its Message-ID, the notice's idempotency key `event_key`) and is
   recorded as sent exactly once (one row, status sent). Duplicates — a worker
   killed between the SMTP send and the commit — are counted; they carry the
   same Message-ID, so a receiving system can recognise them.
2. **postgres**: gunicorn serves the app; client threads send N staff replies
   (POST /api/v1/staff/cases/{id}/replies), each with its own Idempotency-Key
   and marker, retrying every failure with the same key. Mid-burst the cluster
   is stopped in immediate mode (a crash as far as the WAL is concerned) and
   started again. PASS when every acknowledged reply exists exactly once, with
   the id the client was told.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

CHAOS_PG_PORT = os.environ.get("CHAOS_PG_PORT", "55432")
CHAOS_DB = "vardnav_chaos"
# bench.common reads these when imported: point it at the throwaway cluster, never the machine's.
os.environ["BENCH_PG_PORT"] = CHAOS_PG_PORT
os.environ["BENCH_PG_HOST"] = "127.0.0.1"
os.environ["BENCH_PG_USER"] = "postgres"
os.environ["BENCH_DB"] = CHAOS_DB

from bench import common, load  # noqa: E402 - after the environment above

STALE_SECONDS = 3


def log(message: str) -> None:
    print(f"[chaos-restart {dt.datetime.now(dt.UTC):%H:%M:%S.%f}"[:-3] + f"] {message}", flush=True)


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").iterdir())
    return str(versions[-1] / "bin" / name)


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, on its own port, owned by this run."""

    def __init__(self, port: str) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="vardnav-chaos-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    def _as_postgres_user(self, args: list[str]) -> list[str]:
        # initdb and postgres refuse to run as root; run them as the "postgres" system user then.
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def init(self) -> None:
        subprocess.run(
            self._as_postgres_user(
                [pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )

    def ctl(self, action: str, *extra: str) -> float:
        started = time.monotonic()
        args = [pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w"]
        if action == "start":
            args += ["-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=60"]
        subprocess.run(self._as_postgres_user([*args, action, *extra]), check=True, capture_output=True)
        return time.monotonic() - started

    def wait_ready(self, timeout: float = 60) -> float:
        import psycopg

        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                with psycopg.connect(common.conninfo("postgres"), connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return time.monotonic() - started
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("the throwaway PostgreSQL did not come back")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [common.PYTHON, str(common.ROOT / "manage.py"), *args],
        check=True,
        cwd=common.ROOT,
        env=env,
        capture_output=True,
    )


def prepare_database(pg: ThrowawayPostgres, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(common.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {CHAOS_DB}")
    started = time.monotonic()
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_demo", env=env)
    log(f"database migrated and demo loaded in {time.monotonic() - started:.0f} s")


# --- scenario 1: kill -9 of the task worker while notices are sent ------------------------------


def scenario_worker(pg: ThrowawayPostgres, env: dict[str, str], n: int, run_id: str) -> dict:
    from django.db import connection, transaction

    from vardnav.demo.mailsink import start_sink
    from vardnav.notifications.models import OutgoingMessage, OutgoingStatus
    from vardnav.notifications.outbox import queue_message

    mail_dir = pg.dir / "mail"
    smtp_port = load.free_port()
    sink = start_sink(mail_dir, host="127.0.0.1", port=smtp_port)
    worker_env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    prefix = f"chaos-{run_id}-notice-"
    with transaction.atomic():
        for i in range(n):
            queue_message(
                event_key=f"{prefix}{i:05d}",
                channel="email",
                recipient=f"mottagare{i}@example.se",
                subject="Nytt meddelande i Vårdnav",
                body="Du har fått ett nytt meddelande. Logga in för att läsa det.",
            )
    connection.close()
    log(f"{n} notices queued")

    def sent() -> int:
        count = OutgoingMessage.objects.filter(event_key__startswith=prefix, status=OutgoingStatus.SENT).count()
        connection.close()
        return count

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(
            [common.PYTHON, str(common.ROOT / "manage.py"), "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=common.ROOT,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    kills = []
    started = time.monotonic()
    worker = start_worker()
    for fraction in (1 / 3, 2 / 3):
        while sent() < n * fraction:
            time.sleep(0.02)
        at = sent()
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        kills.append({"at_sent": at, "worker_pid": worker.pid})
        log(f"kill -9 task worker {worker.pid} at {at} sent")
        worker = start_worker()
    deadline = time.monotonic() + 300
    requeue_runs = 0
    while sent() < n and time.monotonic() < deadline:
        time.sleep(STALE_SECONDS + 0.5)
        manage("notify_overdue", env=worker_env)  # requeues deliveries whose task died with the worker
        requeue_runs += 1
    seconds = time.monotonic() - started
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    sink.stop()

    rows = list(
        OutgoingMessage.objects.filter(event_key__startswith=prefix).values_list("event_key", "status", "attempts")
    )
    connection.close()
    received: dict[str, int] = {}
    for eml in mail_dir.glob("*.eml"):
        for line in eml.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:") and prefix in line:
                key = line.split("<", 1)[-1].split("@", 1)[0].split(">", 1)[0]
                received[key] = received.get(key, 0) + 1
                break
    keys = [f"{prefix}{i:05d}" for i in range(n)]
    status = {key: (st, attempts) for key, st, attempts in rows}
    never_delivered = [k for k in keys if received.get(k, 0) == 0]
    not_recorded_sent = [k for k in keys if status.get(k, ("missing", 0))[0] != OutgoingStatus.SENT]
    rows_per_key: dict[str, int] = {}
    for key, _st, _a in rows:
        rows_per_key[key] = rows_per_key.get(key, 0) + 1
    several_rows = [k for k, c in rows_per_key.items() if c > 1]
    duplicates = {k: c for k, c in received.items() if c > 1}
    passed = not never_delivered and not not_recorded_sent and not several_rows
    return {
        "scenario": "worker",
        "passed": passed,
        "notices": n,
        "seconds": round(seconds, 1),
        "kills": kills,
        "requeue_runs": requeue_runs,
        "delivered_at_least_once": n - len(never_delivered),
        "never_delivered": never_delivered[:20],
        "recorded_sent_once": n - len(not_recorded_sent) - len(several_rows),
        "not_recorded_sent": not_recorded_sent[:20],
        "rows_per_notice_above_one": several_rows[:20],
        "duplicate_deliveries": len(duplicates),
        "duplicate_examples": dict(list(duplicates.items())[:5]),
    }


# --- scenario 2: PostgreSQL stopped and started during a burst of staff replies ------------------


def scenario_postgres(pg: ThrowawayPostgres, env: dict[str, str], n: int, run_id: str, threads: int) -> dict:
    from django.db import connection

    from tests.sessions import staff_identity
    from vardnav.cases.actions import do_submit_case
    from vardnav.cases.models import Case, CaseStatus, Message
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.demo import data
    from vardnav.demo import identities as ids
    from vardnav.organizations.models import Staff
    from vardnav.people.access import get_person_by_personal_number

    handler = Staff.objects.get(hsa_id=data.HANDLER_X_HSA)
    grant = handler.role_grants.filter(role="handler").order_by("pk").first()
    identity = staff_identity(handler, unit=grant.unit, role="handler")
    cookie, csrf = load._credentials(identity)
    # Cases of a demo resident at the handler's unit, sent through the real action, then given to the handler.
    resident = get_person_by_personal_number(ids.RESIDENT_A)
    service = Service.objects.filter(
        kind=ServiceKind.CONTACT_UNIT, provider_id=grant.unit.provider_id, is_active=True
    ).first()
    resident_actor = Actor(kind=ActorKind.RESIDENT, person_id=resident.pk)
    candidates = [
        do_submit_case(
            resident_actor,
            service=service,
            unit=grant.unit,
            answers={"subject": "Fråga inför krocktest", "question": f"Ärende {i} för omstartsprovet."},
            channel="api",
        )
        for i in range(10)
    ]
    Case.objects.filter(pk__in=[c.pk for c in candidates]).update(assigned_to=handler, status=CaseStatus.ASSIGNED)
    connection.close()
    requests = []
    for i in range(n):
        marker = f"chaos-{run_id}-reply-{i:05d}"
        requests.append(
            {
                "marker": marker,
                "request": load.Request(
                    op="reply",
                    method="POST",
                    path="",  # set below, once the usable cases are known
                    body={"answers": {"reply": f"{marker} Svar från mottagningen."}, "close": False},
                    cookie=cookie,
                    csrf=csrf,
                    idempotency_key=f"{marker}-{uuid.uuid4().hex[:8]}",
                ),
                "attempts": 0,
                "acknowledged_id": None,
                "final_status": None,
            }
        )

    port = load.free_port()
    server = load.Gunicorn(port, workers=3, dbname=CHAOS_DB)
    server.start()
    # Keep the cases whose reply form takes a plain "reply" answer (one trial reply each, not counted).
    trial = load.Client(port, timeout=20)
    usable, trial_statuses = [], []
    for case in candidates:
        status, body = trial.send(
            load.Request(
                "reply",
                "POST",
                f"/api/v1/staff/cases/{case.pk}/replies",
                {"answers": {"reply": "Provsvar."}, "close": False},
                cookie,
                csrf,
            )
        )
        if status == 201:
            usable.append(case)
        else:
            trial_statuses.append((case.pk, status, body[:200]))
    trial.close()
    if not usable:
        server.stop()
        raise RuntimeError(f"no open case at the handler's unit takes a plain reply: {trial_statuses[:5]}")
    for i, item in enumerate(requests):
        item["request"].path = f"/api/v1/staff/cases/{usable[i % len(usable)].pk}/replies"
    work = list(reversed(requests))
    lock = threading.Lock()
    acknowledged = 0

    def client_thread() -> None:
        nonlocal acknowledged
        client = load.Client(port, timeout=20)
        while True:
            with lock:
                if not work:
                    break
                item = work.pop()
            deadline = time.monotonic() + 120
            while True:
                item["attempts"] += 1
                try:
                    status, body = client.send(item["request"])
                except Exception:  # noqa: BLE001 - a transport failure is retried with the same key
                    client.close()
                    status, body = 0, b""
                if 200 <= status < 300:
                    item["acknowledged_id"], item["final_status"] = json.loads(body)["id"], status
                    with lock:
                        acknowledged += 1
                    break
                if status in (0, 409, 500, 502, 503, 504) and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                item["final_status"] = status
                break
        client.close()

    workers = [threading.Thread(target=client_thread, daemon=True) for _ in range(threads)]
    started = time.monotonic()
    for t in workers:
        t.start()
    while acknowledged < n // 3 and any(t.is_alive() for t in workers):
        time.sleep(0.01)
    at = acknowledged
    stop_s = pg.ctl("stop", "-m", "immediate")
    log(f"throwaway PostgreSQL stopped (immediate) at {at} acknowledged")
    time.sleep(2)  # a real outage: the clients meet a database that is gone
    start_s = pg.ctl("start")
    ready_s = pg.wait_ready()
    log("throwaway PostgreSQL started")
    for t in workers:
        t.join()
    seconds = time.monotonic() - started
    server.stop()

    found: dict[str, list[int]] = {}
    prefix = f"chaos-{run_id}-reply-"
    for message_id, text in Message.objects.filter(kind="reply").values_list("id", "body"):
        text = str(text or "")
        if text.startswith(prefix):
            found.setdefault(text.split(" ", 1)[0], []).append(message_id)
    connection.close()
    lost, duplicated, wrong_id = [], [], []
    for item in requests:
        ids = found.get(item["marker"], [])
        if len(ids) > 1:
            duplicated.append({"marker": item["marker"], "ids": ids})
        if item["acknowledged_id"] is not None:
            if not ids:
                lost.append(item["marker"])
            elif item["acknowledged_id"] not in ids:
                wrong_id.append(item["marker"])
    acked = sum(1 for item in requests if item["acknowledged_id"] is not None)
    return {
        "scenario": "postgres",
        "passed": not (lost or duplicated or wrong_id) and acked > 0,
        "replies": n,
        "threads": threads,
        "seconds": round(seconds, 1),
        "stopped_at_acknowledged": at,
        "postgres_stop_seconds": round(stop_s, 2),
        "postgres_start_seconds": round(start_s, 2),
        "postgres_ready_seconds": round(ready_s, 2),
        "acknowledged": acked,
        "never_acknowledged": n - acked,
        "retried": sum(1 for item in requests if item["attempts"] > 1),
        "attempts_total": sum(item["attempts"] for item in requests),
        "lost": lost[:20],
        "duplicated": duplicated[:20],
        "wrong_id": wrong_id[:20],
    }


def render_markdown(results: list[dict], started_at: str) -> str:
    lines = [f"Run {started_at} on a throwaway PostgreSQL cluster (initdb, port {CHAOS_PG_PORT}):", ""]
    for r in results:
        verdict = "PASS" if r["passed"] else "FAIL"
        if r["scenario"] == "worker":
            kills = ", ".join(str(k["at_sent"]) for k in r["kills"])
            lines.append(
                f"- **Task worker kill -9 — {verdict}.** {r['notices']} e-mail notices; the worker killed with SIGKILL "
                f"at {kills} sent and restarted; lost deliveries requeued by "
                f"`notify_overdue` ({r['requeue_runs']}×); all done in {r['seconds']} s. Delivered at least once: "
                f"{r['delivered_at_least_once']}/{r['notices']}; recorded as sent exactly once: "
                f"{r['recorded_sent_once']}/{r['notices']}; delivered twice (same Message-ID, recognisable): "
                f"{r['duplicate_deliveries']}."
            )
        else:
            lines.append(
                f"- **PostgreSQL stop/start during staff replies — {verdict}.** {r['replies']} replies by "
                f"{r['threads']} threads, each with its own Idempotency-Key; PostgreSQL stopped in immediate mode "
                f"at {r['stopped_at_acknowledged']} acknowledged, down 2 s, started in {r['postgres_start_seconds']} s; "
                f"burst {r['seconds']} s, {r['attempts_total']} attempts, {r['retried']} replies retried. "
                f"Acknowledged: {r['acknowledged']}; lost: {len(r['lost'])}; stored twice: {len(r['duplicated'])}; "
                f"acknowledged id differs: {len(r['wrong_id'])}."
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Vårdnav crash-and-restart test on a throwaway PostgreSQL")
    parser.add_argument("--scenario", choices=["worker", "postgres", "all"], default="all")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--replies", type=int, default=300)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    run_id = uuid.uuid4().hex[:8]
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    pg = ThrowawayPostgres(CHAOS_PG_PORT)
    results: list[dict] = []
    try:
        pg.init()
        pg.ctl("start")
        pg.wait_ready()
        log(f"throwaway PostgreSQL in {pg.dir} on port {CHAOS_PG_PORT}")
        env = common.app_env(
            CHAOS_DB,
            NOTIFICATIONS_STALE_AFTER_SECONDS=str(STALE_SECONDS),
            AUDIT_ANCHOR_FILE=str(pg.dir / "anchors.jsonl"),
            DEMO_MAIL_DIR=str(pg.dir / "demo-mail"),
            SMS_OUTBOX_FILE=str(pg.dir / "sms.jsonl"),
            ATTACHMENTS_DIR=str(pg.dir / "attachments"),
        )
        prepare_database(pg, env)
        os.environ.update(env)
        common.setup_django(CHAOS_DB)
        if args.scenario in ("worker", "all"):
            results.append(scenario_worker(pg, env, args.messages, run_id))
            log(json.dumps(results[-1]))
        if args.scenario in ("postgres", "all"):
            results.append(scenario_postgres(pg, env, args.replies, run_id, args.threads))
    finally:
        pg.destroy()
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = common.RESULTS / f"chaos-restart-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    block = render_markdown(results, started_at)
    print()
    print(block)
    if not args.no_docs:
        from bench.run import update_docs

        update_docs(block, "chaos-restart")
        print("docs/benchmarks.md updated")
    passed = all(r["passed"] for r in results) and bool(results)
    print("CHAOS-RESTART: PASS" if passed else "CHAOS-RESTART: FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
