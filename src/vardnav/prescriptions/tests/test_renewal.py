"""Prescription renewal through the case engine: naming the product, policies, flags, the prescriber's decision."""

from __future__ import annotations

import pytest

from tests.personas import actor_for
from vardnav.cases.actions import do_distribute_case, do_reply, do_submit_case, reply_form_for
from vardnav.cases.models import Case, CaseFlag, Message
from vardnav.catalog.models import ServiceKind
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.prescriptions.actions import do_set_renewal_policy
from vardnav.prescriptions.models import EPrescriptionMessage, NarcoticsPolicy, Prescription
from vardnav.prescriptions.tests.conftest import SYSTEM

RENEWAL = ServiceKind.PRESCRIPTION_RENEWAL


def submit(rx, person, kind=RENEWAL, unit=None, **answers):
    answers = rx.answers(**answers) if kind == RENEWAL else answers
    return do_submit_case(actor_for(person), service=rx.services[kind], unit=unit, answers=answers)


def assigned_to(case, staff, demo_receiver_x, demo_unit_x):
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role="receiver"), case, handler=staff)
    case.refresh_from_db()
    return actor_for(staff, unit=demo_unit_x, role="handler")


def flags(case) -> set[str]:
    return set(CaseFlag.objects.filter(case=case).values_list("code", flat=True))


APPROVE = {
    "decision": "approve",
    "dosage": "1 tablett på morgonen",
    "amount": "100 tabletter",
    "duration_days": "90",
    "reply": "Receptet är förnyat.",
}


@pytest.mark.rule("RX-3")
def test_a_renewal_naming_a_product_in_the_register_is_submitted(rx, demo_resident_a):
    case = submit(rx, demo_resident_a)
    assert case.answers["medicine"] == "Levaxin 50 mikrog tablett"
    assert flags(case) == set()


@pytest.mark.rule("RX-3")
@pytest.mark.parametrize("name", ["Teva", "Sandoz"])
def test_a_renewal_naming_only_a_manufacturer_is_refused_and_nothing_is_submitted(rx, demo_resident_a, name):
    with pytest.raises(DomainError) as refused:
        submit(rx, demo_resident_a, medicine=name)
    assert refused.value.code == "manufacturer-not-product"
    assert "medicine" in refused.value.field_errors()
    assert not Case.objects.exists()


@pytest.mark.rule("RX-3")
def test_a_renewal_naming_an_unknown_medicine_is_refused_with_suggestions(rx, demo_resident_a):
    with pytest.raises(DomainError) as refused:
        submit(rx, demo_resident_a, medicine="Simvastatinn")
    assert refused.value.code == "unknown-product"
    assert "Simvastatin" in str(refused.value.message)
    assert not Case.objects.exists()


@pytest.mark.rule("RX-3")
def test_the_web_form_shows_the_refusal_next_to_the_medicine_and_submits_nothing(
    rx, client, demo_resident_a, demo_unit_x
):
    from tests.sessions import log_in_client, resident_identity

    log_in_client(client, resident_identity(demo_resident_a))
    service = rx.services[RENEWAL]
    response = client.post(
        f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/",
        {**rx.answers(medicine="Teva", effect="ja"), "submission_key": "a" * 32},
    )
    assert response.status_code == 422
    assert "namnet på ett företag" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.rule("RX-4")
def test_a_resident_saying_the_medicine_is_addictive_flags_the_case_for_staff(rx, demo_resident_a):
    case = submit(rx, demo_resident_a, addictive="yes")
    assert flags(case) == {"addictive"}
    assert case.status == "new" and not Prescription.objects.exists()


@pytest.mark.rule("RX-4")
def test_a_medicine_the_register_calls_addictive_flags_the_case_even_when_the_resident_says_no(rx, demo_resident_a):
    do_set_renewal_policy(SYSTEM, rx.services[RENEWAL].provider, narcotics=NarcoticsPolicy.ALLOW_WITH_FLAG)
    case = submit(rx, demo_resident_a, medicine="Imovane 5 mg", addictive="no")
    assert flags(case) == {"addictive", "narcotic"}


@pytest.mark.rule("RX-4")
def test_the_addictive_flag_is_shown_in_the_inbox(rx, demo_resident_a, client, demo_receiver_x, demo_unit_x):
    from tests.sessions import log_in_client, staff_identity

    submit(rx, demo_resident_a, addictive="yes")
    log_in_client(client, staff_identity(demo_receiver_x, unit=demo_unit_x, role="receiver"))
    assert "Beroendeframkallande" in client.get("/personal/inkorg/").content.decode()


@pytest.mark.rule("RX-5")
def test_narcotics_are_refused_by_default(rx, demo_resident_a):
    with pytest.raises(DomainError) as refused:
        submit(rx, demo_resident_a, medicine="Sobril 10 mg")
    assert refused.value.code == "narcotic-renewal-refused"
    assert "narkotikaklassade" in str(refused.value.message)
    assert not Case.objects.exists()


@pytest.mark.rule("RX-5")
def test_a_provider_may_take_narcotic_renewals_to_the_prescriber_with_a_flag(rx, demo_resident_a):
    do_set_renewal_policy(SYSTEM, rx.services[RENEWAL].provider, narcotics=NarcoticsPolicy.ALLOW_WITH_FLAG)
    case = submit(rx, demo_resident_a, medicine="Concerta 36 mg")
    assert {"narcotic", "addictive"} <= flags(case)


@pytest.mark.rule("RX-5")
def test_only_a_provider_admin_sets_the_renewal_policy(rx, demo_handler_x, demo_unit_x):
    with pytest.raises(PermissionDenied):
        do_set_renewal_policy(
            actor_for(demo_handler_x, unit=demo_unit_x, role="handler"),
            rx.services[RENEWAL].provider,
            narcotics="allow_with_flag",
        )


@pytest.mark.rule("RX-5")
@pytest.mark.parametrize("medicine", ["Kåvepenin 1 g", "Doxyferm", "Spektramox 500 mg/125 mg"])
def test_antibiotics_are_never_renewed_and_the_resident_is_sent_to_a_new_case(rx, demo_resident_a, medicine):
    do_set_renewal_policy(SYSTEM, rx.services[RENEWAL].provider, narcotics=NarcoticsPolicy.ALLOW_WITH_FLAG)
    with pytest.raises(DomainError) as refused:
        submit(rx, demo_resident_a, medicine=medicine)
    assert refused.value.code == "antibiotic-renewal-refused"
    assert "nytt ärende" in str(refused.value.message)
    assert not Case.objects.exists()


@pytest.mark.rule("RX-7")
@pytest.mark.parametrize("kind", [ServiceKind.PRESCRIPTION_RENEWAL, ServiceKind.CONTRACEPTIVE_RENEW])
def test_no_renewals_at_a_vaccination_clinic(vaccination_services, vaccination_unit, demo_resident_b, rx, kind):
    answers = (
        rx.answers()
        if kind == RENEWAL
        else {
            "method": "minipiller",
            "product": "Cerazette",
            "satisfied": True,
            "smoker": False,
            "migraine_aura": False,
            "clot_history": False,
            "clot_family": False,
        }
    )
    with pytest.raises(DomainError) as refused:
        do_submit_case(
            actor_for(demo_resident_b), service=vaccination_services[kind], unit=vaccination_unit, answers=answers
        )
    assert refused.value.code == "no-prescriptions-at-vaccination-unit"
    assert not Case.objects.exists()


@pytest.mark.rule("RX-6")
def test_a_doctor_approves_and_the_prescription_is_recorded_and_sent(rx, demo_resident_a, demo_receiver_x, demo_unit_x):
    case = submit(rx, demo_resident_a)
    doctor = assigned_to(case, rx.doctor_x, demo_receiver_x, demo_unit_x)
    do_reply(doctor, case, answers=APPROVE, close=True, outcome="prescribed")
    prescription = Prescription.objects.get()
    assert prescription.product.npl_id == "CUR-levaxin-50-mikrog-tablett"
    assert (prescription.person, prescription.prescriber, prescription.source_case) == (
        demo_resident_a,
        rx.doctor_x,
        case,
    )
    assert prescription.prescriber_hsa_id == rx.doctor_x.hsa_id and prescription.duration_days == 90
    sent = EPrescriptionMessage.objects.get(prescription=prescription)
    assert sent.payload["npl_id"] == "CUR-levaxin-50-mikrog-tablett"
    assert sent.payload["prescriber_hsa_id"] == rx.doctor_x.hsa_id


@pytest.mark.rule("RX-6")
def test_a_renewal_longer_than_three_months_is_refused_and_nothing_is_recorded(
    rx, demo_resident_a, demo_receiver_x, demo_unit_x
):
    case = submit(rx, demo_resident_a)
    doctor = assigned_to(case, rx.doctor_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(DomainError) as refused:
        do_reply(doctor, case, answers={**APPROVE, "duration_days": "93"})
    assert refused.value.code == "duration-too-long"
    assert "högst 3 månader" in str(refused.value.message)
    assert not Prescription.objects.exists()
    assert not Message.objects.filter(case=case, kind="reply").exists()


@pytest.mark.rule("RX-6")
def test_a_refusal_records_no_prescription(rx, demo_resident_a, demo_receiver_x, demo_unit_x):
    case = submit(rx, demo_resident_a)
    doctor = assigned_to(case, rx.doctor_x, demo_receiver_x, demo_unit_x)
    do_reply(doctor, case, answers={"decision": "refuse", "reason": "Behöver följas upp", "reply": "Boka en tid."})
    assert Message.objects.filter(case=case, kind="reply").exists()
    assert not Prescription.objects.exists()


@pytest.mark.rule("RX-6")
def test_a_nurse_cannot_answer_a_renewal(rx, demo_resident_a, demo_receiver_x, demo_unit_x):
    case = submit(rx, demo_resident_a)
    nurse = assigned_to(case, rx.nurse_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(PermissionDenied):
        do_reply(nurse, case, answers=APPROVE)
    assert not Prescription.objects.exists()


@pytest.mark.rule("RX-4")
def test_an_addictive_flag_never_approves_by_itself(rx, demo_resident_a):
    submit(rx, demo_resident_a, addictive="yes")
    assert not Prescription.objects.exists() and not EPrescriptionMessage.objects.exists()


@pytest.mark.rule("RX-6")
def test_the_prescriber_must_name_the_strength_when_the_resident_named_only_the_product(
    rx, demo_resident_a, demo_receiver_x, demo_unit_x
):
    case = submit(rx, demo_resident_a, medicine="Levaxin")
    doctor = assigned_to(case, rx.doctor_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(DomainError) as refused:
        do_reply(doctor, case, answers=APPROVE)
    assert refused.value.code == "product-ambiguous"
    do_reply(doctor, case, answers={**APPROVE, "product": "Levaxin 75 mikrog tablett"})
    assert Prescription.objects.get().product.strength == "75 mikrog"


@pytest.mark.rule("RX-5")
def test_the_prescriber_cannot_turn_a_renewal_into_an_antibiotic_prescription(
    rx, demo_resident_a, demo_receiver_x, demo_unit_x
):
    case = submit(rx, demo_resident_a)
    doctor = assigned_to(case, rx.doctor_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(DomainError) as refused:
        do_reply(doctor, case, answers={**APPROVE, "product": "Doxyferm 100 mg"})
    assert refused.value.code == "antibiotic-renewal-refused"
    assert not Prescription.objects.exists()


def test_the_renewal_reply_form_asks_for_the_decision_and_the_prescription(rx, demo_resident_a):
    case = submit(rx, demo_resident_a)
    link_ids = [item["linkId"] for item in reply_form_for(case)]
    assert {"decision", "product", "dosage", "amount", "duration_days", "reason", "reply"} <= set(link_ids)
