"""The inbox first page of a unit with `factor` times the data set's open cases per unit.

    python -m bench.inbox_scale [--factor 10]

Why: the inbox must not slow down as a unit's open cases grow (issue 13). The
endpoint is timed as loaded; then the open cases of `factor - 1` other units are
moved into one unit (so the rows stay scattered over the heap as they would be)
and committed, the tables vacuumed as autovacuum would have by then, and the
endpoint timed again through Django's test client, with every query it ran
EXPLAIN ANALYZEd. In both measurements the receiver has opened every open case
of the unit (a receiver who reads everything has as many readings as the unit
has open cases, which is what "olästa" once counted from). Afterwards the cases
are moved back to their units, the readings made here deleted and the tables
vacuumed again, so the data set is as it was.

(Measuring inside an open transaction that moved the cases, as this script once
did, mostly measures that transaction's own row versions: the counters of the
inbox, updated tens of thousands of times, cannot be pruned until it ends.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench import common


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)
    common.setup_django()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.sessions import log_in_client, staff_identity
    from vardnav.cases.models import Case, CaseReading
    from vardnav.core import clock
    from vardnav.organizations.models import RoleGrant, Unit

    units = list(Unit.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
    target, donors = units[0], units[1 : args.factor]
    grant = RoleGrant.objects.select_related("staff", "unit").get(unit_id=target, role="receiver")
    client = log_in_client(Client(), staff_identity(grant.staff, unit=grant.unit, role="receiver"))
    out: dict = {"factor": args.factor}
    import psycopg

    def vacuum() -> None:
        """What autovacuum would have done by the time a unit grew this large: dead row versions
        gone, the visibility map set (index-only scans need it), statistics fresh."""
        connection.close()
        with psycopg.connect(common.conninfo(), autocommit=True) as conn:
            for table in ("cases_case", "cases_inboxcount", "cases_casereading", "cases_readcount"):
                conn.execute(f"VACUUM (ANALYZE) {table}")

    read: list[int] = []

    def read_everything() -> None:
        """The receiver opens every open case of the unit not read yet (the triggers count each)."""
        unread = (
            Case.objects.filter(unit_id=target)
            .exclude(status="closed")
            .exclude(readings__staff_id=grant.staff_id)
            .values_list("pk", flat=True)
        )
        pks = list(unread)
        with transaction.atomic():
            CaseReading.objects.bulk_create(
                [CaseReading(case_id=pk, staff_id=grant.staff_id, read_at=clock.now()) for pk in pks], batch_size=5000
            )
        read.extend(pks)

    def measure(label: str) -> None:
        open_cases = Case.objects.filter(unit_id=target).exclude(status="closed").count()
        client.get("/api/v1/staff/inbox")
        timings = []
        for _ in range(args.calls):
            started = time.perf_counter()
            response = client.get("/api/v1/staff/inbox")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        with CaptureQueriesContext(connection) as ctx:
            client.get("/api/v1/staff/inbox")
        plans = []
        with connection.cursor() as cursor:
            for query in ctx.captured_queries:
                sql = query["sql"]
                if "cases_case" not in sql and "cases_inboxcount" not in sql:
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                plans.append({"sql": sql[:120], "execution_ms": round(plan["Execution Time"], 3)})
        timings.sort()
        out[label] = {
            "open_cases_in_unit": open_cases,
            "read_by_the_receiver": CaseReading.objects.filter(staff_id=grant.staff_id, case__unit_id=target).count(),
            "counts": json.loads(client.get("/api/v1/staff/inbox").content)["counts"],
            "endpoint_ms_median": round(statistics.median(timings), 2),
            "endpoint_ms_p99": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
            "endpoint_ms_max": round(timings[-1], 2),
            "queries": plans,
        }
        print(json.dumps({label: out[label]}, indent=2, ensure_ascii=False))

    read_everything()
    vacuum()
    measure("as loaded")
    # The donors' open cases move into the target unit in a committed transaction (the counters'
    # triggers move their counts too) and back afterwards, whatever happens in between.
    moved = {
        donor: list(Case.objects.filter(unit_id=donor).exclude(status="closed").values_list("pk", flat=True))
        for donor in donors
    }
    with transaction.atomic():
        Case.objects.filter(pk__in=[pk for pks in moved.values() for pk in pks]).update(unit_id=target)
    try:
        read_everything()
        vacuum()
        measure(f"x{args.factor} open cases per unit")
    finally:
        with transaction.atomic():
            for donor, pks in moved.items():
                Case.objects.filter(pk__in=pks).update(unit_id=donor)
            for start in range(0, len(read), 5000):
                CaseReading.objects.filter(staff_id=grant.staff_id, case_id__in=read[start : start + 5000]).delete()
        vacuum()
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / "inbox-scale-latest.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
