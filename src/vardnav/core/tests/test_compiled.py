"""core.compiled: a queryset compiled once returns what the ORM returns, for every bound value,
and a shape that cannot be rebound safely falls back to the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.core.compiled import CompiledValues
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
    compiled = CompiledValues(_grants, staff_id=int, role=str)
    for staff in (world.receiver_x, world.handler_x, world.unit_admin_x, world.handler_y):
        for role in ("receiver", "handler", "no-such-role"):
            values = {"staff_id": staff.pk, "role": role}
            assert compiled.rows(**values) == list(_grants(values))
    assert compiled._plans[f"default:{connection.vendor}"] is not None  # it ran compiled, not through the ORM


def test_a_value_the_orm_transforms_is_not_compiled_and_the_orm_answers(world):
    def by_prefix(v):  # startswith binds "value%", escaped: not the value itself
        return RoleGrant.objects.filter(unit__slug__startswith=v["prefix"]).order_by("id").values("id")

    compiled = CompiledValues(by_prefix, prefix=str)
    assert compiled.rows(prefix=world.unit_x.slug) == list(by_prefix({"prefix": world.unit_x.slug}))
    assert compiled.rows(prefix=world.unit_x.slug)
    assert compiled._plans[f"default:{connection.vendor}"] is None


def test_dates_are_bound_and_converted_as_the_orm_does(world):
    def due_before(v):
        return Case.objects.filter(due_at__lt=v["now"]).order_by("id").values("id", "due_at")

    compiled = CompiledValues(due_before, now=dt.datetime)
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

    compiled = CompiledValues(first_n, n=int)
    assert [row["id"] for row in compiled.rows(n=2)] == list(
        RoleGrant.objects.order_by("id").values_list("id", flat=True)[:2]
    )
    assert compiled._plans[f"default:{connection.vendor}"] is None
    assert len(compiled.rows(n=3)) == 3


def test_the_compiled_statement_is_one_query_with_the_values_bound(world):
    compiled = CompiledValues(_grants, staff_id=int, role=str)
    compiled.rows(staff_id=world.receiver_x.pk, role="")
    with CaptureQueriesContext(connection) as ctx:
        compiled.rows(staff_id=world.handler_x.pk, role="")
    assert len(ctx.captured_queries) == 1
    assert str(world.handler_x.pk) in ctx.captured_queries[0]["sql"]  # the debug cursor shows the bound value


def test_a_missing_or_extra_value_is_a_programming_error(world):
    compiled = CompiledValues(_grants, staff_id=int, role=str)
    with pytest.raises(TypeError):
        compiled.rows(staff_id=1)
