"""The fee on the case (FEE-2): shown before sending, set at submission with computed exemptions,
following the case to another profession with a notice and the reason on the case page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.billing.access import current_case_fee
from vardnav.billing.actions import do_change_case_profession, do_set_billing_policy, do_set_service_charge
from vardnav.billing.errors import BillingError
from vardnav.billing.models import CaseFee, Exemption
from vardnav.billing.tests.conftest import DOCTOR_FEE, MIDWIFE_FEE
from vardnav.cases.actions import do_submit_case
from vardnav.core.errors import DomainError
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Intyg", "details": "Jag behöver ett intyg."}


def submit(world, who, *, acting_for=None):
    return do_submit_case(
        actor_for(who, acting_for=acting_for), service=world.open_service, unit=world.unit_x, answers=ANSWERS
    )


def receiver(world):
    return actor_for(world.receiver_x, unit=world.unit_x, role="receiver")


@pytest.mark.rule("FEE-2")
def test_the_resident_sees_the_expected_fee_before_sending(world, schedule):
    client = log_in_client(Client(), resident_identity(world.resident_a))
    page = client.get(f"/e-tjanster/{world.unit_x.slug}/{world.open_service.pk}/")
    assert page.status_code == 200
    assert "Avgift: 200 kr." in page.content.decode()


def test_the_form_says_when_a_case_is_free(world, schedule):
    client = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))
    page = client.get(f"/e-tjanster/{world.unit_x.slug}/{world.open_service.pk}/").content.decode()
    assert "Avgift: 0 kr (avgiftsfritt för barn under 18 år)." in page


@pytest.mark.rule("FEE-2")
def test_the_case_gets_the_fee_of_the_services_profession_at_submission(world, schedule):
    case = submit(world, world.resident_a)
    fee = current_case_fee(case.pk)
    assert (fee.profession, fee.amount_ore, fee.exemption) == ("doctor", DOCTOR_FEE, Exemption.NONE)
    assert fee.fee == schedule["doctor"]
    assert AuditEntry.objects.filter(action=AuditEvent.CASE_FEE_SET, object_id=str(fee.pk)).exists()


def test_a_service_without_a_fee_gives_the_case_none(world, schedule):
    case = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS)
    assert current_case_fee(case.pk) is None


@pytest.mark.rule("FEE-2")
def test_residents_aged_85_and_over_pay_nothing(world, schedule):
    fee = current_case_fee(submit(world, world.aged_85).pk)
    assert (fee.amount_ore, fee.schedule_amount_ore, fee.exemption) == (0, DOCTOR_FEE, Exemption.AGED_85)


@pytest.mark.rule("FEE-2")
def test_children_are_free_up_to_the_providers_age_limit(world, schedule, admin):
    assert current_case_fee(submit(world, world.child_17).pk).exemption == Exemption.CHILD
    do_set_billing_policy(admin, world.provider.pk, child_free_under_age=16)
    seventeen = current_case_fee(submit(world, world.child_17).pk)
    assert (seventeen.amount_ore, seventeen.exemption) == (DOCTOR_FEE, Exemption.NONE)
    fourteen = current_case_fee(submit(world, world.guardian, acting_for=world.child_14).pk)
    assert (fourteen.amount_ore, fourteen.exemption) == (0, Exemption.CHILD)


@pytest.mark.rule("FEE-2")
def test_the_fee_follows_the_case_to_another_profession_and_the_resident_is_told_why(world, schedule):
    case = submit(world, world.resident_a)
    moved = do_change_case_profession(receiver(world), case, profession="nurse")
    assert (moved.amount_ore, moved.exemption) == (0, Exemption.NO_FEE_FOR_PROFESSION)
    assert CaseFee.objects.filter(case=case).count() == 2  # the first fee is kept: nothing is edited
    notice = Notice.objects.get(person=world.resident_a, kind=NoticeKind.FEE_CHANGED)
    assert notice.text == "Avgiften för ett ärende har ändrats."
    client = log_in_client(Client(), resident_identity(world.resident_a))
    page = client.get(f"/arenden/{case.pk}/").content.decode()
    assert "Avgiften ändrades från 200 kr till 0 kr eftersom ärendet flyttades från läkare till sjuksköterska." in page
    back = do_change_case_profession(receiver(world), case, profession="midwife")
    assert back.amount_ore == 100_00


def test_the_fee_notice_says_nothing_of_the_care(world, schedule):
    world.resident_a.email = "anna@example.se"
    world.resident_a.save()
    case = submit(world, world.resident_a)
    do_change_case_profession(receiver(world), case, profession="nurse")
    for message in OutgoingMessage.objects.all():
        text = f"{message.subject} {message.body}".lower()
        assert "intyg" not in text and "sjuksköterska" not in text and "kr" not in text.split()


def test_a_guardian_hears_about_the_childs_fee_and_the_protected_stays_in_app(world, schedule, admin):
    do_set_billing_policy(admin, world.provider.pk, child_free_under_age=0)
    case = submit(world, world.guardian, acting_for=world.child_14)
    do_change_case_profession(receiver(world), case, profession="nurse")
    notice = Notice.objects.get(kind=NoticeKind.FEE_CHANGED)
    assert notice.person == world.guardian and "ditt barn" in notice.text


def test_moving_to_the_same_profession_or_a_free_or_closed_case_is_refused(world, schedule):
    case = submit(world, world.resident_a)
    with pytest.raises(DomainError) as refused:
        do_change_case_profession(receiver(world), case, profession="doctor")
    assert refused.value.code is BillingError.SAME_PROFESSION
    free = do_submit_case(actor_for(world.resident_a), service=world.contact, unit=world.unit_x, answers=ANSWERS)
    with pytest.raises(DomainError) as refused:
        do_change_case_profession(receiver(world), free, profession="nurse")
    assert refused.value.code is BillingError.CASE_HAS_NO_FEE
    assert CaseFee.objects.filter(case=case).count() == 1


def test_staff_move_the_case_on_its_fee_page(world, schedule):
    case = submit(world, world.resident_a)
    client = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    detail = client.get(f"/personal/arenden/{case.pk}/").content.decode()
    assert f"/personal/arenden/{case.pk}/avgift/" in detail
    page = client.get(f"/personal/arenden/{case.pk}/avgift/")
    assert page.status_code == 200 and "200 kr" in page.content.decode()
    response = client.post(
        f"/personal/arenden/{case.pk}/avgift/", {"profession": "nurse", "submission_key": "move-0001"}
    )
    assert response.status_code == 302
    assert current_case_fee(case.pk).amount_ore == 0
    other = log_in_client(Client(), staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    assert other.get(f"/personal/arenden/{case.pk}/avgift/").status_code == 404


def test_the_api_gives_the_quote_my_fees_and_the_change(world, schedule):
    case = submit(world, world.resident_a)
    resident = log_in_client(Client(), resident_identity(world.resident_a))
    quote = resident.get(f"/api/v1/me/fees/quote?service_id={world.open_service.pk}&unit_id={world.unit_x.pk}").json()
    assert (quote["amount_ore"], quote["profession"]) == (DOCTOR_FEE, "doctor")
    assert [row["case_number"] for row in resident.get("/api/v1/me/fees").json()] == [case.number]
    staff = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    moved = staff.post(
        f"/api/v1/staff/cases/{case.pk}/fee/profession", {"profession": "nurse"}, content_type="application/json"
    )
    assert moved.status_code == 201 and moved.json()["amount_ore"] == 0
    history = resident.get(f"/api/v1/me/cases/{case.pk}/fee").json()
    assert [row["amount_ore"] for row in history["history"]] == [DOCTOR_FEE, 0]
    assert resident.get("/api/v1/me/cases/999999/fee").status_code == 404


def test_my_fees_page_lists_each_case_with_a_fixed_number_of_queries(world, schedule):
    from tests.queries import assert_same_query_count

    client = log_in_client(Client(), resident_identity(world.resident_a))

    submit(world, world.resident_a)

    def many() -> None:
        for _ in range(3):
            do_submit_case(
                actor_for(world.resident_a),
                service=world.open_service,
                unit=world.unit_x,
                answers={"subject": "Annat", "details": f"Ett annat intyg nummer {_}."},
            )

    assert_same_query_count(lambda: client.get("/mina-sidor/avgifter/"), many)
    assert "200 kr" in client.get("/mina-sidor/avgifter/").content.decode()


@pytest.mark.rule("FEE-2")
def test_a_change_of_the_services_charge_counts_from_the_next_submission(world, schedule, admin):
    """The charge is read with the submission's offer (issue 13), on the API's path and do_submit_case's,
    not cached: every change counts at once."""
    client = log_in_client(Client(), resident_identity(world.resident_a))

    def api_fee(key: str) -> CaseFee | None:
        response = client.post(
            "/api/v1/cases",
            data=json.dumps({"service_id": world.open_service.pk, "unit_id": world.unit_x.pk, "answers": ANSWERS}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert response.status_code == 201, response.content.decode()[:500]
        return current_case_fee(response.json()["id"])

    assert api_fee("charge-change-0001").profession == "doctor"
    do_set_service_charge(admin, world.open_service, profession="midwife", contact_kind="digital")
    assert api_fee("charge-change-0002").amount_ore == MIDWIFE_FEE
    assert current_case_fee(submit(world, world.resident_a).pk).profession == "midwife"
    do_set_service_charge(admin, world.open_service, profession=None)
    assert api_fee("charge-change-0003") is None
    assert current_case_fee(submit(world, world.resident_a).pk) is None
