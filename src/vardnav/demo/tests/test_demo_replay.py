"""The `demo` fixture's fast replay gives exactly what loading through the actions gives."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction

from vardnav.audit.models import AuditEntry
from vardnav.audit.verify import verify_all
from vardnav.core.actor import Actor
from vardnav.demo import data
from vardnav.demo import identities as ids
from vardnav.demo.loader import load_demo
from vardnav.demo.snapshot import capture
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.staff import do_create_staff
from vardnav.organizations.models import CareProvider
from vardnav.people.access import get_person_by_personal_number

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


def test_a_replayed_demo_equals_a_loaded_one_and_keeps_working():
    savepoint = transaction.savepoint()
    report, snapshot = capture(load_demo)
    loaded = _counts()
    transaction.savepoint_rollback(savepoint)
    assert snapshot is not None and snapshot.tables_are_empty()

    assert snapshot.restore() == report

    assert _counts() == loaded
    assert get_person_by_personal_number(ids.RESIDENT_A).given_name == "Karin"
    assert not [p for r in verify_all() for p in r.problems]
    # New rows after a replay get fresh ids and extend the audit chain cleanly.
    provider = CareProvider.objects.get(slug=data.PROVIDER_SLUG)
    staff = do_create_staff(
        Actor.system(),
        provider=provider,
        hsa_id="SE2321000901-NY99",
        given_name="Ny",
        surname="Efter",
        profession="nurse",
    )
    assert staff.pk > max(s.pk for s in snapshot.rows[type(staff)])
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(staff.pk)).exists()
    assert not [p for r in verify_all() for p in r.problems]


def test_a_replay_is_not_offered_when_tables_already_held_rows():
    do_create_provider(Actor.system(), name="Region Före", slug="region-fore")
    _, snapshot = capture(load_demo)
    assert snapshot is None


def test_a_replay_after_permissions_got_new_ids_points_at_the_same_permissions():
    """What a transactional test's flush does: post_migrate makes the permissions again, under new ids."""
    from django.contrib.auth.models import Group, Permission

    savepoint = transaction.savepoint()
    _, snapshot = capture(load_demo)
    granted = {g.name: sorted(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    transaction.savepoint_rollback(savepoint)
    assert snapshot is not None and any(granted.values()), "the demo grants permissions to groups"

    renumbered = []
    for permission in Permission.objects.order_by("pk"):
        old_pk = permission.pk
        permission.delete()
        permission.pk = None
        permission.save()
        renumbered.append((old_pk, permission.pk))
    assert all(old != new for old, new in renumbered)

    assert snapshot.can_restore()
    snapshot.restore()
    assert {g.name: sorted(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()} == granted


def test_a_replay_is_not_offered_when_a_row_it_points_at_is_gone():
    from django.contrib.auth.models import Group, Permission

    savepoint = transaction.savepoint()
    _, snapshot = capture(load_demo)
    used = set(Group.permissions.through.objects.values_list("permission_id", flat=True))
    transaction.savepoint_rollback(savepoint)
    assert snapshot is not None and used

    Permission.objects.filter(pk__in=used).delete()
    assert snapshot.tables_are_empty() and not snapshot.can_restore()
