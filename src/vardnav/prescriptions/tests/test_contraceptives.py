"""Contraceptive services: methods, contraindications, midwives, up to a year, free under 21 (RX-8, RX-6)."""

from __future__ import annotations

import pytest

from tests.personas import actor_for
from vardnav.cases.actions import do_distribute_case, do_reply, do_submit_case
from vardnav.cases.models import Case, CaseFlag
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.demo import identities as ids
from vardnav.people.actions import do_sync_person_from_register
from vardnav.prescriptions.models import Prescription

METHODS = {"p-piller", "minipiller", "p-ring", "p-plaster", "p-stav", "p-spruta", "hormonspiral"}
HEALTHY = {"smoker": False, "migraine_aura": False, "clot_history": False, "clot_family": False}


def renew(rx, person, **answers):
    base = {"method": "p-piller", "product": "Microgynon", "satisfied": True, **HEALTHY}
    return do_submit_case(
        actor_for(person),
        service=rx.services[ServiceKind.CONTRACEPTIVE_RENEW],
        unit=_unit(rx),
        answers={**base, **answers},
    )


def _unit(rx):
    from vardnav.organizations.models import Unit

    return Unit.objects.get(slug="vardcentralen-norrsund-centrum")


@pytest.mark.rule("RX-8")
def test_each_contraceptive_service_offers_the_seeds_methods(rx):
    for kind, field in [
        (ServiceKind.CONTRACEPTIVE_RENEW, "method"),
        (ServiceKind.CONTRACEPTIVE_START, "wish"),
        (ServiceKind.CONTRACEPTIVE_CHANGE, "wish"),
        (ServiceKind.CONTRACEPTIVE_STOP, "current"),
    ]:
        items = {item["linkId"]: item for item in current_questionnaire(rx.services[kind]).items}
        assert {option["code"] for option in items[field]["answerOption"]} >= METHODS


@pytest.mark.rule("RX-8")
def test_the_form_says_contraceptives_are_free_under_21(rx):
    for kind in (ServiceKind.CONTRACEPTIVE_RENEW, ServiceKind.CONTRACEPTIVE_START, ServiceKind.CONTRACEPTIVE_CHANGE):
        texts = [item["text"] for item in current_questionnaire(rx.services[kind]).items]
        assert any("gratis om du är under 21" in text for text in texts), kind


@pytest.mark.rule("RX-8")
def test_a_healthy_resident_renews_a_combined_pill(rx, demo_resident_a):
    case = renew(rx, demo_resident_a)
    assert case.answers["product"] == "Microgynon"


@pytest.mark.rule("RX-8")
@pytest.mark.parametrize(
    "answers, reason",
    [
        ({"migraine_aura": True}, "migrän med aura"),
        ({"clot_history": True}, "blodpropp"),
        ({"blood_pressure": "165/95"}, "högt blodtryck"),
    ],
)
def test_a_contraindication_blocks_combined_methods_and_suggests_progestogen_only(rx, demo_resident_a, answers, reason):
    with pytest.raises(DomainError) as refused:
        renew(rx, demo_resident_a, **answers)
    assert refused.value.code == "contraceptive-contraindicated"
    message = str(refused.value.message)
    assert reason in message and "minipiller" in message and "hormonspiral" in message
    assert "method" in refused.value.field_errors()
    assert not Case.objects.exists()


@pytest.mark.rule("RX-8")
def test_a_smoker_over_35_cannot_start_a_ring_but_may_start_a_progestogen_only_method(rx, demo_resident_a):
    service = rx.services[ServiceKind.CONTRACEPTIVE_START]
    answers = {**HEALTHY, "smoker": True}
    with pytest.raises(DomainError) as refused:
        do_submit_case(
            actor_for(demo_resident_a), service=service, unit=_unit(rx), answers={**answers, "wish": "p-ring"}
        )
    assert "röker" in str(refused.value.message) and "wish" in refused.value.field_errors()
    case = do_submit_case(
        actor_for(demo_resident_a), service=service, unit=_unit(rx), answers={**answers, "wish": "hormonspiral"}
    )
    assert case.pk


@pytest.mark.rule("RX-8")
def test_a_young_smoker_may_renew_the_pill(rx, db):
    young = do_sync_person_from_register(ids.RESIDENTS[2])  # born 1995: 31 years old
    case = renew(rx, young, smoker=True)
    assert case.pk


@pytest.mark.rule("RX-8")
def test_a_family_history_of_clots_is_flagged_for_the_midwife(rx, demo_resident_a):
    case = renew(rx, demo_resident_a, clot_family=True)
    assert set(CaseFlag.objects.filter(case=case).values_list("code", flat=True)) == {"contraindication_review"}


@pytest.mark.rule("RX-8")
def test_a_renewal_must_name_a_contraceptive(rx, demo_resident_a):
    with pytest.raises(DomainError) as refused:
        renew(rx, demo_resident_a, product="Levaxin")
    assert refused.value.code == "not-a-contraceptive"
    with pytest.raises(DomainError) as refused:
        renew(rx, demo_resident_a, product="Teva")
    assert refused.value.code == "manufacturer-not-product"


def _handled_by(rx, case, staff, demo_receiver_x, demo_unit_x):
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role="receiver"), case, handler=staff)
    case.refresh_from_db()
    return actor_for(staff, unit=demo_unit_x, role="handler")


APPROVE = {"decision": "approve", "product": "Microgynon", "dosage": "1 tablett dagligen", "amount": "3 x 21",
           "reply": "Receptet är förnyat."}  # fmt: skip


@pytest.mark.rule("RX-8")
def test_a_midwife_prescribes_a_contraceptive_for_up_to_a_year(rx, demo_resident_a, demo_receiver_x, demo_unit_x):
    case = renew(rx, demo_resident_a)
    midwife = _handled_by(rx, case, rx.midwife_x, demo_receiver_x, demo_unit_x)
    do_reply(midwife, case, answers={**APPROVE, "duration_days": "366"})
    prescription = Prescription.objects.get()
    assert prescription.prescriber == rx.midwife_x and prescription.duration_days == 366


@pytest.mark.rule("RX-6")
def test_a_contraceptive_for_more_than_a_year_is_refused(rx, demo_resident_a, demo_receiver_x, demo_unit_x):
    case = renew(rx, demo_resident_a)
    midwife = _handled_by(rx, case, rx.midwife_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(DomainError) as refused:
        do_reply(midwife, case, answers={**APPROVE, "duration_days": "367"})
    assert "högst 1 år" in str(refused.value.message)
    assert not Prescription.objects.exists()


@pytest.mark.rule("RX-8")
def test_a_nurse_cannot_answer_a_contraceptive_case_but_a_midwife_cannot_renew_other_medicines(
    rx, demo_resident_a, demo_receiver_x, demo_unit_x
):
    case = renew(rx, demo_resident_a)
    nurse = _handled_by(rx, case, rx.nurse_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(PermissionDenied):
        do_reply(nurse, case, answers={**APPROVE, "duration_days": "90"})
    renewal = do_submit_case(
        actor_for(demo_resident_a), service=rx.services["prescription_renewal"], unit=None, answers=rx.answers()
    )
    midwife = _handled_by(rx, renewal, rx.midwife_x, demo_receiver_x, demo_unit_x)
    with pytest.raises(PermissionDenied):
        do_reply(midwife, renewal, answers={**APPROVE, "product": "", "duration_days": "90"})
    assert not Prescription.objects.exists()


@pytest.mark.rule("RX-8")
def test_a_contraceptive_case_is_routed_to_the_units_receiver_like_any_case(rx, demo_resident_a):
    case = renew(rx, demo_resident_a)
    assert case.routed_role == "receiver" and case.assigned_to_id is None
