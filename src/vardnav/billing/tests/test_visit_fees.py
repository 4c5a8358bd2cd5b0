"""Digital visits are charged by the profession that handles them (FEE-1, FEE-2, VISIT-6), a return in
the same case within the provider's window is free (VISIT-4), and the region's e-frikort flag decides
whether a frikort is fetched or entered by hand (FEE-3)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
import time_machine
from django.test import Client

from tests.personas import SYSTEM, actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.billing.access import current_case_fee, providers_for_cards
from vardnav.billing.actions import (
    NewFee,
    NewFreeCard,
    do_add_fee,
    do_decide_free_card,
    do_enter_free_card,
    do_set_billing_policy,
)
from vardnav.billing.errors import BillingError
from vardnav.billing.hooks import BillingCaseExtension
from vardnav.billing.invoicing import run_billing
from vardnav.billing.models import CaseFee, CeilingCharge, Exemption, FeeReason, Invoice, ReturnWindow
from vardnav.cases.actions import do_close_case
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.notifications.models import Notice, NoticeKind
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_refer_internally, do_start_revisit, do_start_visit, do_write_again
from vardnav.visits.errors import VisitError
from vardnav.visits.tests.conftest import build_digital, valid_answers
from vardnav.visits.tests.test_revisits import REVISIT_ANSWERS

pytestmark = pytest.mark.django_db

DOCTOR_DIGITAL = 200_00
NURSE_DIGITAL = 100_00


@pytest.fixture
def priced(world):
    """The visits tests' digital provider with a schedule: a doctor's digital contact 200 kr, a nurse's 100 kr."""
    digital = build_digital()
    today = clock.today()
    do_add_fee(SYSTEM, digital.provider.pk, NewFee("doctor", "digital", DOCTOR_DIGITAL, True, today))
    do_add_fee(SYSTEM, digital.provider.pk, NewFee("nurse", "digital", NURSE_DIGITAL, True, today))
    return digital


def start(digital, person, slug="urinvagsinfektion", *, acting_for=None):
    area = digital.areas[slug]
    triage = current_triage(area)
    actor = actor_for(person, acting_for=acting_for)
    return do_start_visit(actor, area, triage, answers=valid_answers(triage.items), abroad=False)


def close(digital, case):
    case.refresh_from_db()
    do_close_case(digital.practitioner(case.assigned_to), case, outcome="answered")
    case.refresh_from_db()
    return case


def notes(case):
    case.refresh_from_db()
    return BillingCaseExtension().resident_case_notes(case)


@pytest.mark.rule("FEE-2")
@pytest.mark.rule("VISIT-6")
def test_a_doctors_visit_costs_the_doctor_fee_and_referred_to_a_nurse_the_nurse_fee_with_a_notice(priced, resident_a):
    priced.on_duty(priced.specialist, priced.nurse)
    started = start(priced, resident_a)
    fee = current_case_fee(started.case.pk)
    assert (fee.profession, fee.contact_kind, fee.amount_ore) == ("doctor", "digital", DOCTOR_DIGITAL)
    assert notes(started.case) == ["Avgift: 200 kr."]

    do_refer_internally(
        priced.practitioner(priced.specialist), started.visit, profession="nurse", reason="Provtagning räcker."
    )
    moved = current_case_fee(started.case.pk)
    assert (moved.profession, moved.amount_ore, moved.reason) == ("nurse", NURSE_DIGITAL, FeeReason.PROFESSION_CHANGED)
    assert notes(started.case) == [
        "Avgift: 100 kr.",
        "Avgiften ändrades från 200 kr till 100 kr eftersom ärendet flyttades från läkare till sjuksköterska.",
    ]
    notice = Notice.objects.get(person=resident_a, kind=NoticeKind.FEE_CHANGED)
    shown = f"{notice.text} {notice.link}".lower()
    assert "sjuksköterska" not in shown and "urinv" not in shown  # no health data
    # Nor the new fee; only in the text, since the link names the case by its id (which may be 100).
    assert not re.search(r"\d", notice.text)

    close(priced, started.case)
    run_billing()
    invoice = Invoice.objects.get(case=started.case)
    assert invoice.amount_ore == NURSE_DIGITAL


@pytest.mark.rule("FEE-2")
def test_a_referral_to_a_profession_without_a_fee_makes_the_visit_free(priced, resident_a):
    priced.on_duty(priced.specialist, priced.physio)
    started = start(priced, resident_a)
    do_refer_internally(
        priced.practitioner(priced.specialist), started.visit, profession="physiotherapist", reason="Ryggen."
    )
    fee = current_case_fee(started.case.pk)
    assert (fee.amount_ore, fee.exemption) == (0, Exemption.NO_FEE_FOR_PROFESSION)
    assert notes(started.case)[0] == "Avgift: 0 kr (ingen avgift för kontakt med fysioterapeut)."


@pytest.mark.rule("FEE-2")
def test_staff_cannot_move_only_the_fee_of_a_digital_visit(priced, resident_a):
    from vardnav.billing.actions import do_change_case_profession

    priced.on_duty(priced.specialist)
    started = start(priced, resident_a)
    with pytest.raises(DomainError) as refused:
        do_change_case_profession(priced.practitioner(priced.specialist), started.case, profession="nurse")
    assert refused.value.code is BillingError.PROFESSION_FOLLOWS_SERVICE
    assert current_case_fee(started.case.pk).profession == "doctor"


@pytest.mark.rule("FEE-2")
def test_a_referral_that_fails_leaves_the_fee_alone(priced, resident_a):
    priced.on_duty(priced.specialist)
    started = start(priced, resident_a)
    with pytest.raises(DomainError) as refused:
        do_refer_internally(priced.practitioner(priced.specialist), started.visit, profession="nurse", reason="x")
    assert refused.value.code is VisitError.REFERRAL_NO_ONE_ON_DUTY
    assert CaseFee.objects.filter(case=started.case).count() == 1
    assert not Notice.objects.filter(kind=NoticeKind.FEE_CHANGED).exists()


@pytest.mark.rule("FEE-2")
def test_85_and_over_and_children_still_visit_free(priced, world):
    priced.on_duty(priced.specialist, priced.st_doctor)
    aged = current_case_fee(start(priced, world.aged_85).case.pk)
    child = current_case_fee(start(priced, world.guardian, acting_for=world.child_8).case.pk)
    assert (aged.amount_ore, aged.schedule_amount_ore, aged.exemption) == (0, DOCTOR_DIGITAL, Exemption.AGED_85)
    assert (child.amount_ore, child.exemption) == (0, Exemption.CHILD)


@pytest.mark.rule("FEE-1")
def test_a_revisit_costs_what_the_visit_costs(priced, resident_a):
    from vardnav.visits.actions import do_confirm_health_profile

    priced.on_duty(priced.specialist)
    first = start(priced, resident_a)
    close(priced, first.case)
    do_confirm_health_profile(actor_for(resident_a), allergies="", medicines="", conditions="")
    again = do_start_revisit(
        actor_for(resident_a), first.visit, answers=REVISIT_ANSWERS, abroad=False, profile_confirmed=True
    )
    assert current_case_fee(again.case.pk).amount_ore == DOCTOR_DIGITAL


@pytest.mark.rule("FEE-2")
def test_the_triage_shows_the_expected_fee_of_the_areas_profession_before_sending(priced, resident_a):
    priced.on_duty(priced.specialist)
    start(priced, resident_a)  # creates the provider's digital visit service
    client = log_in_client(Client(), resident_identity(resident_a))
    doctor = client.get(f"/digitalt-vardbesok/{priced.areas['urinvagsinfektion'].pk}/").content.decode()
    nurse = client.get(f"/digitalt-vardbesok/{priced.areas['klamydia-och-konssjukdomar'].pk}/").content.decode()
    assert "Avgift: 200 kr." in doctor and "hanteras av läkare" in doctor
    assert "Avgift: 100 kr." in nurse and "hanteras av sjuksköterska" in nurse


# --- VISIT-4: a free return in the same case ----------------------------------------------------


@pytest.mark.rule("VISIT-4")
def test_writing_again_within_the_window_costs_nothing_and_the_reason_is_shown(priced, resident_a):
    priced.on_duty(priced.nurse)
    started = start(priced, resident_a, "klamydia-och-konssjukdomar")
    close(priced, started.case)
    with time_machine.travel(clock.now() + dt.timedelta(days=3), tick=False):
        do_write_again(actor_for(resident_a), started.visit, body="Jag har fått provsvaret.")
        lines = notes(started.case)
        assert lines[0] == "Avgift: 100 kr."
        assert "inom 4 dagar" in lines[-1] and "avgiftsfritt" in lines[-1]
        close(priced, started.case)
        run_billing()
    returned = current_case_fee(started.case.pk)
    assert (returned.amount_ore, returned.exemption, returned.reason) == (0, Exemption.FREE_RETURN, FeeReason.RETURNED)
    assert Invoice.objects.get(case=started.case).amount_ore == NURSE_DIGITAL  # one invoice, the first charge
    assert CeilingCharge.objects.filter(case=started.case).count() == 1  # counted once in the ceiling


@pytest.mark.rule("VISIT-4")
def test_the_return_window_is_a_dated_provider_policy(priced, resident_a):
    admin = SYSTEM
    do_set_billing_policy(admin, priced.provider.pk, child_free_under_age=18, return_window_days=2)
    assert ReturnWindow.objects.get(provider=priced.provider).valid_from == clock.today()
    priced.on_duty(priced.nurse)
    started = start(priced, resident_a, "klamydia-och-konssjukdomar")
    close(priced, started.case)
    with time_machine.travel(clock.now() + dt.timedelta(days=3), tick=False), pytest.raises(DomainError) as late:
        do_write_again(actor_for(resident_a), started.visit, body="Hej igen")
    assert late.value.code is VisitError.RETURN_TOO_LATE and "2 dagar" in late.value.message
    with pytest.raises(DomainError) as bad:
        do_set_billing_policy(admin, priced.provider.pk, child_free_under_age=18, return_window_days=31)
    assert bad.value.code is BillingError.INVALID_RETURN_WINDOW


# --- FEE-3: e-frikort per region -----------------------------------------------------------------


def card(provider):
    today = clock.today()
    return NewFreeCard(provider.pk, "FK-12345", "Region Annanstans", today, today + dt.timedelta(days=200))


@pytest.mark.rule("FEE-3")
def test_where_the_region_has_no_e_frikort_the_resident_enters_the_card_and_staff_confirm_it(priced, resident_a):
    assert priced.provider in providers_for_cards()
    entered = do_enter_free_card(actor_for(resident_a), card(priced.provider))
    do_decide_free_card(SYSTEM, entered, confirm=True)
    priced.on_duty(priced.specialist)
    fee = current_case_fee(start(priced, resident_a).case.pk)
    assert (fee.amount_ore, fee.exemption) == (0, Exemption.FREE_CARD)


@pytest.mark.rule("FEE-3")
def test_where_the_region_uses_e_frikort_no_card_is_entered_by_hand_and_none_counts(priced, resident_a):
    entered = do_enter_free_card(actor_for(resident_a), card(priced.provider))  # before the region joined
    do_decide_free_card(SYSTEM, entered, confirm=True)
    do_set_billing_policy(SYSTEM, priced.provider.pk, child_free_under_age=18, uses_efrikort=True)
    assert priced.provider not in providers_for_cards()
    with pytest.raises(DomainError) as refused:
        do_enter_free_card(actor_for(resident_a), replace(card(priced.provider), card_number="FK-99999"))
    assert refused.value.code is BillingError.EFRIKORT_REGION and refused.value.field == "provider"
    priced.on_duty(priced.specialist)
    fee = current_case_fee(start(priced, resident_a).case.pk)
    assert (fee.amount_ore, fee.exemption) == (DOCTOR_DIGITAL, Exemption.NONE)  # the card comes from e-frikort


@pytest.mark.rule("FEE-3")
def test_the_resident_is_told_the_card_is_fetched_where_the_region_uses_e_frikort(priced, world, resident_a):
    do_set_billing_policy(SYSTEM, priced.provider.pk, child_free_under_age=18, uses_efrikort=True)
    page = log_in_client(Client(), resident_identity(resident_a)).get("/mina-sidor/hogkostnadsskydd/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Digitalvården använder e-frikort" in text
    assert 'name="card_number"' in text  # the shared world's provider still takes cards by hand


@pytest.mark.rule("FEE-3")
@pytest.mark.rule("VISIT-4")
def test_the_provider_admin_sets_the_region_flag_and_the_return_window_on_the_fee_rules_page(world):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    url = "/personal/avgifter/regler/"
    assert client.get(url).status_code == 200
    saved = client.post(url, {"child_free_under_age": "18", "return_window_days": "6", "uses_efrikort": "on"})
    assert saved.status_code == 302
    page = client.get("/personal/avgifter/").content.decode()
    assert "avgiftsfri inom 6 dagar efter avslut" in page and "regionen använder e-frikort" in page
    refused = client.post(url, {"child_free_under_age": "18", "return_window_days": "40"})
    assert refused.status_code == 422
    assert "Skriv ett antal dagar mellan 0 och 30." in refused.content.decode()
