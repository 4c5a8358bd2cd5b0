"""The case row as the submission path writes it: prebuilt SQL, no savepoint (issue 13).

Why these tests: the case, its submission message and its flags are inserted with SQL
built once from the models (core.compiled.CompiledInsert) instead of the ORM, and a
taken case number is drawn again after an `ON CONFLICT DO NOTHING` instead of an
IntegrityError inside a savepoint. What the rows hold, and what the caller gets back,
must stay what the ORM gave.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from vardnav.cases import actions
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case, CaseFlag, Message, MessageKind

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def submit(world, answers=ANSWERS):
    return do_submit_case(world.resident(world.resident_a), service=world.contact, unit=None, answers=dict(answers))


def numbers(monkeypatch, *drawn: str) -> None:
    """The random draw replaced by a fixed sequence (the randomness, not the insert, is what is fixed)."""
    it = iter(drawn)
    monkeypatch.setattr(actions, "_new_number", lambda: next(it))


def test_a_taken_case_number_is_drawn_again_and_the_transaction_goes_on(world, monkeypatch):
    first = submit(world)
    numbers(monkeypatch, first.number, first.number, "ZZZZ-0001")
    second = submit(world, {"subject": "Något annat", "details": "Helt annat innehåll här."})
    assert second.number == "ZZZZ-0001"
    assert Case.objects.get(pk=second.pk).number == "ZZZZ-0001"
    # The transaction was never aborted: the rest of the submission was written after the collisions.
    assert Message.objects.filter(case=second, kind=MessageKind.SUBMISSION).count() == 1
    assert Case.objects.filter(number=first.number).count() == 1


def test_a_number_that_cannot_be_drawn_unique_refuses_the_submission_and_stores_nothing(world, monkeypatch):
    first = submit(world)
    numbers(monkeypatch, *[first.number] * actions.NUMBER_DRAWS)
    # In a savepoint of its own: the refusal rolls back the submission's transaction, as a request's would be.
    with pytest.raises(RuntimeError, match="unique case number"), transaction.atomic():
        submit(world, {"subject": "Något annat", "details": "Helt annat innehåll här."})
    assert Case.objects.count() == 1
    assert Message.objects.count() == 1


def test_the_returned_case_is_the_saved_row_as_the_orm_would_give_it(world):
    first = submit(world)
    case = submit(world)  # the same answers: a probable duplicate, with a flag (CASE-6)
    assert case.pk is not None and not case._state.adding and case._state.db == "default"
    stored = Case.objects.get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        assert getattr(case, field.attname) == getattr(stored, field.attname), field.name
    assert stored.answers == ANSWERS  # decrypted from what was written
    assert case.duplicate_of_id == first.pk
    assert stored.status == "new" and stored.staff_unread and not stored.resident_unread
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM cases_case WHERE id = %s", [case.pk])
        (raw,) = cursor.fetchone()
    assert "provsvar" not in str(raw)  # stored encrypted, as the ORM stores it
    message = Message.objects.get(case=case)
    assert (message.kind, message.author_person_id, message.body, message.form_answers) == (
        MessageKind.SUBMISSION,
        world.resident_a.pk,
        "",
        None,
    )
    assert message.created_at == stored.submitted_at
    flags = list(CaseFlag.objects.filter(case=case).values_list("code", flat=True))
    assert flags == ["probable_duplicate"]
