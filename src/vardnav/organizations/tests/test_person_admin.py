"""People in the admin: the platform superuser's only (issue 11, item 13), read-only, every read logged (REC-1).
A provider administrator sees the residents listed at their units in the settings area
(test_settings_admin_pages.py), with masked personal numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import SYSTEM
from vardnav.audit.models import AuditEntry
from vardnav.organizations.actions.listings import do_list_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, platform_superuser):
    """Logged into the admin as the platform superuser."""
    client.force_login(platform_superuser)
    return client


@pytest.fixture
def listed_elsewhere(aged_85, other_unit):
    """A resident listed at the other provider's unit."""
    do_list_person(SYSTEM, aged_85, other_unit)
    return aged_85


def _url(person):
    return reverse("admin:people_person_change", args=[person.pk])


@pytest.mark.rule("REC-1")
def test_a_superuser_reading_a_person_is_logged_with_the_person_as_subject(
    admin_client, resident_b, platform_superuser
):
    before = AuditEntry.objects.filter(subject_person_id=resident_b.pk, action="read").count()

    response = admin_client.get(_url(resident_b))

    page = response.content.decode()
    assert response.status_code == 200
    assert "19830101-2384" in page or "198301012384" in page
    assert "Hassan" in page
    reads = AuditEntry.objects.filter(subject_person_id=resident_b.pk, action="read")
    assert reads.count() == before + 1
    entry = reads.latest("id")
    assert entry.actor_user_id == platform_superuser.pk
    assert entry.object_type == "people.person"


@pytest.mark.rule("REC-1")
def test_a_provider_admin_cannot_read_a_person_in_the_admin(client, provider_admin, listed_elsewhere):
    client.force_login(provider_admin.user)
    response = client.get(_url(listed_elsewhere))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not AuditEntry.objects.filter(subject_person_id=listed_elsewhere.pk, action="read").exists()


def test_the_person_list_shows_no_full_numbers(admin_client, listed_elsewhere, resident_b):
    response = admin_client.get(reverse("admin:people_person_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    assert _url(resident_b) in page and _url(listed_elsewhere) in page
    assert "19830101-****" in page
    assert "198301012384" not in page


def test_the_person_list_finds_a_resident_by_full_personal_number(admin_client, resident_b):
    response = admin_client.get(reverse("admin:people_person_changelist"), {"q": "19830101-2384"})
    assert _url(resident_b) in response.content.decode()


def test_person_fields_are_read_only_in_the_admin(admin_client, resident_b):
    response = admin_client.post(_url(resident_b), {"given_name": "Ändrad"})
    assert response.status_code == 403
    resident_b.refresh_from_db()
    assert resident_b.given_name == "Ali"
