"""Aids and special foods are e-services of their own, with their own questionnaires (RX-9)."""

from __future__ import annotations

import pytest

from tests.personas import actor_for
from vardnav.cases.actions import do_distribute_case, do_reply, do_submit_case
from vardnav.cases.hooks import DEFAULT_HOOKS, DEFAULT_REPLY_FORM, hooks_for
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.prescriptions.models import Prescription

OWN_SERVICES = [
    ServiceKind.AIDS_DIABETES,
    ServiceKind.AIDS_INCONTINENCE,
    ServiceKind.AIDS_STOMA,
    ServiceKind.SPECIAL_FOODS,
]


@pytest.mark.rule("RX-9")
@pytest.mark.parametrize("kind", OWN_SERVICES)
def test_each_is_a_service_of_its_own_with_a_questionnaire_distinct_from_prescription_renewal(rx, kind):
    service, renewal = rx.services[kind], rx.services[ServiceKind.PRESCRIPTION_RENEWAL]
    assert service.pk != renewal.pk and service.kind == kind
    own, renewal_items = current_questionnaire(service), current_questionnaire(renewal)
    assert own.pk != renewal_items.pk and own.items != renewal_items.items
    assert "medicine" not in {item["linkId"] for item in own.items}
    # No prescribing logic: the engine's own hooks, its reply form, any handler may answer.
    assert hooks_for(kind) is DEFAULT_HOOKS and hooks_for(kind).reply_form == DEFAULT_REPLY_FORM


@pytest.mark.rule("RX-9")
@pytest.mark.parametrize("kind", OWN_SERVICES)
def test_it_is_routed_and_answered_like_any_case(rx, kind, demo_resident_a, demo_receiver_x, demo_unit_x):
    answers = {"product": "Teststickor och lansetter", "amount": "1 förpackning", "changed_need": False,
               "weight_change": False}  # fmt: skip
    if kind == ServiceKind.SPECIAL_FOODS:
        answers.pop("changed_need")
    else:
        answers.pop("weight_change")
    case = do_submit_case(actor_for(demo_resident_a), service=rx.services[kind], unit=None, answers=answers)
    assert case.unit == demo_unit_x and case.routed_role == "receiver"
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role="receiver"), case, handler=rx.nurse_x)
    case.refresh_from_db()
    do_reply(actor_for(rx.nurse_x, unit=demo_unit_x, role="handler"), case, answers={"reply": "Beställt."})
    assert not Prescription.objects.exists()
