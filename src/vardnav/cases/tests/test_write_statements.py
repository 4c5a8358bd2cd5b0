"""The hot API writes cost a fixed, small number of statements (issue 13, docs/benchmarks.md).

Counted with Django's CaptureQueriesContext around one request through the test
client, after a warm-up request (the session and the audit shard heads exist).
The numbers are exact per database, so one statement more fails here; SAVEPOINT
and RELEASE belong to the test's own transaction and are not counted. On
PostgreSQL the audit entry and its chain head move in one statement, so each
write is one statement cheaper there, and a submission's or a resident message's entry rides in its
idempotency record's INSERT (core.idempotency.carry_with_record), one more. The session's activity touch (at most
every 15 seconds, identity.session) is not the write's and is not counted either.
"""

from __future__ import annotations

import itertools
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case, Message
from vardnav.core.models import IdempotencyRecord

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}
KEYS = (f"statement-key-{n:06d}" for n in itertools.count())
# A whole Person row (with the encrypted personal number) read where only ids were needed.
WHOLE_PERSON = '"people_person"."personal_number"'


def statements(request) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code in (200, 201), response.content.decode()[:500]
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", 'UPDATE "django_session"'))
    ]


def on_each_database(sqlite: int, *, carried: bool = False) -> int:
    """`carried`: the write's audit entry rides in its idempotency record's INSERT on PostgreSQL too."""
    if connection.vendor != "postgresql":
        return sqlite
    return sqlite - 2 if carried else sqlite - 1


@pytest.fixture
def resident(world):
    return log_in_client(Client(), resident_identity(world.resident_a))


@pytest.fixture
def receiver(world):
    return log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))


def submit(client: Client, world):
    return client.post(
        "/api/v1/cases",
        data=json.dumps({"service_id": world.contact.pk, "unit_id": world.unit_x.pk, "answers": ANSWERS}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=next(KEYS),
    )


@pytest.mark.rule("CASE-6")
def test_comparing_with_earlier_cases_of_other_content_costs_no_statement_more(world, resident):
    """The earlier cases' answers come with their fingerprints, encrypted, and are decrypted only
    when no fingerprint matches: the duplicate check is one query either way."""
    for n in range(3):
        other = {**ANSWERS, "details": f"Helt annan fråga nummer {n} om något annat."}
        resident.post(
            "/api/v1/cases",
            data=json.dumps({"service_id": world.contact.pk, "unit_id": world.unit_x.pk, "answers": other}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=next(KEYS),
        )
    sql = statements(lambda: submit(resident, world))
    # One fewer than a duplicate's (no flag to insert); reading the answers separately made it 12.
    assert len(sql) == on_each_database(11, carried=True), "\n".join(sql)
    assert sum('FROM "cases_case"' in q and "content_fingerprint" in q for q in sql) == 1
    newest = Case.objects.filter(subject=world.resident_a).latest("pk")
    assert newest.duplicate_of_id is None  # other content: compared, not a duplicate


@pytest.mark.rule("CASE-6")
def test_an_api_submission_with_a_key_costs_a_fixed_number_of_statements(world, resident):
    submit(resident, world)
    sql = statements(lambda: submit(resident, world))
    # No look-up of the key first (the record's insert is the check), no Person row read whole; the
    # listing comes with the person and the service with the offer (cases.access.access_submission_offer).
    assert len(sql) == on_each_database(12, carried=True), "\n".join(sql)
    assert not any(q.startswith(('SELECT "organizations_listing"', 'SELECT "catalog_service"')) for q in sql)
    assert not any("SELECT" in q and "core_idempotencyrecord" in q for q in sql)
    assert sum("INSERT INTO core_idempotencyrecord" in q for q in sql) == 1
    assert not any(WHOLE_PERSON in q for q in sql)
    assert Case.objects.filter(subject=world.resident_a).count() == 2
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.rule("CASE-6")
def test_a_resident_message_through_the_api_costs_a_fixed_number_of_statements(world, resident):
    case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=None, answers=dict(ANSWERS))

    def send():
        return resident.post(
            f"/api/v1/cases/{case.pk}/messages",
            data=json.dumps({"body": "En fråga till."}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=next(KEYS),
        )

    send()
    sql = statements(send)
    # On PostgreSQL the message's audit entry rides in the idempotency record's INSERT, as a submission's does.
    assert len(sql) == on_each_database(9, carried=True), "\n".join(sql)
    assert not any("SELECT" in q and "core_idempotencyrecord" in q for q in sql)
    assert Message.objects.filter(case=case, kind="resident_message").count() == 2


@pytest.mark.rule("REC-1")
def test_opening_a_case_through_the_staff_api_is_audited_in_a_fixed_number_of_statements(world, receiver):
    case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=dict(ANSWERS))
    receiver.get(f"/api/v1/staff/cases/{case.pk}")
    sql = statements(lambda: receiver.get(f"/api/v1/staff/cases/{case.pk}"))
    assert len(sql) == on_each_database(10), "\n".join(sql)
    # The API shows no person: neither the subject, the submitter nor a message's author is read.
    assert not any("people_person" in q for q in sql)
    assert sum("INSERT INTO audit_auditentry" in q for q in sql) == 1


@pytest.mark.rule("REC-1")
@pytest.mark.django_db(transaction=True)
def test_opening_a_case_commits_its_audit_entry_and_the_read_state_together(world, receiver):
    """Outside a test's transaction, as a request runs: the viewing's audit entry and the reader's
    read state are one transaction (one commit and its WAL flush), not one each."""
    case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=dict(ANSWERS))
    receiver.get(f"/api/v1/staff/cases/{case.pk}")
    with CaptureQueriesContext(connection) as captured:
        response = receiver.get(f"/api/v1/staff/cases/{case.pk}")
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith('UPDATE "django_session"')]
    transactions = [q for q in sql if q.upper().startswith("BEGIN")]
    assert len(transactions) == 1, "\n".join(sql)
    first, last = sql.index(transactions[0]), max(i for i, q in enumerate(sql) if "audit_auditentry" in q)
    assert any("cases_casereading" in q for q in sql[first:last]), "\n".join(sql)
