"""The platform superuser sets cut-offs and units' booking settings in the admin (BOOK-3); provider
administrators are refused there (issue 11, item 13) and keep them in the staff settings area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings.models import CancellationPolicy, CutoffCounting, UnitBookingSettings, VisitType
from vardnav.bookings.policy import cutoff_before, policy_for
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo, platform_superuser):
    """Logged into the admin as the platform superuser."""
    client.force_login(platform_superuser)
    return client


@pytest.mark.rule("BOOK-3")
def test_the_superuser_sets_the_cut_off_for_a_unit_kind_and_it_applies(
    admin_client, demo_provider_admin_other, demo_other_unit
):
    response = admin_client.post(
        reverse("admin:bookings_cancellationpolicy_add"),
        {
            "provider": demo_provider_admin_other.provider_id,
            "unit_kind": UnitKind.PRIMARY_CARE,
            "notice_hours": 48,
            "counting": CutoffCounting.HOURS,
        },
    )
    assert response.status_code == 302
    policy = CancellationPolicy.objects.get(provider_id=demo_provider_admin_other.provider_id)
    assert policy.notice_hours == 48
    starts = dt.datetime(2027, 5, 12, 10, 0, tzinfo=STOCKHOLM)
    assert cutoff_before(starts, policy_for(demo_other_unit)) == starts - dt.timedelta(hours=48)
    assert AuditEntry.objects.filter(action=AuditEvent.CANCELLATION_POLICY_SET).count() == 1


def test_a_provider_admin_cannot_set_a_policy_or_see_units_settings_in_the_admin(
    client, demo_provider_admin_other, demo_provider, demo_unit_x
):
    client.force_login(demo_provider_admin_other.user)
    response = client.post(
        reverse("admin:bookings_cancellationpolicy_add"),
        {"provider": demo_provider.pk, "unit_kind": UnitKind.PRIMARY_CARE, "notice_hours": 1, "counting": "hours"},
    )
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert not CancellationPolicy.objects.filter(provider=demo_provider).exists()
    settings = UnitBookingSettings.objects.get(unit=demo_unit_x)
    change = reverse("admin:bookings_unitbookingsettings_change", args=[settings.pk])
    assert client.get(change).status_code == 302


def test_the_superuser_adds_a_visit_type_through_the_actions(admin_client, demo_other_unit):
    response = admin_client.post(
        reverse("admin:bookings_visittype_add"),
        {
            "unit": demo_other_unit.pk,
            "kind": "doctor_visit",
            "name": "Läkarbesök",
            "duration_minutes": 30,
            "profession": "doctor",
            "minimum_age_months": 0,
            "online_bookable": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert VisitType.objects.filter(unit=demo_other_unit, name="Läkarbesök").exists()
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_TYPE_CREATE, unit_id=demo_other_unit.pk).exists()
