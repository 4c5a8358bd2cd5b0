"""The inbox first page at the per-unit density of a 10 M-case data set, without building 10 M cases.

    python -m bench.inbox_scale [--factor 10]

Why: at 10 M cases and 200 units a unit has about 5,000 open cases instead of
500. Inside one transaction that is rolled back, the open cases of `factor - 1`
other units are moved into one unit (so the rows stay scattered over the heap as
they would be), then the inbox endpoint is called through Django's test client
and every query it ran is EXPLAIN ANALYZEd. Nothing is kept: the transaction is
rolled back and cases_case vacuumed afterwards (the dead row versions removed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench import common


class _Rollback(Exception):
    pass


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
    from vardnav.cases.models import Case
    from vardnav.organizations.models import RoleGrant, Unit

    units = list(Unit.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True))
    target, donors = units[0], units[1 : args.factor]
    grant = RoleGrant.objects.select_related("staff", "unit").get(unit_id=target, role="receiver")
    client = log_in_client(Client(), staff_identity(grant.staff, unit=grant.unit, role="receiver"))
    out: dict = {"factor": args.factor}
    try:
        with transaction.atomic():
            for label, move in (("as loaded", False), (f"x{args.factor} open cases per unit", True)):
                if move:
                    Case.objects.filter(unit_id__in=donors).exclude(status="closed").update(unit_id=target)
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
                        if "cases_case" not in sql:
                            continue
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                        plan = cursor.fetchone()[0]
                        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                        plans.append({"sql": sql[:120], "execution_ms": round(plan["Execution Time"], 3)})
                timings.sort()
                out[label] = {
                    "open_cases_in_unit": open_cases,
                    "endpoint_ms_median": round(statistics.median(timings), 2),
                    "endpoint_ms_p99": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
                    "endpoint_ms_max": round(timings[-1], 2),
                    "queries": plans,
                }
                print(json.dumps({label: out[label]}, indent=2, ensure_ascii=False))
            raise _Rollback
    except _Rollback:
        pass
    # The moves were rolled back, but their row versions stay behind as dead tuples (and the
    # visibility map loses its all-visible bits, which index-only scans need): clean up.
    connection.close()
    import psycopg

    with psycopg.connect(common.conninfo(), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) cases_case")
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / "inbox-scale-latest.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
