"""core.compiled: a queryset compiled once returns what the ORM returns, for every bound value,
and a shape that cannot be rebound safely falls back to the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.core.compiled import CompiledQuery
from vardnav.organizations.models import RoleGrant

pytestmark = pytest.mark.django_db


def _grants(v):
    return (
        RoleGrant.objects.filter(staff_id=v["staff_id"])
        .exclude(role=v["role"])
        .order_by("role")
        .values("role", "unit_id")
    )


def test_a_compiled_queryset_returns_what_the_orm_returns_for_each_binding(world):
    compiled = CompiledQuery(_grants, staff_id=int, role=str)
    for staff in (world.receiver_x, world.handler_x, world.unit_admin_x, world.handler_y):
        for role in ("receiver", "handler", "no-such-role"):
            values = {"staff_id": staff.pk, "role": role}
            assert compiled.rows(**values) == list(_grants(values))
    assert compiled._plans[f"default:{connection.vendor}"] is not None  # it ran compiled, not through the ORM


def test_a_value_the_orm_transforms_is_not_compiled_and_the_orm_answers(world):
    def by_prefix(v):  # startswith binds "value%", escaped: not the value itself
        return RoleGrant.objects.filter(unit__slug__startswith=v["prefix"]).order_by("id").values("id")

    compiled = CompiledQuery(by_prefix, prefix=str)
    assert compiled.rows(prefix=world.unit_x.slug) == list(by_prefix({"prefix": world.unit_x.slug}))
    assert compiled.rows(prefix=world.unit_x.slug)
    assert compiled._plans[f"default:{connection.vendor}"] is None


def test_dates_are_bound_and_converted_as_the_orm_does(world):
    def due_before(v):
        return Case.objects.filter(due_at__lt=v["now"]).order_by("id").values("id", "due_at")

    compiled = CompiledQuery(due_before, now=dt.datetime)
    from tests.personas import actor_for
    from vardnav.cases.actions import do_submit_case

    for n in range(3):
        do_submit_case(
            actor_for(world.resident_a),
            service=world.contact,
            unit=None,
            answers={"subject": "Fråga", "details": f"Fråga {n}"},
        )
    for offset in (-1, 1, 30):
        now = clock.now() + dt.timedelta(days=offset)
        rows = compiled.rows(now=now)
        assert rows == list(due_before({"now": now}))
        assert all(isinstance(row["due_at"], dt.datetime) and row["due_at"].tzinfo is not None for row in rows)
    assert compiled.rows(now=clock.now() + dt.timedelta(days=30))  # not vacuous: there are cases due by then


def test_a_value_the_sql_would_inline_is_not_compiled_and_the_orm_answers(world):
    def first_n(v):
        return RoleGrant.objects.order_by("id").values("id")[: v["n"]]  # a slice is inlined as LIMIT n

    compiled = CompiledQuery(first_n, n=int)
    assert [row["id"] for row in compiled.rows(n=2)] == list(
        RoleGrant.objects.order_by("id").values_list("id", flat=True)[:2]
    )
    assert compiled._plans[f"default:{connection.vendor}"] is None
    assert len(compiled.rows(n=3)) == 3


def test_the_compiled_statement_is_one_query_with_the_values_bound(world):
    compiled = CompiledQuery(_grants, staff_id=int, role=str)
    compiled.rows(staff_id=world.receiver_x.pk, role="")
    with CaptureQueriesContext(connection) as ctx:
        compiled.rows(staff_id=world.handler_x.pk, role="")
    assert len(ctx.captured_queries) == 1
    assert str(world.handler_x.pk) in ctx.captured_queries[0]["sql"]  # the debug cursor shows the bound value


def test_a_missing_or_extra_value_is_a_programming_error(world):
    compiled = CompiledQuery(_grants, staff_id=int, role=str)
    with pytest.raises(TypeError):
        compiled.rows(staff_id=1)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_model_instances_come_back_as_the_orm_builds_them_with_related_annotations_and_prefetches(world):
    from django.db.models import F

    from tests.personas import actor_for
    from vardnav.cases.actions import do_submit_case

    first = do_submit_case(
        actor_for(world.resident_a), service=world.contact, unit=None, answers={"subject": "A", "details": "Första"}
    )
    again = do_submit_case(
        actor_for(world.resident_a), service=world.contact, unit=None, answers={"subject": "A", "details": "Första"}
    )
    assert again.duplicate_of_id == first.pk and again.flags.exists()

    def case(v):
        return (
            Case.objects.filter(pk=v["case_id"])
            .select_related("service", "unit__provider")
            .annotate(duplicate_number=F("duplicate_of__number"))
            .prefetch_related("flags")
            .order_by("pk")[:1]
        )

    compiled = CompiledQuery(case, case_id=int)
    for pk in (first.pk, again.pk):
        got, expected = compiled.first(case_id=pk), case({"case_id": pk})[0]
        assert _fields(got) == _fields(expected)
        assert _fields(got.service) == _fields(expected.service)
        assert _fields(got.unit.provider) == _fields(expected.unit.provider)
        assert got.duplicate_number == expected.duplicate_number
        with CaptureQueriesContext(connection) as ctx:  # loaded already: no query
            assert [f.code for f in got.flags.all()] == [f.code for f in expected.flags.all()]
            assert got.service.name and got.unit.provider.name
        assert ctx.captured_queries == []
    assert compiled.first(case_id=10**9) is None
    assert compiled._plans[f"default:{connection.vendor}"] is not None


def test_deferred_fields_stay_deferred(world):
    from vardnav.people.models import Person

    compiled = CompiledQuery(lambda v: Person.objects.only("id", "birth_date").filter(pk=v["id"])[:1], id=int)
    person = compiled.first(id=world.resident_a.pk)
    assert person.birth_date == world.resident_a.birth_date
    assert "personal_number" in person.get_deferred_fields()


def test_a_list_of_ids_is_compiled_per_length_and_a_long_one_goes_through_the_orm(world):
    from vardnav.core.compiled import CompiledForIds

    grants = list(RoleGrant.objects.order_by("id").values_list("id", flat=True))
    assert len(grants) >= 4

    def build(v, ids):
        return RoleGrant.objects.filter(id__in=ids).exclude(role=v["role"]).order_by("id").values("id", "role")

    compiled = CompiledForIds(build, max_ids=3, role=str)
    for ids in (grants[:1], grants[:3], grants[1:3], grants[:4]):
        assert compiled.rows(ids, role="x") == list(build({"role": "x"}, ids))
    assert sorted(compiled._by_length) == [1, 2, 3]  # four ids went through the ORM


def test_an_id_out_of_the_columns_range_finds_nothing_as_the_orm_does(world):
    compiled = CompiledQuery(lambda v: Case.objects.filter(pk=v["case_id"]).order_by("pk")[:1], case_id=int)
    assert compiled.first(case_id=2**70) is None
    assert compiled.first(case_id=-(2**70)) is None
    assert compiled.objects(case_id=2**64) == []


def test_a_compiled_insert_stores_rows_as_the_orm_does_and_sends_the_save_signals(world):
    """CompiledInsert bypasses Model.save: the rows, the instances and the signals must still be the ORM's."""
    from django.db.models.signals import post_save, pre_save

    from vardnav.cases.models import CaseFlag
    from vardnav.core.compiled import CompiledInsert

    case = Case.objects.create(
        number="TEST-0001",
        provider=world.provider,
        unit=world.unit_x,
        service=world.contact,
        questionnaire=world.contact.questionnaires.get(),
        subject=world.resident_a,
        submitted_by=world.resident_a,
        answers={"subject": "x"},
        routed_role="receiver",
        submitted_at=clock.now(),
        due_at=clock.now(),
        last_activity_at=clock.now(),
        content_fingerprint="f",
    )
    seen: list[tuple[str, str, bool]] = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", instance.code, instance._state.adding))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", instance.code, created and not instance._state.adding))

    pre_save.connect(pre, sender=CaseFlag)
    post_save.connect(post, sender=CaseFlag)
    try:
        flags = [CaseFlag(case=case, code="a"), CaseFlag(case=case, code="b")]
        CompiledInsert(CaseFlag).insert(flags)
    finally:
        pre_save.disconnect(pre, sender=CaseFlag)
        post_save.disconnect(post, sender=CaseFlag)
    assert seen == [("pre", "a", True), ("pre", "b", True), ("post", "a", True), ("post", "b", True)]
    assert {flag.pk: flag.code for flag in flags} == dict(CaseFlag.objects.values_list("pk", "code"))

    number_taken = CompiledInsert(Case, conflict_field="number")
    again = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if not f.primary_key})
    number_taken.insert([again])
    assert again.pk is None and again._state.adding  # the taken number: nothing inserted, no error
    assert Case.objects.count() == 1
    with pytest.raises(TypeError, match="not a unique column"):
        CompiledInsert(Case, conflict_field="status")
