"""Routing digital visits at scale: picking the practitioner, and the practitioner's queue.

    python -m bench.visits [--practitioners 5000] [--visits 300]

Builds its own database (vardnav_bench_visits: migrate + the demo world, whose
Kliniknu digital unit has the standard complaint areas), adds `--practitioners`
doctors on duty at the digital unit with random queue lengths, then starts
`--visits` visits through do_start_visit (each routed, audited, with its
queue counter moved). Measures the routing query alone (time, queries and its
plan: the partial index duty_shortest_queue, whatever the number of
practitioners and open cases) and the practitioner's queue page (queries).
Writes bench/results/visits-*.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time

from bench import common

DB = "vardnav_bench_visits"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--practitioners", type=int, default=5000)
    parser.add_argument("--visits", type=int, default=300)
    args = parser.parse_args(argv)
    common.recreate_database(DB)
    common.migrate_and_seed(DB)
    common.setup_django(DB)

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from vardnav.core import clock
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.organizations.models import Qualification, Role, RoleGrant, Staff, Unit
    from vardnav.people.models import Person
    from vardnav.visits.access import current_triage, practitioner_queue
    from vardnav.visits.actions import do_start_visit, pick_practitioner
    from vardnav.visits.models import ComplaintArea, Duty

    unit = Unit.objects.get(slug="kliniknu-digital")
    rng = random.Random(7)
    now = clock.now()
    staff = Staff.objects.bulk_create(
        [
            Staff(
                provider_id=unit.provider_id,
                hsa_id=f"SE2321000903-B{n:05d}",
                given_name="Bench",
                surname=f"Doktor {n}",
                profession="doctor",
                qualification=Qualification.SPECIALIST,
            )
            for n in range(args.practitioners)
        ],
        batch_size=2000,
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(staff=each, unit=unit, role=Role.HANDLER, granted_at=now) for each in staff], batch_size=2000
    )
    Duty.objects.bulk_create(
        [Duty(staff=each, unit=unit, on_duty=True, open_visits=rng.randint(1, 40)) for each in staff],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visits_duty")
        cursor.execute("VACUUM ANALYZE organizations_staff")
        cursor.execute("VACUUM ANALYZE organizations_rolegrant")

    out: dict = {"practitioners_on_duty": Duty.objects.filter(unit=unit, on_duty=True).count()}
    samples = []
    for _ in range(300):
        with transaction.atomic():
            began = time.perf_counter()
            pick_practitioner(unit.pk, "doctor")
            samples.append((time.perf_counter() - began) * 1000)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        pick_practitioner(unit.pk, "doctor")
    out["pick_practitioner"] = {**_percentiles(samples), "queries": len(captured.captured_queries)}
    sql = captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        out["pick_practitioner_plan"] = [row[0] for row in cursor.fetchall()]

    area = ComplaintArea.objects.get(unit=unit, slug="urinvagsinfektion")
    triage = current_triage(area)
    people = list(Person.objects.filter(protected_identity=False).values_list("pk", flat=True))
    answers = {
        item["linkId"]: (
            False
            if item["type"] == "boolean"
            else item["answerOption"][0]["code"]
            if item["type"] == "choice" and not item.get("repeats")
            else [item["answerOption"][0]["code"]]
            if item["type"] == "choice"
            else "Bench"
        )
        for item in triage.items
        if item["type"] not in ("display", "attachment", "decimal") and not item.get("enableWhen")
    }
    starts = []
    last = None
    for n in range(args.visits):
        actor = Actor(kind=ActorKind.RESIDENT, person_id=people[n % len(people)])
        began = time.perf_counter()
        last = do_start_visit(actor, area, triage, answers=answers, abroad=False)
        starts.append((time.perf_counter() - began) * 1000)
    out["start_visit"] = _percentiles(starts)
    assert last is not None and last.case.assigned_to_id is not None
    practitioner = Actor(
        kind=ActorKind.STAFF,
        staff_id=last.case.assigned_to_id,
        provider_id=unit.provider_id,
        unit_id=unit.pk,
        role="handler",
    )
    with CaptureQueriesContext(connection) as captured:
        queue = practitioner_queue(practitioner)
    out["practitioner_queue"] = {"visits": len(queue.visits), "queries": len(captured.captured_queries)}
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    path = common.RESULTS / f"visits-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.json"
    text = json.dumps(out, indent=2, ensure_ascii=False)
    path.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
