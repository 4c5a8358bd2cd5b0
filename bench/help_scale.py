"""Issue 18's speed targets: help search at 10,000 entries, the vaccination card and the complaint follow-up.

    python -m bench.help_scale [--entries 10000] [--calls 50] [--json out.json]

On PostgreSQL, in a database of its own (`vardnav_bench_help`, or BENCH_HELP_DB; created with the
schema and the demo world when missing). Everything it adds is inside one transaction that is
rolled back, so a run leaves the database as it found it.

- Help search: 10,000 entries of a demo provider (Swedish questions and answers built from a fixed
  vocabulary, seeded), ANALYZE, then the search the page runs (help.access.search_articles) for a few
  queries: median and p99 time, the page's query count, and EXPLAIN ANALYZE of the search — the plan
  must read the GIN index `help_article_search` (a Bitmap Index Scan), not the table.
- The vaccination card (/mina-sidor/vaccinationer/) and the complaint follow-up
  (/personal/synpunkter/uppfoljning/): the number of queries with one row and with many (the card with
  one dose and with 60; the follow-up with one complaint and with 200 spread over units, categories and
  months) — equal when the query count is fixed — and the page's median time with many.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from typing import Any

from bench import common

DB = common.os.environ.get("BENCH_HELP_DB", "vardnav_bench_help")
QUERIES = ["recept", "boka tid", "vaccination påminnelse", "faktura betala", "logga in bankid"]
WORDS = [
    "recept",
    "förnya",
    "läkemedel",
    "apotek",
    "tid",
    "boka",
    "avboka",
    "mottagning",
    "vårdcentral",
    "vaccination",
    "dos",
    "påminnelse",
    "resa",
    "faktura",
    "betala",
    "swish",
    "frikort",
    "avgift",
    "ärende",
    "svar",
    "bilaga",
    "bild",
    "journal",
    "läsa",
    "logg",
    "ombud",
    "barn",
    "vårdnadshavare",
    "bankid",
    "logga",
    "inkorg",
    "roll",
    "behörighet",
    "synpunkter",
    "klagomål",
    "patientnämnd",
    "support",
    "telefon",
    "öppettider",
    "sjuksköterska",
    "läkare",
    "barnmorska",
    "provsvar",
    "remiss",
    "intyg",
    "sjukskrivning",
    "parkering",
    "entré",
    "hiss",
    "rullstol",
    "tolk",
]


class _Rollback(Exception):
    pass


def _timed(call: Any, calls: int) -> dict[str, float]:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
    }


def _count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One request first: a session that is due for its periodic save (identity's idle timeout) writes
    # it in the next request, which would count queries that have nothing to do with the page.
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _help(entries: int, calls: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vardnav.core import clock
    from vardnav.help import access
    from vardnav.help.models import HelpArticle
    from vardnav.organizations.models import CareProvider

    provider = CareProvider.objects.order_by("pk").first()
    rng = random.Random(18)
    # Made-up words (a vocabulary of about 4,000) with a real one now and then: like real answers, a
    # searched word occurs in a small share of the entries, not in nearly all of them.
    syllables = ["ka", "lo", "mi", "ve", "tor", "sun", "bä", "rå", "dis", "ne", "fal", "gö", "hem", "jul", "ost"]
    made_up = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})

    def sentence(length: int) -> str:
        return " ".join(rng.choice(WORDS) if rng.random() < 0.01 else rng.choice(made_up) for _ in range(length))

    now = clock.now()
    rows = []
    for i in range(entries):
        title = sentence(6).capitalize() + "?"
        body = "\n\n".join(sentence(40).capitalize() + "." for _ in range(3))
        rows.append(
            HelpArticle(
                provider=provider,
                slug=f"bench-help-{i}",
                category=rng.choice(["cases", "bookings", "medicines", "fees", "vaccinations"]),
                audience="resident",
                title_sv=title,
                title_en="",
                body_sv=body,
                body_en="",
                body_html_sv="".join(f"<p>{p}</p>" for p in body.split("\n\n")),
                updated_at=now,
            )
        )
    started = time.perf_counter()
    HelpArticle.objects.bulk_create(rows, batch_size=1000)
    insert_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE help_helparticle")
    reader = access.HelpReader(resident_provider_ids=frozenset({provider.pk}))
    out: dict[str, Any] = {
        "entries": HelpArticle.objects.count(),
        "insert_with_index_s": round(insert_s, 2),
        "queries": {},
    }
    client = Client()
    for query in QUERIES:
        found = access.search_articles(query, reader)
        with CaptureQueriesContext(connection) as ctx:
            access.search_articles(query, reader)
        sql = ctx.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        text = json.dumps(plan["Plan"])
        out["queries"][query] = {
            "results": len(found),
            "uses_gin_index": "help_article_search" in text,
            "plan_top": plan["Plan"]["Node Type"],
            "execution_ms": round(plan["Execution Time"], 3),
            "search": _timed(lambda q=query: access.search_articles(q, reader), calls),
            "page_queries": _count(client, f"/hjalp/sok/?q={query}"),
        }
    return out


def _card(calls: int) -> dict[str, Any]:
    from django.test import Client

    from tests.sessions import log_in_client, resident_identity
    from vardnav.vaccinations.models import Vaccination

    first = Vaccination.objects.filter(self_reported=False).order_by("pk").first()
    assert first is not None, "the demo world has clinic vaccinations"
    person = first.subject
    Vaccination.objects.filter(subject=person).exclude(pk=first.pk).delete()
    client = log_in_client(Client(), resident_identity(person))
    url = "/mina-sidor/vaccinationer/"
    one = _count(client, url)
    vaccines = ["tbe", "hepatitis_a", "hepatitis_b", "rabies", "yellow_fever", "japanese_encephalitis"]
    clones = []
    for i in range(60):
        clone = Vaccination.objects.get(pk=first.pk)
        clone.pk = None
        clone.vaccine = vaccines[i % len(vaccines)] if i % 2 else first.vaccine
        clone.dose_number = i // len(vaccines) + 2
        clone.given_on = first.given_on - dt.timedelta(days=30 * (i + 1))
        clones.append(clone)
    Vaccination.objects.bulk_create(clones)
    many = _count(client, url)
    return {
        "doses": {"one": 1, "many": Vaccination.objects.filter(subject=person).count()},
        "queries": {"one": one, "many": many},
        "page_with_many": _timed(lambda: client.get(url), calls),
    }


def _follow_up(calls: int) -> dict[str, Any]:
    from django.test import Client

    from tests.sessions import log_in_client, staff_identity
    from vardnav.cases.actions import do_submit_case
    from vardnav.cases.models import Case
    from vardnav.catalog.access import services_offered_at
    from vardnav.catalog.models import ServiceKind
    from vardnav.complaints.content import Category
    from vardnav.core import clock
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.organizations.models import Listing, Staff, Unit

    units = [
        unit
        for unit in Unit.objects.filter(kind="primary_care").order_by("pk")
        if services_offered_at(unit).filter(kind=ServiceKind.COMPLAINT).exists()
    ]
    assert units, "a demo unit offers the complaint service"
    provider_id = units[0].provider_id
    units = [u for u in units if u.provider_id == provider_id]
    admin = Staff.objects.get(provider_id=provider_id, is_provider_admin=True)
    client = log_in_client(Client(), staff_identity(admin))
    people = list(Listing.objects.filter(unit__provider_id=provider_id).values_list("person_id", flat=True)[:20])
    categories = list(Category.values)

    def send(i: int) -> None:
        unit = units[i % len(units)]
        service = services_offered_at(unit).get(kind=ServiceKind.COMPLAINT)
        actor = Actor(kind=ActorKind.RESIDENT, person_id=people[i % len(people)])
        event = clock.today() - dt.timedelta(days=3 + i % 300)
        answers = {
            "category": categories[i % len(categories)],
            "about_process": "false",
            "event_date": event.isoformat(),
            "what": "Bemötandet vid besöket.",
        }
        case = do_submit_case(actor, service=service, unit=unit, answers=answers)
        Case.objects.filter(pk=case.pk).update(submitted_at=clock.now() - dt.timedelta(days=i % 330))

    url = "/personal/synpunkter/uppfoljning/"
    send(0)
    one = _count(client, url)
    for i in range(1, 200):
        send(i)
    many = _count(client, url)
    return {
        "complaints": {"one": 1, "many": 200},
        "queries": {"one": one, "many": many},
        "page_with_many": _timed(lambda: client.get(url), calls),
    }


def measure(entries: int = 10_000, calls: int = 50) -> dict[str, Any]:
    if not common.database_exists(DB):
        common.recreate_database(DB)
        common.migrate_and_seed(DB)
    else:
        common.manage("migrate", "--noinput", "-v", "0", dbname=DB)
    common.setup_django(DB)
    from django.db import transaction

    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            out["help_search"] = _help(entries, calls)
            out["vaccination_card"] = _card(calls)
            out["complaint_follow_up"] = _follow_up(calls)
            raise _Rollback
    except _Rollback:
        pass
    return out


def render_markdown(result: dict[str, Any]) -> str:
    """The section of docs/benchmarks.md between the help-scale markers."""
    search = result["help_search"]
    lines = [
        f"**Help search** at {search['entries']:,} entries (PostgreSQL, Swedish configuration, GIN index "
        f"`help_article_search`; inserting them with the index kept took {search['insert_with_index_s']} s):",
        "",
        "| query | hits (max 20) | plan reads the GIN index | SQL execution ms | search median ms | p99 ms | page queries |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for query, row in search["queries"].items():
        lines.append(
            f"| {query} | {row['results']} | {'yes' if row['uses_gin_index'] else 'NO'} | {row['execution_ms']} "
            f"| {row['search']['median_ms']} | {row['search']['p99_ms']} | {row['page_queries']} |"
        )
    for key, label, unit, one_word, many_word in (
        ("vaccination_card", "Vaccination card (/mina-sidor/vaccinationer/)", "doses", "dose", "doses"),
        (
            "complaint_follow_up",
            "Complaint follow-up (/personal/synpunkter/uppfoljning/)",
            "complaints",
            "complaint",
            "complaints",
        ),
    ):
        row = result[key]
        counts = row[unit]
        fixed = "fixed" if row["queries"]["one"] == row["queries"]["many"] else "NOT fixed"
        lines += [
            "",
            f"**{label}**: {row['queries']['one']} queries with {counts['one']} {one_word}, "
            f"{row['queries']['many']} with {counts['many']} {many_word} ({fixed}); "
            f"the page with {counts['many']}: median {row['page_with_many']['median_ms']} ms, "
            f"p99 {row['page_with_many']['p99_ms']} ms (Django test client, no HTTP).",
        ]
    return "\n".join(lines)


def run_in_subprocess() -> dict[str, Any]:
    """For `make bench` (bench.run): a process of its own, since this one sets Django up on another database."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([common.PYTHON, "-m", "bench.help_scale", "--json", out.name], check=True, cwd=common.ROOT)
        with open(out.name, encoding="utf-8") as handle:
            return dict(json.load(handle))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--json", help="also write the result to this file")
    parser.add_argument("--docs", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args(argv)
    result = measure(args.entries, args.calls)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    print(render_markdown(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(text)
    if args.docs:
        from bench.run import update_docs

        update_docs(render_markdown(result), "help-scale")


if __name__ == "__main__":
    main()
