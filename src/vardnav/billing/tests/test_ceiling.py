"""The cost ceiling and frikort (FEE-3): dated ceiling, 12 months from the first paid visit, the last
fee cut, siblings sharing one ceiling, a frikort making visits free, cards entered by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.billing.access import current_case_fee
from vardnav.billing.actions import NewFreeCard, do_decide_free_card, do_enter_free_card
from vardnav.billing.efrikort import LocalEFrikort, ceiling_on, one_period_end
from vardnav.billing.errors import BillingError
from vardnav.billing.models import CeilingCharge, CeilingPeriod, CeilingScope, Exemption, FeeReason, FreeCard
from vardnav.billing.tests.conftest import DOCTOR_FEE
from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
from vardnav.core import clock
from vardnav.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

CEILING_2026 = 145000
ANSWERS = {"subject": "Intyg", "details": "Jag behöver ett intyg."}


def test_the_ceiling_is_dated_configuration():
    assert ceiling_on(dt.date(2024, 6, 1)) == 140000
    assert ceiling_on(dt.date(2025, 3, 1)) == 145000
    assert ceiling_on(dt.date(2026, 1, 1)) == CEILING_2026
    assert ceiling_on(dt.date(2020, 1, 1)) == 140000  # before the configuration: the earliest figure, never an error


def test_the_period_is_twelve_months_from_the_first_paid_visit():
    assert one_period_end(dt.date(2026, 4, 25)) == dt.date(2027, 4, 24)
    assert one_period_end(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


@pytest.mark.rule("FEE-3")
def test_the_last_fee_is_cut_and_then_visits_are_free(world):
    service = LocalEFrikort()
    day = dt.date(2026, 4, 25)
    paid = [
        service.register_fee(world.resident_a, world.resident_a, day, 40000, reference=f"r{n}", case_id=None)
        for n in range(4)
    ]
    assert [each.charged_ore for each in paid] == [40000, 40000, 40000, 25000]
    assert paid[-1].card_issued
    later = service.register_fee(
        world.resident_a, world.resident_a, day + dt.timedelta(days=30), 20000, reference="r5", case_id=None
    )
    assert later.charged_ore == 0
    status = service.status(world.resident_a, world.resident_a, dt.date(2027, 4, 24))
    assert status.has_free_card and status.period_ends_on == dt.date(2027, 4, 24)
    after = service.status(world.resident_a, world.resident_a, dt.date(2027, 4, 25))
    assert not after.has_free_card and after.paid_ore == 0


def test_a_registration_is_counted_once_per_reference(world):
    service = LocalEFrikort()
    for _ in range(2):
        service.register_fee(
            world.resident_a, world.resident_a, dt.date(2026, 5, 1), 20000, reference="case-1", case_id=None
        )
    assert CeilingPeriod.objects.get().paid_ore == 20000


@pytest.mark.rule("FEE-3")
def test_children_of_one_guardian_share_one_ceiling_and_keep_it_past_18(world):
    service = LocalEFrikort()
    day = dt.date(2026, 5, 1)
    service.register_fee(world.child_8, world.guardian, day, 100000, reference="c8", case_id=None)
    second = service.register_fee(world.child_14, world.guardian, day, 100000, reference="c14", case_id=None)
    assert second.charged_ore == CEILING_2026 - 100000
    period = CeilingPeriod.objects.get()
    assert (period.holder, period.scope, period.paid_ore) == (world.guardian, CeilingScope.CHILDREN, CEILING_2026)


@pytest.mark.rule("FEE-3")
def test_a_child_who_turns_18_stays_in_the_siblings_ceiling(world):
    service = LocalEFrikort()
    eighteenth = world.child_17.birth_date.replace(year=world.child_17.birth_date.year + 18)
    service.register_fee(
        world.child_17, world.guardian, eighteenth - dt.timedelta(days=10), 10000, reference="a", case_id=None
    )
    later = eighteenth + dt.timedelta(days=5)
    adult = service.status(world.child_17, world.child_17, later)
    assert (adult.scope, adult.holder_id, adult.paid_ore) == (CeilingScope.CHILDREN, world.guardian.pk, 10000)
    service.register_fee(world.child_17, world.child_17, later, 20000, reference="b", case_id=None)
    period = CeilingPeriod.objects.get()
    assert (period.holder, period.paid_ore) == (world.guardian, 30000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    visits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=800), st.integers(min_value=0, max_value=60000)),
        min_size=1,
        max_size=25,
    )
)
@pytest.mark.rule("FEE-3")
def test_property_the_ceiling_is_never_passed_and_sums_are_exact(world, visits):
    """Random visits (days after a start, fee in öre): in every period the charged sum never passes
    the ceiling, no fee is raised, once the ceiling is reached nothing more is charged, and the
    period's sum is exactly the sum of its charges."""
    CeilingCharge.objects.all().delete()
    CeilingPeriod.objects.all().delete()
    service = LocalEFrikort()
    start = dt.date(2026, 1, 1)
    results = []
    for n, (offset, fee) in enumerate(sorted(visits)):
        day = start + dt.timedelta(days=offset)
        results.append(
            (
                day,
                fee,
                service.register_fee(world.resident_a, world.resident_a, day, fee, reference=f"p{n}", case_id=None),
            )
        )
    for period in CeilingPeriod.objects.all():
        charges = list(period.charges.all())
        assert sum(c.charged_ore for c in charges) == period.paid_ore <= period.ceiling_ore
        assert all(period.starts_on <= c.day <= period.ends_on for c in charges)
        assert period.ends_on == one_period_end(period.starts_on)
        reached = False
        for charge in charges:
            assert 0 <= charge.charged_ore <= charge.fee_ore
            if reached:
                assert charge.charged_ore == 0
            running = sum(c.charged_ore for c in charges if (c.day, c.pk) <= (charge.day, charge.pk))
            # The fee is cut only to the ceiling: anything less than the full fee means it was reached.
            if charge.charged_ore < charge.fee_ore:
                assert running == period.ceiling_ore
            reached = reached or running == period.ceiling_ore
    # A period starts only at a paid visit: the first charge of each period is paid.
    for period in CeilingPeriod.objects.all():
        assert period.charges.order_by("day", "pk").first().charged_ore > 0
    assert all(r.charged_ore <= fee for _, fee, r in results)


def _close(world, case):
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    do_distribute_case(receiver, case, handler=world.handler_x)
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    return do_close_case(handler, case, outcome="answered")


@pytest.mark.rule("FEE-3")
def test_closing_a_case_charges_it_through_the_ceiling_and_a_frikort_makes_it_free(world, schedule):
    def submit():
        return do_submit_case(
            actor_for(world.resident_a), service=world.open_service, unit=world.unit_x, answers=ANSWERS
        )

    LocalEFrikort().register_fee(
        world.resident_a, world.resident_a, clock.today(), CEILING_2026 - 5000, reference="elsewhere", case_id=None
    )
    first = submit()
    assert current_case_fee(first.pk).amount_ore == 5000  # the expected fee already shows the cut
    _close(world, first)
    charged = current_case_fee(first.pk)
    assert (charged.reason, charged.amount_ore, charged.schedule_amount_ore) == (FeeReason.CHARGED, 5000, DOCTOR_FEE)
    second = submit()
    assert (current_case_fee(second.pk).amount_ore, current_case_fee(second.pk).exemption) == (0, Exemption.FREE_CARD)
    _close(world, second)
    assert current_case_fee(second.pk).amount_ore == 0


def _card(world, **overrides):
    today = clock.today()
    values = {
        "provider_id": world.provider.pk,
        "card_number": "123456",
        "issuer": "Region Gotland",
        "valid_from": today - dt.timedelta(days=30),
        "valid_until": today + dt.timedelta(days=300),
    }
    return NewFreeCard(**{**values, **overrides})


@pytest.mark.rule("FEE-3")
def test_a_hand_entered_frikort_counts_only_once_staff_confirm_it(world, schedule, admin):
    card = do_enter_free_card(actor_for(world.resident_a), _card(world))

    def submit():
        return do_submit_case(
            actor_for(world.resident_a), service=world.open_service, unit=world.unit_x, answers=ANSWERS
        )

    assert current_case_fee(submit().pk).amount_ore == DOCTOR_FEE
    with pytest.raises(PermissionDenied):
        do_decide_free_card(actor_for(world.handler_x), card, confirm=True)
    do_decide_free_card(admin, card, confirm=True)
    free = current_case_fee(submit().pk)
    assert (free.amount_ore, free.exemption) == (0, Exemption.FREE_CARD)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"card_number": "12"}, BillingError.INVALID_CARD_NUMBER),
        ({"card_number": "12 34!"}, BillingError.INVALID_CARD_NUMBER),
        ({"issuer": ""}, BillingError.INVALID_ISSUER),
        ({"valid_until": dt.date(2020, 1, 1), "valid_from": dt.date(2019, 6, 1)}, BillingError.CARD_EXPIRED),
        ({"valid_from": dt.date(2020, 1, 1)}, BillingError.INVALID_CARD_PERIOD),
    ],
)
def test_a_hand_entered_frikort_that_does_not_validate_gets_a_clear_message(world, overrides, code):
    with pytest.raises(DomainError) as refused:
        do_enter_free_card(actor_for(world.resident_a), _card(world, **overrides))
    assert refused.value.code is code
    assert not FreeCard.objects.exists()


def test_the_resident_sees_the_ceiling_and_enters_a_card_on_the_page(world, schedule):
    LocalEFrikort().register_fee(world.resident_a, world.resident_a, clock.today(), 30000, reference="x1", case_id=None)
    client = log_in_client(Client(), resident_identity(world.resident_a))
    page = client.get("/mina-sidor/hogkostnadsskydd/").content.decode()
    assert "1\u00a0450 kr" in page and "300 kr" in page and "1\u00a0150 kr" in page
    today = clock.today()
    bad = client.post(
        "/mina-sidor/hogkostnadsskydd/",
        {
            "provider": world.provider.pk,
            "card_number": "x",
            "issuer": "Region Gotland",
            "valid_from": today.isoformat(),
            "valid_until": today.isoformat(),
        },
    )
    assert bad.status_code == 422 and "Skriv frikortets nummer som det står på kortet" in bad.content.decode()
    good = client.post(
        "/mina-sidor/hogkostnadsskydd/",
        {
            "provider": world.provider.pk,
            "card_number": "FK-998877",
            "issuer": "Region Gotland",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=100)).isoformat(),
            "submission_key": "card-00001",
        },
    )
    assert good.status_code == 302
    assert FreeCard.objects.get().card_number == "FK-998877"
    staff = log_in_client(Client(), staff_identity(world.provider_admin))
    queue = staff.get("/personal/avgifter/frikort/")
    assert queue.status_code == 200 and "FK-998877" in queue.content.decode()
    card = FreeCard.objects.get()
    assert staff.post(f"/personal/avgifter/frikort/{card.pk}/", {"decision": "confirm"}).status_code == 302
    card.refresh_from_db()
    assert card.status == "confirmed"
    handler = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert handler.get("/personal/avgifter/frikort/").status_code == 403


def test_the_ceiling_api(world, schedule):
    LocalEFrikort().register_fee(world.resident_a, world.resident_a, clock.today(), 30000, reference="x1", case_id=None)
    client = log_in_client(Client(), resident_identity(world.resident_a))
    body = client.get("/api/v1/me/cost-ceiling").json()
    assert (body["ceiling_ore"], body["paid_ore"], body["remaining_ore"]) == (CEILING_2026, 30000, CEILING_2026 - 30000)
    today = clock.today()
    created = client.post(
        "/api/v1/me/free-cards",
        {
            "provider_id": world.provider.pk,
            "card_number": "55667788",
            "issuer": "Region Gotland",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=10)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    admin = log_in_client(Client(), staff_identity(world.provider_admin))
    queue = admin.get("/api/v1/staff/free-cards").json()
    assert [row["card_number"] for row in queue] == ["55667788"]
    decided = admin.post(
        f"/api/v1/staff/free-cards/{queue[0]['id']}/decision", {"decision": "reject"}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"
