"""People in the admin: read-only, scoped to residents listed at the provider, every read logged (REC-1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vardnav.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin_client(client, demo_provider_admin_other):
    client.force_login(demo_provider_admin_other.user)
    return client


def _url(person):
    return reverse("admin:people_person_change", args=[person.pk])


@pytest.mark.rule("REC-1")
def test_a_provider_admin_reading_a_person_is_logged_with_the_person_as_subject(
    other_admin_client, demo_resident_b, demo_provider_admin_other
):
    before = AuditEntry.objects.filter(subject_person_id=demo_resident_b.pk, action="read").count()

    response = other_admin_client.get(_url(demo_resident_b))

    page = response.content.decode()
    assert response.status_code == 200
    assert "19830101-2384" in page or "198301012384" in page
    assert "Hassan" in page
    reads = AuditEntry.objects.filter(subject_person_id=demo_resident_b.pk, action="read")
    assert reads.count() == before + 1
    entry = reads.latest("id")
    assert entry.actor_staff_id == demo_provider_admin_other.pk
    assert entry.object_type == "people.person"


@pytest.mark.rule("REC-1")
def test_a_provider_admin_cannot_read_a_resident_listed_elsewhere(other_admin_client, demo_resident_a):
    response = other_admin_client.get(_url(demo_resident_a))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert not AuditEntry.objects.filter(subject_person_id=demo_resident_a.pk, action="read").exists()


def test_the_person_list_shows_only_residents_listed_at_the_provider_and_no_full_numbers(
    other_admin_client, demo_resident_a, demo_resident_b
):
    response = other_admin_client.get(reverse("admin:people_person_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    assert _url(demo_resident_b) in page
    assert _url(demo_resident_a) not in page
    assert "19830101-****" in page
    assert "198301012384" not in page


def test_the_person_list_finds_a_resident_by_full_personal_number(other_admin_client, demo_resident_b):
    response = other_admin_client.get(reverse("admin:people_person_changelist"), {"q": "19830101-2384"})
    assert _url(demo_resident_b) in response.content.decode()


def test_person_fields_are_read_only_in_the_admin(other_admin_client, demo_resident_b):
    response = other_admin_client.post(_url(demo_resident_b), {"given_name": "Ändrad"})
    assert response.status_code == 403
    demo_resident_b.refresh_from_db()
    assert demo_resident_b.given_name == "Ali"
