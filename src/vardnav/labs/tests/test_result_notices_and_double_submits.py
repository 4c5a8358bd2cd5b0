"""A posted lab result tells the practitioners (VISIT-6); the labs forms do their write once per one-time key."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from tests.personas import actor_for, grant
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_distribute_case
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.integrations.actions import do_create_integration_token, integration_actor
from vardnav.labs.actions import (
    PostedValue,
    do_receive_lab_result,
    do_review_lab_result,
    do_send_pressure_voucher,
    do_write_lab_referral,
)
from vardnav.labs.models import HomeMeasurement, LabReferral, PressureVoucher
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage
from vardnav.organizations.models import Role

pytestmark = pytest.mark.django_db

VALUES = [PostedValue(code="P-CRP", value="48", unit="mg/L", reference="<5", abnormal=True)]


def lab_actor(provider):
    """The lab's system, as the integration API acts for it."""
    token, _secret = do_create_integration_token(Actor.system(), provider, name="Labbet", scopes=["labs:results"])
    return integration_actor(token)


@pytest.mark.rule("VISIT-6")
def test_a_posted_result_tells_the_referrer_and_the_current_handler_without_any_value(
    digital, visit_of_a, labs, with_email
):
    with_email(visit_of_a.person)
    lab = labs["provlabbet-sthlm-city"]
    referral = do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=["P-CRP"], lab=lab)
    # The visit is handed to a colleague before the result comes.
    grant(digital.specialist, digital.unit, Role.RECEIVER)
    receiver = actor_for(digital.specialist, unit=digital.unit, role=Role.RECEIVER)
    do_distribute_case(receiver, visit_of_a.case, handler=digital.st_doctor)
    emails_before = OutgoingMessage.objects.count()

    do_receive_lab_result(lab_actor(digital.provider), referral, lab_code=lab.code, values=VALUES)

    notices = Notice.objects.filter(kind=NoticeKind.LAB_RESULT)
    assert sorted(notices.values_list("staff_id", flat=True)) == sorted([digital.specialist.pk, digital.st_doctor.pk])
    for notice in notices:
        assert referral.number in notice.text and visit_of_a.case.number in notice.text
        assert "48" not in notice.text and "CRP" not in notice.text and "mg/L" not in notice.text
        assert notice.link == f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/"
    assert OutgoingMessage.objects.count() == emails_before  # nothing about a result by e-mail

    colleague = log_in_client(Client(), staff_identity(digital.st_doctor, unit=digital.unit, role="handler"))
    case_page = colleague.get(f"/personal/arenden/{visit_of_a.case.pk}/").content.decode()
    assert "1 provsvar väntar på bedömning" in case_page


@pytest.mark.rule("VISIT-6")
def test_the_case_page_stops_showing_a_result_once_it_is_reviewed(digital, visit_of_a, labs):
    lab = labs["provlabbet-sthlm-city"]
    referral = do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=["P-CRP"], lab=lab)
    received = do_receive_lab_result(lab_actor(digital.provider), referral, lab_code=lab.code, values=VALUES)
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    assert "väntar på bedömning" in staff.get(f"/personal/arenden/{visit_of_a.case.pk}/").content.decode()
    do_review_lab_result(visit_of_a.doctor, visit_of_a.visit, received.result, comment="Förhöjt CRP.")
    assert "väntar på bedömning" not in staff.get(f"/personal/arenden/{visit_of_a.case.pk}/").content.decode()


def test_a_double_submitted_referral_or_code_is_written_once(digital, visit_of_a, labs):
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    page = staff.get(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/").content.decode()
    assert 'name="submission_key"' in page
    key = uuid.uuid4().hex
    referral = {"tests": ["P-CRP"], "question": "", "lab": "", "submission_key": f"{key}-lab"}
    for _twice in range(2):
        assert staff.post(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/prov/", referral).status_code == 302
    assert LabReferral.objects.count() == 1
    voucher = {"submission_key": f"{key}-voucher"}
    for _twice in range(2):
        url = f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/blodtryck/"
        assert staff.post(url, voucher).status_code == 302
    assert PressureVoucher.objects.count() == 1
    # The same key for other content is refused, and nothing is written.
    reused = staff.post(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/prov/", referral | {"tests": ["B-HB"]})
    assert reused.status_code == 422 and LabReferral.objects.count() == 1


def test_a_double_submitted_measurement_or_lab_choice_is_saved_once(digital, visit_of_a, labs):
    do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    referral = do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=["P-CRP"])
    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    assert 'name="submission_key"' in resident.get("/mina-sidor/remisser/blodtryck/").content.decode()
    measurement = {
        "systolic": "131",
        "diastolic": "84",
        "pulse": "66",
        "measured_on": clock.today().isoformat(),
        "submission_key": uuid.uuid4().hex,
    }
    for _twice in range(2):
        assert resident.post("/mina-sidor/remisser/blodtryck/", measurement).status_code == 302
    assert HomeMeasurement.objects.count() == 1
    without_key = measurement | {"submission_key": ""}
    assert resident.post("/mina-sidor/remisser/blodtryck/", without_key).status_code == 302
    assert HomeMeasurement.objects.count() == 2  # a new form (no key) is a new measurement

    lab = labs["lablinjen-malmo"]
    choice = {"lab": str(lab.pk), "submission_key": uuid.uuid4().hex}
    for _twice in range(2):
        response = resident.post(f"/mina-sidor/remisser/{referral.pk}/provtagningsstalle/", choice)
        assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.lab_id == lab.pk
