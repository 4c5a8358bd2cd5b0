"""Bookings at scale: free times, the staff day, booking latency and the race for the last free time.

    python -m bench.bookings [--slots 200000] [--bookings 300] [--racers 50] [--rounds 5]

Builds its own database (vardnav_bench_bookings: migrate + the demo world), adds
`--slots` published times for one visit type spread over a year with every
other one booked, then measures through the actions and access functions the
pages and API call (no HTTP): the free-times page over the coming weeks and a
unit's day (time and queries), `--bookings` sequential bookings (each with its
audit entry and confirmation e-mail in the outbox), and `--rounds` races of
`--racers` threads for one free time. Writes bench/results/bookings-*.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import threading
import time

from bench import common

DB = "vardnav_bench_bookings"


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slots", type=int, default=200_000)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--racers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    common.recreate_database(DB)
    common.migrate_and_seed(DB)
    common.setup_django(DB)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vardnav.bookings.access import free_times, unit_day, unit_week
    from vardnav.bookings.actions import do_book
    from vardnav.bookings.models import Booking, Slot, VisitType
    from vardnav.core import clock
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.core.clock import STOCKHOLM
    from vardnav.organizations.models import Role, RoleGrant
    from vardnav.people.models import Person

    visit_type = VisitType.objects.select_related("unit").get(
        unit__slug="vardcentralen-norrsund-centrum", name="Läkarbesök"
    )
    people = list(Person.objects.filter(protected_identity=False).values_list("pk", flat=True))
    now = clock.now()
    start = dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(8), tzinfo=STOCKHOLM)

    # The data set: --slots times, one every 5 minutes of a 12-hour day over a year, every other one booked.
    per_day = 144
    slots = [
        Slot(
            unit=visit_type.unit,
            visit_type=visit_type,
            resource=f"Rum {n % 7}",
            starts_at=start + dt.timedelta(days=n // per_day, minutes=5 * (n % per_day)),
            ends_at=start + dt.timedelta(days=n // per_day, minutes=5 * (n % per_day) + 5),
            created_at=now,
        )
        for n in range(args.slots)
    ]
    built = time.perf_counter()
    Slot.objects.bulk_create(slots, batch_size=5000)
    booked = [
        Booking(
            slot=slot,
            unit=visit_type.unit,
            visit_type=visit_type,
            starts_at=slot.starts_at,
            person_id=people[n % len(people)],
            cancel_code_hash=f"{n:064x}",
            created_at=now,
        )
        for n, slot in enumerate(slots)
        if n % 2 == 0
    ]
    Booking.objects.bulk_create(booked, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bookings_slot")
        cursor.execute("VACUUM ANALYZE bookings_booking")
    out: dict = {
        "slots": args.slots,
        "bookings_in_data_set": len(booked),
        "load_s": round(time.perf_counter() - built, 1),
    }

    def timed(call, calls: int = 200) -> dict:
        call()
        samples = []
        for _ in range(calls):
            began = time.perf_counter()
            call()
            samples.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as captured:
            call()
        return {**_percentiles(samples), "queries": len(captured.captured_queries)}

    visit_type.unit.refresh_from_db()
    out["free_times_first_page"] = timed(lambda: free_times(visit_type))
    grant = RoleGrant.objects.select_related("staff").filter(unit=visit_type.unit, role=Role.RECEIVER).first()
    staff_actor = Actor(
        kind=ActorKind.STAFF,
        staff_id=grant.staff_id,
        unit_id=grant.unit_id,
        role=Role.RECEIVER,
        provider_id=visit_type.unit.provider_id,
    )
    busy_day = (start + dt.timedelta(days=3)).date()
    out["staff_day_144_slots"] = timed(lambda: unit_day(staff_actor, busy_day))
    monday = busy_day - dt.timedelta(days=busy_day.weekday())
    out["staff_week_1008_slots"] = timed(lambda: unit_week(staff_actor, monday), calls=50)

    # Sequential bookings of free times, as residents book them (audit entry and outbox row included).
    free = list(
        Slot.objects.filter(visit_type=visit_type, starts_at__gt=now)
        .exclude(bookings__isnull=False)
        .order_by("starts_at")[: args.bookings + args.rounds]
    )
    samples = []
    for n, slot in enumerate(free[: args.bookings]):
        actor = Actor(kind=ActorKind.RESIDENT, person_id=people[n % len(people)])
        began = time.perf_counter()
        do_book(actor, time_id=slot.pk)
        samples.append((time.perf_counter() - began) * 1000)
    out["book"] = _percentiles(samples)

    # The race: --racers threads for one free time, --rounds times.
    out["race"] = [_race(slot, args.racers, people) for slot in free[args.bookings : args.bookings + args.rounds]]
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    path = common.RESULTS / f"bookings-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


def _race(slot, racers: int, people: list[int]) -> dict:
    """`racers` threads book the same free time at once; exactly one may win."""
    from django.db import connections

    from vardnav.bookings.actions import do_book
    from vardnav.bookings.models import Booking
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.core.errors import DomainError

    barrier = threading.Barrier(racers)
    won: list[int] = []
    refused: list[str] = []
    errors: list[str] = []

    def race(n: int) -> None:
        try:
            barrier.wait()
            actor = Actor(kind=ActorKind.RESIDENT, person_id=people[n % len(people)])
            won.append(do_book(actor, time_id=slot.pk).booking.pk)
        except DomainError as error:
            refused.append(str(error.code))
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(type(exc).__name__)
        finally:
            connections.close_all()

    began = time.perf_counter()
    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "winners": len(won),
        "refused_time_taken": refused.count("time-taken"),
        "errors": errors,
        "active_bookings_of_the_time": Booking.objects.filter(slot=slot, status="booked").count(),
        "wall_ms": round((time.perf_counter() - began) * 1000, 1),
    }


if __name__ == "__main__":
    main()
