"""Build the benchmark data set in PostgreSQL with COPY: units, staff, residents, cases, messages, audit entries.

    python -m bench.dataset                 # 1 million cases (reused when already built)
    python -m bench.dataset --cases 10000000 --rebuild

Why COPY and not the actions: a million cases through do_submit_case takes
hours; here the rows are generated in Python and streamed with COPY, with the
secondary indexes dropped during the load and rebuilt afterwards. The rows are
what the actions would have written:
- residents come from Skatteverket's test personal numbers only
  (data/skatteverket-testpersonnummer.csv in this repository, or BENCH_PERSONNUMMER_CSV),
  with the personal number and names Fernet-encrypted and the blind index
  computed with vardnav.core.crypto under the configured keys;
- case answers and message bodies are real ciphertexts (a pool of them, reused:
  decrypting works, the bytes repeat), so reads pay the decryption they would;
- audit entries form valid hash chains that continue the demo's chain heads,
  so `manage.py audit_verify` passes on the bench database too.
Foreign keys are not checked during the load (session_replication_role=replica):
every reference is generated from ids that exist.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import random
import time
from pathlib import Path

from bench import common

DEFAULT_CSV = Path(__file__).resolve().parent.parent / "data" / "skatteverket-testpersonnummer.csv"
OPEN_FRACTION = 0.10
CHUNK_ROWS = 50_000
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GIVEN_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Anders", "Lena", "Nils"]
SURNAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Berg"]
OPEN_STATUSES = ["new", "assigned", "waiting_for_resident", "answered"]
OUTCOMES = ["answered", "prescribed", "declined", "booked", "referred"]
READ_PURPOSE = "ärendehantering"


def log(message: str) -> None:
    print(f"[dataset {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _ts(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def case_number(i: int) -> str:
    """A deterministic, unique case number in the app's format (XXXX-XXXX, Crockford base32)."""
    chars = []
    n = i * 2654435761 % (32**8)  # spread over the space so numbers don't look sequential
    for _ in range(8):
        n, r = divmod(n, 32)
        chars.append(NUMBER_ALPHABET[r])
    raw = "".join(chars)
    return f"{raw[:4]}-{raw[4:]}"


def _json_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def _json_num(value: int | None) -> str:
    return "null" if value is None else str(value)


@functools.lru_cache(maxsize=64)
def _json_const(value: str) -> str:
    return _json_str(value)


def canonical_audit_json(
    moment: str,
    kind: str,
    person: int | None,
    staff: int | None,
    role: str,
    unit: int,
    provider_id: int | None,
    action: str,
    case_id: int,
    subject: int,
    purpose: str,
    shard: int,
    seq: int,
) -> str:
    """audit.actions.chain_hash's canonical JSON (sorted keys, no spaces, ASCII) of a bench entry, by template.

    Why not json.dumps per row: at 10 M cases it is most of the generation time. The
    strings repeated across rows (kind, role, action, purpose) are escaped once; the
    timestamp and the numbers need no escaping. build() checks the result against
    chain_hash for the first thousand entries and one in 997 after that.
    """
    return (
        f'{{"acting_for_person_id":null,"action":{_json_const(action)},"actor_kind":{_json_const(kind)},'
        f'"actor_person_id":{_json_num(person)},"actor_staff_id":{_json_num(staff)},'
        f'"object_id":"{case_id}","object_type":"cases.case","occurred_at":"{moment}",'
        f'"provider_id":{_json_num(provider_id)},"purpose":{_json_const(purpose)},"request_id":"",'
        f'"role":{_json_const(role)},"seq":{seq},"shard":{shard},"subject_person_id":{subject},"unit_id":{unit}}}'
    )


def read_personal_numbers(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        rows = [row[0].strip() for row in csv.reader(handle) if row and row[0].strip().isdigit()]
    return rows


class Copier:
    """Stream rows into one table with COPY, CHUNK_ROWS at a time."""

    def __init__(self, cursor, table: str, columns: list[str]) -> None:
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer: list[str] = []
        self.rows = 0

    def add(self, line: str) -> None:
        self.buffer.append(line)
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        data = ("\n".join(self.buffer) + "\n").encode()
        with self.cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            copy.write(data)
        self.rows += len(self.buffer)
        self.buffer = []


def _secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, definition) of indexes that back no constraint: safe to drop and rebuild."""
    return cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = %s AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        (table,),
    ).fetchall()


def _generate_part(part: dict) -> dict:
    """Generate and COPY one process's share of the cases: cases k_start..k_end, with their messages and flags,
    and audit entries only on this process's own shards (shard % jobs == job), continuing their chain heads.

    Why by shard: a hash chain is a sequence, so one process must write all of a chain; processes that own
    disjoint shards never need each other's heads. Ids come from disjoint ranges (gaps are harmless).
    """
    import psycopg

    from vardnav.audit.actions import chain_hash

    rng = random.Random(part["seed"])
    started, cpu_started = time.monotonic(), time.process_time()
    heads: dict[int, list] = {shard: list(head) for shard, head in part["heads"].items()}
    own_shards = sorted(heads)
    n_own = len(own_shards)
    now: dt.datetime = part["now"]
    person_ids: list[int] = part["person_ids"]
    person_unit: dict[int, int] = part["person_unit"]
    handlers: dict[int, int] = part["handlers"]
    services: list[tuple[int, str, int]] = part["services"]
    provider_id: int = part["provider_id"]
    answer_pool, reply_pool, fingerprint_pool = part["answer_pool"], part["reply_pool"], part["fingerprint_pool"]
    first_case = part["first_case"]
    next_message = part["first_message"]
    next_audit = part["first_audit"]
    null = "\\N"
    audit_checked = 0
    with psycopg.connect(common.conninfo()) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers during the load
        cur.execute("SET synchronous_commit = off")
        case_copy = Copier(
            cur,
            "cases_case",
            [
                "id",
                "number",
                "channel",
                "answers",
                "status",
                "routed_role",
                "submitted_at",
                "due_at",
                "last_activity_at",
                "closed_at",
                "outcome",
                "content_fingerprint",
                "resident_unread",
                "staff_unread",
                "assigned_to_id",
                "provider_id",
                "questionnaire_id",
                "service_id",
                "subject_id",
                "submitted_by_id",
                "unit_id",
            ],
        )
        message_copy = Copier(
            cur,
            "cases_message",
            ["id", "kind", "body", "created_at", "author_person_id", "author_staff_id", "case_id"],
        )
        flag_copy = Copier(cur, "cases_caseflag", ["case_id", "code"])
        audit_copy = Copier(
            cur,
            "audit_auditentry",
            [
                "id",
                "occurred_at",
                "actor_kind",
                "actor_person_id",
                "actor_staff_id",
                "role",
                "unit_id",
                "provider_id",
                "action",
                "object_type",
                "object_id",
                "subject_person_id",
                "purpose",
                "request_id",
                "shard",
                "seq",
                "prev_hash",
                "hash",
            ],
        )

        def audit(
            moment: str,
            kind: str,
            person: int | None,
            staff: int | None,
            role: str,
            unit: int,
            entry_provider: int | None,
            action: str,
            case_id: int,
            subject: int,
            purpose: str,
        ) -> None:
            nonlocal next_audit, audit_checked
            shard = own_shards[rng.randrange(n_own)]
            head = heads[shard]
            seq = head[0] + 1
            canonical = canonical_audit_json(
                moment, kind, person, staff, role, unit, entry_provider, action, case_id, subject, purpose, shard, seq
            )
            digest = hashlib.sha256((head[1] + canonical).encode("ascii")).hexdigest()
            if audit_checked < 1000 or next_audit % 997 == 0:
                # The template must be exactly the app's canonical JSON (audit_verify recomputes it).
                payload = {
                    "occurred_at": moment,
                    "actor_kind": kind,
                    "actor_person_id": person,
                    "acting_for_person_id": None,
                    "actor_staff_id": staff,
                    "role": role,
                    "unit_id": unit,
                    "provider_id": entry_provider,
                    "action": action,
                    "object_type": "cases.case",
                    "object_id": str(case_id),
                    "subject_person_id": subject,
                    "purpose": purpose,
                    "request_id": "",
                    "shard": shard,
                    "seq": seq,
                }
                assert chain_hash(head[1], payload) == digest, (canonical, payload)
                audit_checked += 1
            audit_copy.add(
                f"{next_audit}\t{moment}\t{kind}\t{person if person is not None else null}\t"
                f"{staff if staff is not None else null}\t{role}\t{unit}\t"
                f"{entry_provider if entry_provider is not None else null}\t{action}\tcases.case\t{case_id}\t"
                f"{subject}\t{purpose}\t\t{shard}\t{seq}\t{head[1]}\t{digest}"
            )
            head[0], head[1] = seq, digest
            next_audit += 1

        three_years = 3 * 365 * 86400
        month = 30 * 86400
        n_services = len(services)
        n_persons = len(person_ids)
        k_start, k_end = part["k_start"], part["k_end"]
        report_every = max((k_end - k_start) // 5, 1)
        for k in range(k_start, k_end):
            case_id = first_case + k
            subject = person_ids[rng.randrange(n_persons)]
            unit = person_unit[subject]
            service_id, routed_role, questionnaire_id = services[k % n_services]
            is_open = rng.random() < OPEN_FRACTION
            age = rng.uniform(0, month) if is_open else rng.uniform(month, three_years)
            submitted = now - dt.timedelta(seconds=age)
            due = submitted + dt.timedelta(days=3)
            activity = min(submitted + dt.timedelta(seconds=rng.uniform(0, 2 * 86400)), now)
            status = OPEN_STATUSES[rng.randrange(4)] if is_open else "closed"
            assigned = handlers[unit] if status != "new" else None
            closed_at = _ts(activity) if status == "closed" else null
            outcome = OUTCOMES[rng.randrange(len(OUTCOMES))] if status == "closed" else ""
            s_submitted, s_activity = _ts(submitted), _ts(activity)
            case_copy.add(
                f"{case_id}\t{case_number(case_id)}\tweb\t{answer_pool[k & 255]}\t{status}\t{routed_role}\t"
                f"{s_submitted}\t{_ts(due)}\t{s_activity}\t{closed_at}\t{outcome}\t{fingerprint_pool[k & 255]}\t"
                f"{'t' if status == 'answered' else 'f'}\t{'t' if status == 'new' else 'f'}\t"
                f"{assigned if assigned is not None else null}\t{provider_id}\t"
                f"{questionnaire_id}\t{service_id}\t{subject}\t{subject}\t{unit}"
            )
            message_copy.add(f"{next_message}\tsubmission\t\t{s_submitted}\t{subject}\t{null}\t{case_id}")
            next_message += 1
            audit(s_submitted, "resident", subject, None, "", unit, None, "case.submit", case_id, subject, "")
            if status in ("answered", "closed") and rng.random() < 0.5:
                staff = handlers[unit]
                message_copy.add(
                    f"{next_message}\treply\t{reply_pool[k & 255]}\t{s_activity}\t{null}\t{staff}\t{case_id}"
                )
                next_message += 1
                audit(
                    s_activity,
                    "staff",
                    None,
                    staff,
                    "handler",
                    unit,
                    provider_id,
                    "read",
                    case_id,
                    subject,
                    READ_PURPOSE,
                )
            if k % 97 == 0:
                flag_copy.add(f"{case_id}\tprobable_duplicate")
            if (k + 1 - k_start) % report_every == 0:
                log(f"process {part['job']}: {k + 1 - k_start:,} cases generated ({time.monotonic() - started:.0f} s)")
        for copier in (case_copy, message_copy, flag_copy, audit_copy):
            copier.flush()
        conn.commit()
    cpu = time.process_time() - cpu_started
    log(
        f"process {part['job']}: {k_end - k_start:,} cases in {time.monotonic() - started:.0f} s, {cpu:.1f} s of its own CPU"
    )
    return {
        "cpu_seconds": cpu,
        "heads": heads,
        "cases": case_copy.rows,
        "messages": message_copy.rows,
        "case_flags": flag_copy.rows,
        "audit_entries": audit_copy.rows,
    }


def _rebuild_indexes(dropped: list[tuple[str, str]], jobs: int) -> None:
    """Rebuild the dropped indexes, `jobs` at a time on connections of their own (largest tables first)."""
    import queue
    import threading

    import psycopg

    order = {"audit_auditentry": 0, "cases_message": 1, "cases_case": 2, "cases_caseflag": 3}
    todo: queue.Queue[str] = queue.Queue()
    for _name, definition in sorted(
        dropped, key=lambda d: min((v for t, v in order.items() if f" {t} " in d[1]), default=9)
    ):
        todo.put(definition)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with psycopg.connect(common.conninfo(), autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '512MB'")
                while True:
                    try:
                        definition = todo.get_nowait()
                    except queue.Empty:
                        return
                    conn.execute(definition)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(max(1, jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def build(cases: int, units: int, persons: int, csv_path: Path, seed: int = 7, jobs: int = 0) -> dict:
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from vardnav.catalog.models import Questionnaire, Service
    from vardnav.core.crypto import blind_index, encrypt
    from vardnav.core.personal_number import parse_personal_number
    from vardnav.organizations.models import CareProvider, RoleGrant, Staff, Unit
    from vardnav.people.models import Person

    started = time.monotonic()
    now = timezone.now().astimezone(dt.UTC)
    provider = CareProvider.objects.get(slug="region-norrsund")
    services = list(Service.objects.filter(provider=provider).order_by("pk"))
    questionnaire_of = {
        q.service_id: q.pk for q in Questionnaire.objects.filter(service__in=services, status="published")
    }
    services = [s for s in services if s.pk in questionnaire_of]

    # --- units, staff, role grants: a few hundred rows, through the ORM -----------------
    log(f"{units} units with a receiver and a handler each")
    unit_rows = Unit.objects.bulk_create(
        [
            Unit(
                provider=provider,
                name=f"Benchmottagning {i:04d}",
                slug=f"bench-{i:04d}",
                hsa_id=f"SE2321000901-BN{i:04d}",
                kind="primary_care",
                city="Norrsund",
                eservices_active=True,
                eservices_activated_at=now,
            )
            for i in range(units)
        ]
    )
    staff_rows = Staff.objects.bulk_create(
        [
            Staff(
                provider=provider,
                hsa_id=f"SE2321000901-BS{i:05d}",
                given_name=GIVEN_NAMES[i % len(GIVEN_NAMES)],
                surname=SURNAMES[i % len(SURNAMES)],
                profession="assistant_nurse" if i % 2 == 0 else "doctor",
            )
            for i in range(2 * units)
        ]
    )
    receivers = {u.pk: staff_rows[2 * k] for k, u in enumerate(unit_rows)}
    handlers = {u.pk: staff_rows[2 * k + 1] for k, u in enumerate(unit_rows)}
    RoleGrant.objects.bulk_create(
        [RoleGrant(staff=receivers[u.pk], unit=u, role="receiver", granted_at=now) for u in unit_rows]
        + [RoleGrant(staff=handlers[u.pk], unit=u, role="handler", granted_at=now) for u in unit_rows]
    )
    unit_ids = [u.pk for u in unit_rows]

    with psycopg.connect(common.conninfo()) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers during the load
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")

        # --- residents: encrypted personal number and names, blind index --------------------
        existing = set(Person.objects.values_list("personal_number_index", flat=True))
        numbers = read_personal_numbers(csv_path)
        person_ids: list[int] = []
        person_unit: dict[int, int] = {}
        next_person = (cur.execute("SELECT coalesce(max(id), 0) FROM people_person").fetchone()[0]) + 1
        persons_copy = Copier(
            cur,
            "people_person",
            [
                "id",
                "personal_number",
                "personal_number_index",
                "is_coordination_number",
                "birth_date",
                "given_name",
                "surname",
                "protected_identity",
                "email",
                "phone",
                "preferred_language",
                "created_at",
                "updated_at",
            ],
        )
        listing_copy = Copier(cur, "organizations_listing", ["person_id", "unit_id", "listed_at"])
        stamp = _ts(now)
        for digits in numbers:
            if len(person_ids) >= persons:
                break
            try:
                parsed = parse_personal_number(digits)
            except Exception:  # noqa: BLE001 - a number the parser refuses is simply not used
                continue
            index = blind_index(parsed.digits12)
            if index in existing:
                continue
            existing.add(index)
            pid = next_person
            next_person += 1
            given, surname = GIVEN_NAMES[pid % len(GIVEN_NAMES)], SURNAMES[pid % len(SURNAMES)]
            persons_copy.add(
                "\t".join(
                    [
                        str(pid),
                        encrypt(parsed.digits12),
                        index,
                        "t" if parsed.is_coordination_number else "f",
                        parsed.birth_date.isoformat(),
                        encrypt(given),
                        encrypt(surname),
                        "f",
                        "",
                        "",
                        "sv",
                        stamp,
                        stamp,
                    ]
                )
            )
            unit_id = unit_ids[len(person_ids) % len(unit_ids)]
            listing_copy.add(f"{pid}\t{unit_id}\t{stamp}")
            person_ids.append(pid)
            person_unit[pid] = unit_id
        persons_copy.flush()
        listing_copy.flush()
        if len(person_ids) < persons:
            log(f"only {len(person_ids)} unused personal numbers in {csv_path}; using those")
        log(f"{len(person_ids)} residents ({time.monotonic() - started:.0f} s)")

        # --- pools of real ciphertexts ---------------------------------------------------------
        answer_pool = [
            encrypt(
                json.dumps(
                    {"subject": f"Fråga {k}", "question": f"Jag undrar över min behandling, del {k}."},
                    ensure_ascii=False,
                    sort_keys=True,
                )
            )
            for k in range(256)
        ]
        reply_pool = [encrypt(f"Hej! Svar nummer {k} från mottagningen.") for k in range(256)]
        fingerprint_pool = [blind_index(f"bench answers {k}") for k in range(256)]

        # --- drop secondary indexes while loading -----------------------------------------------
        tables = ["cases_case", "cases_message", "cases_caseflag", "audit_auditentry"]
        dropped: list[tuple[str, str]] = []
        for table in tables:
            for name, definition in _secondary_indexes(cur, table):
                cur.execute(f'DROP INDEX "{name}"')
                dropped.append((name, definition))
        conn.commit()
        log(f"dropped {len(dropped)} secondary indexes for the load")

        heads = {
            shard: [seq, hash_]
            for shard, seq, hash_ in cur.execute("SELECT shard, seq, hash FROM audit_auditchainhead").fetchall()
        }
        shards = int(getattr(settings, "AUDIT_CHAIN_SHARDS", 16))
        for shard in range(shards):
            heads.setdefault(shard, [0, "0" * 64])

        first_case = cur.execute("SELECT coalesce(max(id), 0) FROM cases_case").fetchone()[0] + 1
        next_message = cur.execute("SELECT coalesce(max(id), 0) FROM cases_message").fetchone()[0] + 1
        next_audit = cur.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry").fetchone()[0] + 1
        conn.commit()

        # --- cases, messages, flags, audit entries: one process per group of audit shards --------
        jobs = max(1, min(jobs or os.cpu_count() or 1, shards, cases))
        span = -(-cases // jobs)  # cases per process, rounded up
        parts = [
            {
                "job": job,
                "jobs": jobs,
                "k_start": job * span,
                "k_end": min(cases, (job + 1) * span),
                "first_case": first_case,
                # Each case writes at most two messages and two audit entries: disjoint id ranges per process.
                "first_message": next_message + 2 * job * span,
                "first_audit": next_audit + 2 * job * span,
                "heads": {shard: head for shard, head in heads.items() if shard % jobs == job},
                "seed": seed * 1000 + job,
                "cases": cases,
                "now": now,
                "person_ids": person_ids,
                "person_unit": person_unit,
                "handlers": {unit: staff.pk for unit, staff in handlers.items()},
                "services": [(s.pk, s.routed_role, questionnaire_of[s.pk]) for s in services],
                "provider_id": provider.pk,
                "answer_pool": answer_pool,
                "reply_pool": reply_pool,
                "fingerprint_pool": fingerprint_pool,
            }
            for job in range(jobs)
        ]
        log(f"generating {cases:,} cases in {jobs} processes (each owns the chains of its audit shards)")
        if jobs == 1:
            results = [_generate_part(parts[0])]
        else:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.map(_generate_part, parts)
        copied = {"cases": 0, "messages": 0, "case_flags": 0, "audit_entries": 0}
        generation_cpu = sum(result["cpu_seconds"] for result in results)
        for result in results:
            heads.update(result["heads"])
            for key in copied:
                copied[key] += result[key]
        for shard, (seq, hash_) in heads.items():
            if seq:
                cur.execute(
                    "INSERT INTO audit_auditchainhead (shard, seq, hash) VALUES (%s, %s, %s) "
                    "ON CONFLICT (shard) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash",
                    (shard, seq, hash_),
                )
        for table in (
            "people_person",
            "organizations_listing",
            "cases_case",
            "cases_message",
            "cases_caseflag",
            "audit_auditentry",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        conn.commit()
        loaded = time.monotonic() - started
        log(
            f"copied cases {copied['cases']:,}, messages {copied['messages']:,}, "
            f"audit entries {copied['audit_entries']:,} "
            f"({loaded:.0f} s); rebuilding {len(dropped)} indexes"
        )
        _rebuild_indexes(dropped, jobs)
        # COPY ran with triggers off (replica): count the inbox's counters once from the cases.
        from vardnav.cases import inbox_counts

        log(f"inbox counters: {inbox_counts.rebuild():,} rows")
        conn.autocommit = True
        cur.execute("VACUUM (ANALYZE)")
        counts = {
            "units": units,
            "staff": 2 * units,
            "persons": len(person_ids),
            **copied,
        }
        size = cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        meta = {
            **counts,
            "built_at": _ts(now),
            "build_seconds": round(time.monotonic() - started, 1),
            "jobs": jobs,
            "generation_cpu_seconds": round(generation_cpu, 1),
            "size": size,
        }
        cur.execute(
            "INSERT INTO bench_meta VALUES ('dataset', %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (json.dumps(meta),),
        )
    log(f"done in {meta['build_seconds']} s, database {size}")
    return meta


def current_meta() -> dict | None:
    import psycopg

    if not common.database_exists():
        return None
    with psycopg.connect(common.conninfo()) as conn:
        exists = conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0]
        if not exists:
            return None
        row = conn.execute("SELECT value FROM bench_meta WHERE key = 'dataset'").fetchone()
        return json.loads(row[0]) if row else None


# The tables a bench run writes to. Each run leaves some 25,000 cases with their messages, readings and
# audit entries behind, and the planner's statistics of small tables (readings, counters) stale.
_WRITTEN_TABLES = (
    "cases_case",
    "cases_message",
    "cases_caseflag",
    "cases_casereading",
    "cases_inboxcount",
    "audit_auditentry",
    "audit_auditchainhead",
    "core_idempotencyrecord",
    "django_session",
)


def _vacuum_after_earlier_runs() -> None:
    """What autovacuum would have done between two runs in production (it is off on some machines):
    dead row versions removed, the visibility map set for index-only scans, statistics fresh."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(common.conninfo(), autocommit=True) as conn:
        for table in _WRITTEN_TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    log(f"vacuumed and analysed the tables earlier runs wrote to ({time.monotonic() - started:.0f} s)")


def ensure(
    cases: int, units: int, persons: int, *, rebuild: bool = False, csv_path: Path | None = None, jobs: int = 0
) -> dict:
    """The data set of `cases` cases: reused when the bench database already holds it, else built from scratch."""
    meta = None if rebuild else current_meta()
    if meta and meta.get("cases") == cases and meta.get("units") == units:
        log(f"reusing the bench database ({meta['cases']:,} cases, built {meta['built_at']}); applying new migrations")
        common.manage("migrate", "--noinput", "-v", "0")
        _vacuum_after_earlier_runs()
        return meta
    log(f"creating database {common.BENCH_DB}")
    common.recreate_database()
    common.migrate_and_seed()
    common.setup_django()
    return build(
        cases, units, persons, csv_path or Path(os.environ.get("BENCH_PERSONNUMMER_CSV", DEFAULT_CSV)), jobs=jobs
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--jobs", type=int, default=0, help="generating processes (default: one per CPU, at most one per audit shard)"
    )
    args = parser.parse_args(argv)
    ensure(args.cases, args.units, args.persons, rebuild=args.rebuild, jobs=args.jobs)


if __name__ == "__main__":
    main()
