"""The fee schedule: fees per profession and kind of contact, dated, edited by provider admins (FEE-1)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.billing import fees
from vardnav.billing.actions import NewFee, do_add_fee
from vardnav.billing.checks import check_amount_ore
from vardnav.billing.errors import BillingError
from vardnav.billing.models import ContactKind, Fee
from vardnav.billing.tests.conftest import DOCTOR_FEE, days
from vardnav.core import clock
from vardnav.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def test_amounts_are_read_as_exact_ore_never_floats():
    assert check_amount_ore("100") == 10000
    assert check_amount_ore("87,50") == 8750
    assert check_amount_ore("0.1") == 10
    assert check_amount_ore(12345) == 12345
    for bad in ("-5", "1e3", "abc", "12,345", "", 10_000_001, True):
        with pytest.raises(DomainError) as refused:
            check_amount_ore(bad)
        assert refused.value.code is BillingError.INVALID_AMOUNT


@pytest.mark.rule("FEE-1")
def test_a_revisit_costs_what_the_visit_costs(world, schedule):
    """The schedule has no visit/revisit dimension: the same profession and contact cost the same,
    however many cases the resident sent before."""
    fee_fields = {field.name for field in Fee._meta.get_fields()}
    assert not {name for name in fee_fields if "revisit" in name or "visit_kind" in name}
    first = fees.quote(world.resident_a, world.open_service, clock.today())
    later = fees.quote(world.resident_a, world.open_service, clock.today() + days(20))
    assert first.amount_ore == later.amount_ore == DOCTOR_FEE


def test_a_new_fee_ends_the_open_one_the_day_before(world, admin, schedule):
    start = clock.today() + days(30)
    newer = do_add_fee(admin, world.provider.pk, NewFee("doctor", "digital", "250", True, start))
    old = Fee.objects.get(pk=schedule["doctor"].pk)
    assert old.valid_until == start - days(1)
    assert fees.fee_on(world.provider.pk, "doctor", "digital", start - days(1)) == old
    assert fees.fee_on(world.provider.pk, "doctor", "digital", start) == newer
    assert AuditEntry.objects.filter(action=AuditEvent.FEE_END, object_id=str(old.pk)).exists()


def test_an_overlapping_period_is_refused_and_nothing_is_saved(world, admin, schedule):
    start = clock.today() + days(30)
    do_add_fee(admin, world.provider.pk, NewFee("psychologist", "digital", "250", True, start, start + days(10)))
    count = Fee.objects.count()
    with pytest.raises(DomainError) as refused:
        do_add_fee(admin, world.provider.pk, NewFee("psychologist", "digital", "300", True, start + days(5)))
    assert refused.value.code is BillingError.FEE_PERIOD_OVERLAPS
    # An open fee cannot be split by a period inside it either: that would leave a gap after it.
    with pytest.raises(DomainError) as refused:
        do_add_fee(admin, world.provider.pk, NewFee("doctor", "digital", "300", True, start, start + days(3)))
    assert refused.value.code is BillingError.FEE_PERIOD_OVERLAPS
    assert Fee.objects.count() == count


def test_fees_cannot_start_in_the_past_for_a_provider_admin(world, admin):
    with pytest.raises(DomainError) as refused:
        do_add_fee(admin, world.provider.pk, NewFee("doctor", "digital", "100", True, clock.today() - days(1)))
    assert refused.value.code is BillingError.FEE_IN_PAST


def test_only_the_providers_own_admin_edits_its_fees(world):
    for who in (world.handler_x, world.provider_admin_other):
        with pytest.raises(PermissionDenied):
            do_add_fee(actor_for(who), world.provider.pk, NewFee("doctor", "digital", "100", True, clock.today()))
    assert not Fee.objects.exists()


def test_fees_outside_the_ceiling_are_marked_so(world, admin):
    fee = do_add_fee(admin, world.provider.pk, NewFee("doctor", "certificate", "400", False, clock.today()))
    assert fee.inside_ceiling is False


def test_the_provider_admin_adds_a_fee_on_the_staff_page(world):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    page = client.get("/personal/avgifter/ny/")
    assert page.status_code == 200
    response = client.post(
        "/personal/avgifter/ny/",
        {
            "profession": "psychologist",
            "contact_kind": ContactKind.DIGITAL,
            "amount": "150,50",
            "inside_ceiling": "on",
            "valid_from": clock.today().isoformat(),
            "submission_key": "fee-key-0001",
        },
    )
    assert response.status_code == 302
    fee = Fee.objects.get(provider=world.provider, profession="psychologist")
    assert fee.amount_ore == 15050
    listing = client.get("/personal/avgifter/").content.decode()
    assert "150,50 kr" in listing and "Psykolog" in listing


def test_a_bad_amount_gets_a_message_next_to_the_field(world):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    response = client.post(
        "/personal/avgifter/ny/",
        {
            "profession": "doctor",
            "contact_kind": "digital",
            "amount": "hundra",
            "valid_from": clock.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Skriv beloppet i kronor" in response.content.decode()
    assert not Fee.objects.exists()


def test_staff_who_are_not_admins_read_the_schedule_but_cannot_edit_it(world, schedule):
    client = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    listing = client.get("/personal/avgifter/")
    assert listing.status_code == 200
    assert "200 kr" in listing.content.decode()
    assert "/personal/avgifter/ny/" not in listing.content.decode()
    assert client.get("/personal/avgifter/ny/").status_code == 403


def test_the_admin_sets_how_a_service_is_charged_and_the_child_age_limit(world):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    url = f"/personal/avgifter/e-tjanster/{world.contact.pk}/"
    assert client.post(url, {"profession": "nurse", "contact_kind": "digital"}).status_code == 302
    assert fees.charge_for(world.contact).profession == "nurse"
    assert client.post(url, {"profession": "", "contact_kind": ""}).status_code == 302
    assert fees.charge_for(world.contact) is None
    policy = {"child_free_under_age": "20", "return_window_days": "4"}
    assert client.post("/personal/avgifter/regler/", policy).status_code == 302
    assert fees.child_free_under_age(world.provider.pk) == 20
    refused = client.post("/personal/avgifter/regler/", {**policy, "child_free_under_age": "40"})
    assert refused.status_code == 422
    assert fees.child_free_under_age(world.provider.pk) == 20


def test_staff_api_lists_and_adds_fees(world, schedule):
    admin = log_in_client(Client(), staff_identity(world.provider_admin))
    listed = admin.get("/api/v1/staff/fees").json()
    assert {row["amount_ore"] for row in listed} == {DOCTOR_FEE, 100_00}
    body = {
        "profession": "physiotherapist",
        "contact_kind": "digital",
        "amount_ore": 17500,
        "valid_from": clock.today().isoformat(),
    }
    created = admin.post("/api/v1/staff/fees", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-00000001")
    assert created.status_code == 201
    again = admin.post("/api/v1/staff/fees", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-00000001")
    assert again.json()["id"] == created.json()["id"]
    assert Fee.objects.filter(profession="physiotherapist").count() == 1
    handler = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    refused = handler.post("/api/v1/staff/fees", body, content_type="application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")


def test_the_api_schema_offers_exactly_the_models_choices():
    from typing import get_args

    from vardnav.billing.api import ContactKindCode, ProfessionCode
    from vardnav.organizations.models import Profession

    assert set(get_args(ProfessionCode)) == set(Profession.values)
    assert set(get_args(ContactKindCode)) == set(ContactKind.values)
