"""Admin changes by a platform superuser are audited with the acting user, never as "system"."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.audit.verify import verify_all
from vardnav.demo import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(demo):
    return get_user_model().objects.get(username=data.PLATFORM_ADMIN_USERNAME)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def _latest(action: AuditEvent) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def test_a_superuser_creating_changing_and_deleting_a_group_is_audited_as_that_user(superuser_client, superuser):
    added = superuser_client.post(reverse("admin:auth_group_add"), {"name": "Granskare"})
    assert added.status_code == 302
    group = Group.objects.get(name="Granskare")
    changed = superuser_client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Loggranskare"})
    assert changed.status_code == 302
    deleted = superuser_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert deleted.status_code == 302

    for event in (AuditEvent.ADMIN_GROUP_CREATE, AuditEvent.ADMIN_GROUP_UPDATE, AuditEvent.ADMIN_GROUP_DELETE):
        entry = _latest(event)
        assert entry is not None, event
        assert (entry.actor_kind, entry.actor_user_id) == ("superuser", superuser.pk)
        assert entry.object_type == "auth.group" and entry.object_id == str(group.pk)
    assert _latest(AuditEvent.ADMIN_GROUP_UPDATE).extra == {"changed_without_values": ["name"]}
    assert [p for report in verify_all() for p in report.problems] == []  # the new column is in the chain


def test_a_superuser_changing_a_user_is_audited_with_field_names_only(superuser_client, superuser):
    user = get_user_model().objects.create_user("granskare", email="granskare@example.se")
    form = {
        "username": "granskare",
        "email": "ny.adress@example.se",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = superuser_client.post(reverse("admin:auth_user_change", args=[user.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = _latest(AuditEvent.ADMIN_USER_UPDATE)
    assert (entry.actor_kind, entry.actor_user_id) == ("superuser", superuser.pk)
    assert "ny.adress" not in str(entry.extra) and entry.extra["changed_without_values"]


def test_a_superuser_reading_a_person_in_the_admin_is_logged_as_that_superuser(superuser_client, superuser, resident_b):
    before = AuditEntry.objects.count()
    page = superuser_client.get(reverse("admin:people_person_change", args=[resident_b.pk]))
    assert page.status_code == 200

    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.actor_kind, entry.actor_user_id) == ("read", "superuser", superuser.pk)
    assert entry.subject_person_id == resident_b.pk
