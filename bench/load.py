"""Personas, the HTTP load driver, the gunicorn server and CPU accounting: shared by bench.run and bench.chaos.

Why our own driver and not locust: a few threads with http.client are enough to
saturate two cores of gunicorn, cost the client little CPU (it runs on the same
machine), and need no extra dependency.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench import common

TICKS = os.sysconf("SC_CLK_TCK")


# --- personas ----------------------------------------------------------------------


@dataclass
class Resident:
    person_id: int
    unit_id: int
    open_case_ids: list[int]
    cookie: str = ""
    csrf: str = ""


@dataclass
class Receiver:
    staff_id: int
    unit_id: int
    case_ids: list[int]
    cookie: str = ""
    csrf: str = ""


@dataclass
class Personas:
    residents: list[Resident]
    receivers: list[Receiver]
    service_id: int  # "Kontakta mottagningen" of the bench units' provider: not listing-bound, any unit

    @property
    def residents_with_open_cases(self) -> list[Resident]:
        if not hasattr(self, "_with_open"):
            self._with_open = [r for r in self.residents if r.open_case_ids]
        return self._with_open


def _credentials(identity: dict) -> tuple[str, str]:
    from django.conf import settings

    from tests.sessions import browser_credentials

    cookies, headers = browser_credentials(identity)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    assert settings.CSRF_COOKIE_NAME in cookies
    return cookie, headers["X-CSRFToken"]


def make_personas(n_residents: int, n_receivers: int, seed: int | None = None) -> Personas:
    """Log in residents listed at bench units and receivers of those units (sessions written directly)."""
    from tests.sessions import resident_identity, staff_identity
    from vardnav.cases.models import Case
    from vardnav.catalog.models import Service
    from vardnav.organizations.models import Listing, RoleGrant, Staff
    from vardnav.people.models import Person

    rng = random.Random(seed)
    listings = list(
        Listing.objects.filter(unit__slug__startswith="bench-", ended_at__isnull=True).values_list(
            "person_id", "unit_id"
        )
    )
    rng.shuffle(listings)
    listings = listings[:n_residents]
    open_by_person: dict[int, list[int]] = {}
    for case_id, subject_id in (
        Case.objects.filter(subject_id__in=[p for p, _ in listings])
        .exclude(status="closed")
        .values_list("id", "subject_id")
    ):
        open_by_person.setdefault(subject_id, []).append(case_id)
    people = {p.pk: p for p in Person.objects.filter(pk__in=[p for p, _ in listings])}
    residents = []
    for person_id, unit_id in listings:
        resident = Resident(person_id, unit_id, open_by_person.get(person_id, [])[:20])
        resident.cookie, resident.csrf = _credentials(resident_identity(people[person_id]))
        residents.append(resident)

    units = []
    for _, unit_id in listings:
        if unit_id not in units:
            units.append(unit_id)
    units = units[:n_receivers]
    grants = RoleGrant.objects.filter(unit_id__in=units, role="receiver").select_related("unit")
    receivers = []
    for grant in grants:
        staff = Staff.objects.get(pk=grant.staff_id)
        ids = list(
            Case.objects.filter(unit_id=grant.unit_id)
            .exclude(status="closed")
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:50]
        )
        receiver = Receiver(staff.pk, grant.unit_id, ids)
        receiver.cookie, receiver.csrf = _credentials(staff_identity(staff, unit=grant.unit, role="receiver"))
        receivers.append(receiver)
    service = Service.objects.get(provider__slug="region-norrsund", kind="contact_unit")
    return Personas(residents, receivers, service.pk)


# --- HTTP ------------------------------------------------------------------------------


@dataclass
class Request:
    op: str
    method: str
    path: str
    body: dict | None
    cookie: str
    csrf: str
    idempotency_key: str | None = None


def submit_request(personas: Personas, resident: Resident, rng: random.Random, key: str | None = None) -> Request:
    words = " ".join(
        rng.choice(["ont", "huvudet", "recept", "tid", "fråga", "svar", "provsvar", "vecka"]) for _ in range(12)
    )
    return Request(
        "submit_case",
        "POST",
        "/api/v1/cases",
        {
            "service_id": personas.service_id,
            "unit_id": resident.unit_id,
            "answers": {"subject": "Fråga om behandling", "question": f"{words} {uuid.uuid4().hex[:8]}"},
        },
        resident.cookie,
        resident.csrf,
        key or uuid.uuid4().hex,
    )


def next_request(op: str, personas: Personas, rng: random.Random) -> Request:
    if op == "submit_case":
        return submit_request(personas, rng.choice(personas.residents), rng)
    if op == "send_message":
        with_open = personas.residents_with_open_cases
        resident = rng.choice(with_open)
        case_id = rng.choice(resident.open_case_ids)
        return Request(
            op,
            "POST",
            f"/api/v1/cases/{case_id}/messages",
            {"body": "Tack, jag har en följdfråga om doseringen."},
            resident.cookie,
            resident.csrf,
            uuid.uuid4().hex,
        )
    if op == "inbox":
        receiver = rng.choice(personas.receivers)
        return Request(op, "GET", "/api/v1/staff/inbox", None, receiver.cookie, receiver.csrf)
    if op == "open_case":
        receiver = rng.choice([r for r in personas.receivers if r.case_ids])
        return Request(
            op, "GET", f"/api/v1/staff/cases/{rng.choice(receiver.case_ids)}", None, receiver.cookie, receiver.csrf
        )
    if op == "my_cases":
        resident = rng.choice(personas.residents)
        return Request(op, "GET", "/api/v1/cases", None, resident.cookie, resident.csrf)
    if op == "access_log":
        resident = rng.choice(personas.residents)
        return Request(op, "GET", "/api/v1/me/access-log", None, resident.cookie, resident.csrf)
    raise ValueError(op)


class Client:
    """One keep-alive connection (gunicorn's sync workers close it after each response; then we reconnect)."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def send(self, request: Request) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": request.cookie, "Accept": "application/json"}
        data = None
        if request.method != "GET":
            headers["X-CSRFToken"] = request.csrf
            headers["Content-Type"] = "application/json"
            data = json.dumps(request.body).encode()
        if request.idempotency_key:
            headers["Idempotency-Key"] = request.idempotency_key
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(request.method, request.path, body=data, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, body
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A kept-alive connection the server already closed: one fresh try, then it is an error.
                self.close()
                if attempt:
                    raise exc
        raise RuntimeError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Sample:
    op: str
    status: int  # 0: connection error
    seconds: float


@dataclass
class LoadResult:
    samples: list[Sample] = field(default_factory=list)
    wall_seconds: float = 0.0


def drive(
    port: int, personas: Personas, ops: dict[str, float], *, concurrency: int, seconds: float, seed: int = 1
) -> LoadResult:
    """`concurrency` closed-loop clients, each sending the next request as soon as the last one answered."""
    names = list(ops)
    weights = [ops[n] for n in names]
    deadline = time.monotonic() + seconds
    result = LoadResult()
    lock = threading.Lock()

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        client = Client(port)
        mine: list[Sample] = []
        while time.monotonic() < deadline:
            request = next_request(rng.choices(names, weights)[0], personas, rng)
            started = time.perf_counter()
            try:
                status, _ = client.send(request)
            except (OSError, http.client.HTTPException):
                status = 0
                client.close()
            mine.append(Sample(request.op, status, time.perf_counter() - started))
        client.close()
        with lock:
            result.samples.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall_seconds = time.monotonic() - started
    return result


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def summarize(result: LoadResult) -> dict:
    by_op: dict[str, list[Sample]] = {}
    for s in result.samples:
        by_op.setdefault(s.op, []).append(s)
    ops = {}
    for op, samples in sorted(by_op.items()):
        ok = sorted(s.seconds * 1000 for s in samples if 200 <= s.status < 300)
        errors: dict[str, int] = {}
        for s in samples:
            if not 200 <= s.status < 300:
                errors[str(s.status)] = errors.get(str(s.status), 0) + 1
        ops[op] = {
            "requests": len(samples),
            "ok": len(ok),
            "errors": errors,
            "req_per_s": round(len(samples) / result.wall_seconds, 1),
            "p50_ms": round(percentile(ok, 50), 2),
            "p95_ms": round(percentile(ok, 95), 2),
            "p99_ms": round(percentile(ok, 99), 2),
        }
    total = len(result.samples)
    failed = sum(1 for s in result.samples if not 200 <= s.status < 300)
    return {
        "wall_seconds": round(result.wall_seconds, 2),
        "requests": total,
        "errors": failed,
        "req_per_s": round(total / result.wall_seconds, 1) if result.wall_seconds else 0,
        "ops": ops,
    }


# --- gunicorn ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(
        self,
        port: int,
        *,
        workers: int,
        worker_class: str = "sync",
        threads: int = 1,
        dbname: str = common.BENCH_DB,
        log_path: Path | None = None,
    ) -> None:
        self.port, self.workers, self.worker_class, self.threads, self.dbname = (
            port,
            workers,
            worker_class,
            threads,
            dbname,
        )
        self.log_path = log_path or Path("/tmp") / f"vardnav-bench-gunicorn-{port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, wait: float = 30.0) -> None:
        gunicorn = str(Path(common.PYTHON).parent / "gunicorn")
        args = [
            gunicorn,
            "vardnav.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
        ]
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            args, cwd=common.ROOT, env=common.app_env(self.dbname), stdout=log, stderr=log, start_new_session=True
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {wait} s; see {self.log_path}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        return children_of(self.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def kill9(self) -> list[int]:
        """SIGKILL the master and every worker, one by one by pid."""
        pids = [*self.worker_pids(), self.pid]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(10)
        return pids


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(x) for x in handle.read().split()]
    except FileNotFoundError:
        return []


# --- CPU accounting -----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """user + system CPU of one process from /proc (None when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuMeter:
    """Server CPU in a window: gunicorn master+workers, the bench database's backends, PostgreSQL's WAL/bg processes.

    Sampled twice a second, so a backend that ends inside the window (Django
    closes connections after CONN_MAX_AGE) still counts up to its last sample,
    and one that starts inside it counts from zero.
    """

    AUX = ("walwriter", "checkpointer", "background writer")

    def __init__(self, gunicorn_pid: int | None, dbname: str = common.BENCH_DB, interval: float = 0.5) -> None:
        import psycopg

        self.gunicorn_pid = gunicorn_pid
        self.dbname = dbname
        self.interval = interval
        self.conn = psycopg.connect(common.conninfo(dbname), autocommit=True)
        self.own_pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._client_start = 0.0
        self._client_cpu = 0.0

    def _groups(self) -> dict[str, list[int]]:
        rows = self.conn.execute(
            "SELECT pid, datname, backend_type FROM pg_stat_activity WHERE pid <> %s", (self.own_pid,)
        ).fetchall()
        backends = [pid for pid, db, kind in rows if db == self.dbname and kind == "client backend"]
        aux = [pid for pid, _db, kind in rows if kind in self.AUX]
        app = []
        if self.gunicorn_pid:
            app = [self.gunicorn_pid, *children_of(self.gunicorn_pid)]
        return {"app": app, "db_backends": backends, "db_aux": aux}

    def _sample(self, initial: bool = False) -> None:
        for group, pids in self._groups().items():
            first = self.first.setdefault(group, {})
            last = self.last.setdefault(group, {})
            for pid in pids:
                value = cpu_seconds(pid)
                if value is None:
                    continue
                if pid not in first:
                    first[pid] = value if initial else 0.0
                last[pid] = value

    def start(self) -> None:
        self._client_start = sum(os.times()[:2])
        self._sample(initial=True)

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self._sample()

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._sample()
        out = {
            group: round(sum(self.last[group][pid] - self.first[group][pid] for pid in self.last[group]), 3)
            for group in self.last
        }
        out["client"] = round(sum(os.times()[:2]) - self._client_start, 3)
        self.conn.close()
        return out
