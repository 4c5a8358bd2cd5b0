"""`python -m bench.scaleout`: the bench's mixed workload through a reverse proxy to two gunicorn groups.

Issue 13's scale-out check, on loopback: nothing may depend on one web process.

    nginx (from the distribution, its own config and prefix in a temporary folder)
      ├── gunicorn group A (`--workers-per-group` sync workers)
      └── gunicorn group B
    task worker: `manage.py db_worker`, a process of its own
    sessions and rate limits: Redis (`--redis-url`), written through to PostgreSQL

Phases, on the bench database that `make bench` builds (`vardnav_bench`, reused, never rebuilt here):
1. the mixed workload for `--duration` seconds: requests per group (nginx's `$upstream_addr`), server CPU
   per request (both groups, nginx, the worker and PostgreSQL) and per core;
2. failover: the same load while group A is killed with SIGKILL (master and workers) and restarted
   `--outage` seconds later. nginx passes a request that failed on a dead group to the other one, POSTs
   included (`proxy_next_upstream … non_idempotent`): that is safe only because every write carries an
   `Idempotency-Key`, so a write that committed on A before it died is answered from its record on B,
   never stored twice. Every submission carries a marker; afterwards every acknowledged one is read
   back: exactly one case each, one idempotency record each;
3. the task worker, a process of its own, delivers SMS queued through the outbox during the mixed load
   (to the local gateway's file) while the web groups serve.

Results: bench/results/scaleout-<time>.json and the "scale-out" section of docs/benchmarks.md.
Needs nginx (`apt-get install nginx-light`); without it the command says so and stops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import common, dataset, load
from bench.run import DEFAULT_REDIS_URL, MIXED, update_docs

NGINX_CONFIG = """\
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    log_format upstream '$upstream_addr $status $request_method';
    access_log {prefix}/access.log upstream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 25m;
    upstream vardnav {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=3s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=3s;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://vardnav;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A write is retried on the other group only because it carries an Idempotency-Key.
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def log(message: str) -> None:
    print(f"[scaleout {dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


class Nginx:
    def __init__(self, port: int, port_a: int, port_b: int) -> None:
        self.port = port
        self.prefix = Path(tempfile.mkdtemp(prefix="vardnav-nginx-"))
        (self.prefix / "nginx.conf").write_text(
            NGINX_CONFIG.format(prefix=self.prefix, port=port, port_a=port_a, port_b=port_b)
        )
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen(
            [binary, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")], start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                load.Client(self.port, timeout=2).send(load.Request("health", "GET", "/api/v1/health", None, "", ""))
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; see {self.prefix / 'error.log'}")

    def pids(self) -> list[int]:
        return [self.proc.pid, *load.children_of(self.proc.pid)] if self.proc else []

    def upstream_counts(self) -> Counter[str]:
        """Requests per upstream address from the access log, read and emptied (a failover line lists both)."""
        path = self.prefix / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        path.write_text("")
        os.kill(self.proc.pid, signal.SIGUSR1)  # reopen the log
        return Counter(line.rsplit(" ", 2)[0] for line in lines if line)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            self.proc.wait(10)
        shutil.rmtree(self.prefix, ignore_errors=True)


class MultiMeter(load.CpuMeter):
    """CpuMeter over several process trees: both gunicorn groups, nginx and the task worker."""

    def __init__(self, roots: dict[str, callable]) -> None:
        super().__init__(None)
        self.roots = roots

    def _groups(self) -> dict[str, list[int]]:
        groups = super()._groups()
        for name, pids in self.roots.items():
            groups[name] = pids()
        return groups


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # marker -> case id
    lock: threading.Lock = field(default_factory=threading.Lock)


def drive(port: int, personas: load.Personas, seconds: float, concurrency: int, run_id: str, seed: int) -> Tally:
    """The mixed workload; each submission carries a marker (run, phase = seed, thread, count) to find it again."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    names, weights = list(MIXED), list(MIXED.values())

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        client = load.Client(port, timeout=30)
        counter = 0
        while time.monotonic() < deadline:
            request = load.next_request(rng.choices(names, weights)[0], personas, rng)
            marker = None
            if request.op == "submit_case":
                counter += 1
                marker = f"scale-{run_id}-{seed}-{index:02d}-{counter:06d}"
                request.idempotency_key = f"{marker}-{uuid.uuid4().hex}"
                request.body["answers"]["question"] = f"{marker} {request.body['answers']['question']}"
            started = time.perf_counter()
            try:
                status, body = client.send(request)
            except OSError:
                client.close()
                status, body = 0, b""
            elapsed = time.perf_counter() - started
            with tally.lock:
                tally.statuses[f"{request.op} {status}"] += 1
                tally.latencies.append(elapsed)
                if marker and 200 <= status < 300:
                    tally.acknowledged[marker] = json.loads(body)["id"]
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def errors_of(tally: Tally) -> dict[str, int]:
    return {k: v for k, v in tally.statuses.items() if not k.split(" ")[1].startswith("2")}


def verify(run_id: str, acknowledged: dict[str, int], since: dt.datetime) -> dict:
    """Every acknowledged submission is one case with the acknowledged id and has one idempotency record."""
    from django.db import connection

    from vardnav.cases.models import Case
    from vardnav.core.models import IdempotencyRecord

    connection.close()
    prefix = f"scale-{run_id}-"
    found: dict[str, list[int]] = {}
    cases = Case.objects.filter(submitted_at__gte=since - dt.timedelta(minutes=1))
    for case_id, answers in cases.values_list("id", "answers"):
        question = str((answers or {}).get("question", ""))
        if question.startswith(prefix):
            found.setdefault(question.split(" ", 1)[0], []).append(case_id)
    records = Counter(
        key.rsplit("-", 1)[0]
        for key in IdempotencyRecord.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )
    lost = [m for m, case_id in acknowledged.items() if case_id not in found.get(m, [])]
    doubled = [m for m, ids in found.items() if len(ids) > 1]
    several_records = [m for m, n in records.items() if n > 1]
    return {
        "acknowledged": len(acknowledged),
        "cases_found": sum(len(v) for v in found.values()),
        "lost": lost[:20],
        "stored_twice": doubled[:20],
        "keys_with_several_records": several_records[:20],
        "passed": bool(acknowledged) and not (lost or doubled or several_records),
    }


def queue_sms(run_id: str, n: int, seconds: float) -> None:
    """n SMS through the outbox as the app queues them (a row and its delivery task per message), spread over
    `seconds`, for the separate worker to deliver while the web groups serve. Test numbers only."""
    from django.db import connection, transaction

    from vardnav.notifications.outbox import queue_message

    for i in range(n):
        with transaction.atomic():
            queue_message(
                event_key=f"scale-{run_id}-sms-{i:05d}",
                channel="sms",
                recipient="+46701740605",
                subject="",
                body="Du har fått ett svar i Vårdnav. Logga in för att läsa det.",
            )
        time.sleep(seconds / n)
    connection.close()


def outbox_state(run_id: str) -> dict[str, int]:
    """The burst's messages by status, and the delivery tasks still ready to run."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from vardnav.notifications.models import OutgoingMessage

    connection.close()
    by_status = Counter(
        OutgoingMessage.objects.filter(event_key__startswith=f"scale-{run_id}-sms-").values_list("status", flat=True)
    )
    return {**by_status, "tasks_ready": DBTaskResult.objects.ready().count()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Vårdnav scale-out check: nginx in front of two gunicorn groups")
    parser.add_argument("--cases", type=int, default=1_000_000, help="data set size (reuses the bench database)")
    parser.add_argument("--workers-per-group", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30, help="seconds of mixed load through both groups")
    parser.add_argument("--failover-duration", type=float, default=30)
    parser.add_argument("--kill-after", type=float, default=8, help="seconds into the failover window")
    parser.add_argument("--outage", type=float, default=10, help="seconds group A stays down")
    parser.add_argument("--sms", type=int, default=200, help="SMS queued through the outbox during the mixed load")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        print(
            "nginx is not installed: apt-get install nginx-light (the scale-out check runs it from a folder of its own)"
        )
        return 2

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    os.environ["REDIS_URL"] = args.redis_url
    run_id = uuid.uuid4().hex[:8]
    started_at = dt.datetime.now(dt.UTC)
    load_at_start = Path("/proc/loadavg").read_text().split()[:3]
    meta = dataset.ensure(args.cases, 200, 5000)
    common.setup_django()
    personas = load.make_personas(1000, 50, seed=int(time.time()))
    log(f"{len(personas.residents)} residents, {len(personas.receivers)} receivers logged in (sessions in Redis)")

    group_a = load.Gunicorn(load.free_port(), workers=args.workers_per_group)
    group_b = load.Gunicorn(load.free_port(), workers=args.workers_per_group)
    worker_log = open("/tmp/vardnav-scaleout-worker.log", "ab")  # noqa: SIM115 - closed in finally
    sms_file = Path(tempfile.mkdtemp(prefix="vardnav-scaleout-sms-")) / "outbox.jsonl"
    task_worker = subprocess.Popen(
        [common.PYTHON, str(common.ROOT / "manage.py"), "db_worker"],
        cwd=common.ROOT,
        env=common.app_env(SMS_OUTBOX_FILE=str(sms_file)),
        stdout=worker_log,
        stderr=worker_log,
        start_new_session=True,
    )
    nginx = Nginx(load.free_port(), group_a.port, group_b.port)
    results: dict = {}
    try:
        group_a.start()
        group_b.start()
        nginx.start()
        log(
            f"nginx :{nginx.port} → group A :{group_a.port}, group B :{group_b.port}; task worker pid {task_worker.pid}"
        )
        addresses = {f"127.0.0.1:{group_a.port}": "A", f"127.0.0.1:{group_b.port}": "B"}

        def by_group(counts: Counter[str]) -> dict[str, int]:
            out: Counter[str] = Counter()
            for address, n in counts.items():
                for part in address.split(", "):  # a retried request names both upstreams
                    out[addresses.get(part.split(" : ")[0], part)] += n
            return dict(out)

        warmup = drive(nginx.port, personas, 5, args.concurrency, run_id, seed=9)
        nginx.upstream_counts()
        log(f"mixed workload through both groups, {args.duration:.0f} s")
        meter = MultiMeter(
            {
                "app": lambda: [
                    group_a.pid,
                    *load.children_of(group_a.pid),
                    group_b.pid,
                    *load.children_of(group_b.pid),
                ],
                "nginx": nginx.pids,
                "task_worker": lambda: [task_worker.pid],
            }
        )
        meter.start()
        t0 = time.monotonic()
        sms = threading.Thread(target=queue_sms, args=(run_id, args.sms, args.duration * 0.8), daemon=True)
        sms.start()
        mixed = drive(nginx.port, personas, args.duration, args.concurrency, run_id, seed=1)
        wall = time.monotonic() - t0
        cpu = meter.stop()
        sms.join()
        n = sum(mixed.statuses.values())
        server_cpu = cpu["app"] + cpu["nginx"] + cpu["task_worker"] + cpu["db_backends"] + cpu["db_aux"]
        latencies = sorted(x * 1000 for x in mixed.latencies)
        results["mixed"] = {
            "requests": n,
            "req_per_s": round(n / wall, 1),
            "errors": errors_of(mixed),
            "per_group": by_group(nginx.upstream_counts()),
            "p50_ms": round(load.percentile(latencies, 50), 2),
            "p99_ms": round(load.percentile(latencies, 99), 2),
            "cpu_seconds": cpu,
            "server_cpu_ms_per_request": round(server_cpu * 1000 / max(n, 1), 3),
            "web_cpu_ms_per_request": round(cpu["app"] * 1000 / max(n, 1), 3),
            "proxy_cpu_ms_per_request": round(cpu["nginx"] * 1000 / max(n, 1), 3),
            "db_cpu_ms_per_request": round((cpu["db_backends"] + cpu["db_aux"]) * 1000 / max(n, 1), 3),
        }
        log(
            f"  {results['mixed']['req_per_s']} req/s, per group {results['mixed']['per_group']}, errors {results['mixed']['errors']}"
        )

        log(
            f"failover: {args.failover_duration:.0f} s of load, group A killed at {args.kill_after:.0f} s for {args.outage:.0f} s"
        )
        events: dict = {}

        def crash() -> None:
            time.sleep(args.kill_after)
            events["killed"] = group_a.kill9()
            events["killed_at_s"] = args.kill_after
            log(f"  kill -9 group A {events['killed']}")
            time.sleep(args.outage)
            group_a.start()
            log(f"  group A back (pid {group_a.pid})")

        crasher = threading.Thread(target=crash, daemon=True)
        crasher.start()
        failover = drive(nginx.port, personas, args.failover_duration, args.concurrency, run_id, seed=2)
        crasher.join()
        counts = nginx.upstream_counts()
        results["failover"] = {
            "requests": sum(failover.statuses.values()),
            "errors": errors_of(failover),
            "per_group": by_group(counts),
            "retried_on_the_other_group": sum(n for address, n in counts.items() if "," in address),
            **events,
        }
        log(f"  {results['failover']['requests']} requests, errors {results['failover']['errors']}")

        acknowledged = {**warmup.acknowledged, **mixed.acknowledged, **failover.acknowledged}
        results["durability"] = verify(run_id, acknowledged, started_at)
        log(f"  durability: {results['durability']}")
        waited = 0.0
        state = outbox_state(run_id)
        while state.get("sent", 0) < args.sms and waited < 120:
            time.sleep(2)
            waited += 2
            state = outbox_state(run_id)
        delivered = sms_file.read_text().count("\n") if sms_file.exists() else 0
        results["task_worker"] = {"queued": args.sms, "after_s": waited, "outbox": state, "sms_lines": delivered}
        log(f"  outbox: {state} {waited:.0f} s after the load; {delivered} SMS in the gateway's file")
    finally:
        nginx.stop()
        group_a.stop()
        group_b.stop()
        task_worker.send_signal(signal.SIGTERM)
        try:
            task_worker.wait(15)
        except subprocess.TimeoutExpired:
            task_worker.kill()
        worker_log.close()

    results.update(
        {
            "started_at": started_at.isoformat(timespec="seconds"),
            "config": vars(args),
            "dataset": meta,
            "load_average_at_start": load_at_start,
            "load_average_at_end": Path("/proc/loadavg").read_text().split()[:3],
            "cpus": os.cpu_count(),
        }
    )
    results["passed"] = (
        results["durability"]["passed"]
        and not results["failover"]["errors"]
        and not results["mixed"]["errors"]
        and len(results["mixed"]["per_group"]) == 2
        and results["task_worker"]["outbox"].get("sent", 0) == args.sms
        and results["task_worker"]["sms_lines"] == args.sms
    )
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    out = common.RESULTS / f"scaleout-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    block = render_markdown(results)
    print()
    print(block)
    if not args.no_docs:
        update_docs(block, "scaleout")
    print("SCALE-OUT: PASS" if results["passed"] else "SCALE-OUT: FAIL")
    return 0 if results["passed"] else 1


def render_markdown(r: dict) -> str:
    m, f, d, w = r["mixed"], r["failover"], r["durability"], r["task_worker"]
    return "\n".join(
        [
            f"Run {r['started_at']} · {r['dataset'].get('cases', 0):,} cases · nginx in front of 2 gunicorn groups of "
            f"{r['config']['workers_per_group']} sync workers, a separate task worker, sessions and rate limits in Redis · "
            f"{r['config']['concurrency']} client threads · {r['cpus']} CPUs · load average {' / '.join(r['load_average_at_start'])} "
            f"at the start, {' / '.join(r['load_average_at_end'])} at the end.",
            "",
            f"- **Mixed workload** ({r['config']['duration']:.0f} s): {m['req_per_s']} req/s, p50 {m['p50_ms']} ms, "
            f"p99 {m['p99_ms']} ms, errors {m['errors'] or 0}; requests per group {m['per_group']}; server CPU "
            f"{m['server_cpu_ms_per_request']} ms per request (web {m['web_cpu_ms_per_request']}, nginx "
            f"{m['proxy_cpu_ms_per_request']}, PostgreSQL {m['db_cpu_ms_per_request']}, the task worker the rest).",
            f"- **Failover** ({r['config']['failover_duration']:.0f} s): group A killed with SIGKILL after "
            f"{r['config']['kill_after']:.0f} s and restarted {r['config']['outage']:.0f} s later; {f['requests']:,} requests, "
            f"errors {f['errors'] or 0}; requests per group {f['per_group']}; "
            f"{f['retried_on_the_other_group']} passed by nginx to the other group after A failed them.",
            f"- **Nothing lost or doubled**: {d['acknowledged']:,} acknowledged submissions, {d['cases_found']:,} cases with "
            f"their markers; lost {len(d['lost'])}, stored twice {len(d['stored_twice'])}, keys with several idempotency "
            f"records {len(d['keys_with_several_records'])}.",
            f"- **Task worker** (its own process): {w['queued']} SMS queued through the outbox during the mixed load "
            f"(a row and a delivery task each, as the app queues them); {w['outbox'].get('sent', 0)} sent and "
            f"{w['sms_lines']} in the local gateway's file {w['after_s']:.0f} s after the load stopped.",
            f"- Result: **{'pass' if r['passed'] else 'FAIL'}**.",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
