"""Lab referrals and results (VISIT-6, VISIT-9), referrals elsewhere and where to turn (VISIT-7)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Message, MessageKind
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.integrations.actions import do_create_integration_token
from vardnav.labs import access
from vardnav.labs.actions import PostedValue, do_choose_lab, do_receive_lab_result, do_write_lab_referral
from vardnav.labs.errors import LabError
from vardnav.labs.models import CareReferral, LabReferral, LabResult, ReferralStatus
from vardnav.labs.tests.conftest import open_visit
from vardnav.visits.models import RevisitOffer

pytestmark = pytest.mark.django_db


def staff_client(digital, staff=None):
    staff = staff or digital.specialist
    return log_in_client(Client(), staff_identity(staff, unit=digital.unit, role="handler"))


def lab_token(provider, scopes=("labs:results",)):
    _, secret = do_create_integration_token(
        Actor.system(), provider, name=f"Lab {'-'.join(scopes)}", scopes=list(scopes)
    )
    return secret


def post_result(secret, body):
    return Client().post(
        "/api/v1/integrations/lab-results",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


RESULT = [{"code": "P-CRP", "value": "12", "unit": "mg/L", "reference": "<5", "abnormal": True}]


@pytest.mark.rule("VISIT-6")
def test_the_doctor_writes_a_referral_and_the_resident_chooses_the_lab_then_downloads_the_pdf(
    visit_of_a, labs, resident_b
):
    client = staff_client_for(visit_of_a)
    response = client.post(
        f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/prov/",
        {"tests": ["P-CRP", "B-HB"], "question": "Infektion?", "lab": ""},
    )
    assert response.status_code == 302
    referral = LabReferral.objects.get()
    assert (referral.status, referral.lab, referral.tests) == (ReferralStatus.AWAITING_LAB, None, ["B-HB", "P-CRP"])
    assert Message.objects.filter(case=visit_of_a.case, kind=MessageKind.REPLY).exists()

    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    page = resident.get("/mina-sidor/remisser/").content.decode()
    assert referral.number in page and "Välj provtagningsställe" in page
    lab = labs["lablinjen-malmo"]
    refused = resident.post(f"/mina-sidor/remisser/{referral.pk}/provtagningsstalle/", {"lab": ""})
    assert refused.status_code == 422 and "Välj var du vill lämna proverna." in refused.content.decode()
    chosen = resident.post(f"/mina-sidor/remisser/{referral.pk}/provtagningsstalle/", {"lab": str(lab.pk)})
    assert chosen.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.lab_id, referral.lab_chosen_by) == (ReferralStatus.SENT, lab.pk, "resident")
    pdf = resident.get(f"/mina-sidor/remisser/{referral.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="lab.referral_download", object_id=str(referral.pk)).count() == 1
    # Another resident's referral is the same 404 as none.
    other = log_in_client(Client(), resident_identity(resident_b))
    assert other.get(f"/mina-sidor/remisser/{referral.pk}/pdf/").status_code == 404


def staff_client_for(open_):
    return log_in_client(Client(), staff_identity(open_.case.assigned_to, unit=open_.case.unit, role="handler"))


@pytest.mark.rule("VISIT-6")
def test_only_the_visits_doctor_writes_a_lab_referral_and_only_known_tests(digital, visit_of_a, labs):
    nurse = digital.practitioner(digital.nurse)
    with pytest.raises(DomainError) as refused:
        do_write_lab_referral(nurse, visit_of_a.visit, tests=["P-CRP"])
    assert refused.value.code == LabError.NOT_YOUR_CASE
    for tests, code in (([], LabError.NO_TESTS), (["X-NOPE"], LabError.UNKNOWN_TEST)):
        with pytest.raises(DomainError) as bad:
            do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=tests)
        assert bad.value.code == code and bad.value.status == 400
    assert not LabReferral.objects.exists()


@pytest.mark.rule("VISIT-9")
def test_a_resident_abroad_gets_no_lab_referral_in_the_action_page_or_api(digital, resident_a, labs):
    abroad = open_visit(digital, resident_a, abroad=True)
    with pytest.raises(DomainError) as refused:
        do_write_lab_referral(abroad.doctor, abroad.visit, tests=["P-CRP"], lab=labs["lablinjen-malmo"])
    assert refused.value.code == LabError.ABROAD_NO_LAB_REFERRAL
    page = staff_client_for(abroad).post(
        f"/personal/digitala-besok/{abroad.case.pk}/remisser/prov/", {"tests": ["P-CRP"], "lab": ""}
    )
    assert page.status_code == 422 and "utomlands" in page.content.decode()
    api = staff_client_for(abroad).post(
        f"/api/v1/staff/cases/{abroad.case.pk}/lab-referrals",
        json.dumps({"tests": ["P-CRP"]}),
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["code"] == "abroad-no-lab-referral"
    assert not LabReferral.objects.exists()


@pytest.mark.rule("VISIT-6")
def test_a_lab_posts_the_result_once_and_the_resident_sees_it_only_after_review_with_a_revisit_offered(
    digital, visit_of_a, labs
):
    lab = labs["provlabbet-sthlm-city"]
    referral = do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=["P-CRP"], lab=lab)
    secret = lab_token(digital.provider)
    body = {"referral_number": referral.number, "lab_code": lab.code, "results": RESULT, "comment": ""}
    first = post_result(secret, body)
    assert first.status_code == 201, first.content
    again = post_result(secret, body)
    assert again.status_code == 200 and LabResult.objects.count() == 1  # idempotent
    changed = post_result(secret, body | {"results": [RESULT[0] | {"value": "3"}]})
    assert changed.status_code == 409 and changed.json()["code"] == "lab-result-exists"
    wrong_lab = post_result(secret, body | {"lab_code": "lablinjen-malmo"})
    assert wrong_lab.status_code == 409
    # A token without the scope, or another provider's, gets nothing.
    assert post_result(lab_token(digital.provider, scopes=("cases:register",)), body).status_code == 403

    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    assert "mg/L" not in resident.get("/mina-sidor/remisser/").content.decode()
    assert resident.get("/api/v1/me/referrals").json()["lab_referrals"][0]["result"] is None

    staff = staff_client_for(visit_of_a)
    page = staff.get(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/").content.decode()
    assert "mg/L" in page and "Avvikande" in page
    result = LabResult.objects.get()
    refused = staff.post(
        f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/svar/{result.pk}/", {f"r{result.pk}-comment": ""}
    )
    assert refused.status_code == 422 and "Skriv vad provsvaret betyder" in refused.content.decode()
    done = staff.post(
        f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/svar/{result.pk}/",
        {f"r{result.pk}-comment": "Lätt förhöjt CRP. Vi går igenom det.", f"r{result.pk}-offer_revisit": "on"},
    )
    assert done.status_code == 302
    assert RevisitOffer.objects.filter(visit=visit_of_a.visit).count() == 1
    mine = resident.get("/mina-sidor/remisser/").content.decode()
    assert "12 mg/L" in mine and "Lätt förhöjt CRP" in mine
    assert resident.get("/api/v1/me/referrals").json()["lab_referrals"][0]["result"]["values"][0]["code"] == "P-CRP"


@pytest.mark.rule("VISIT-6")
def test_a_result_for_another_providers_referral_or_an_unsent_one_is_refused(digital, visit_of_a, labs, other_provider):
    referral = do_write_lab_referral(visit_of_a.doctor, visit_of_a.visit, tests=["P-CRP"])
    body = {"referral_number": referral.number, "lab_code": "lablinjen-malmo", "results": RESULT}
    assert post_result(lab_token(digital.provider), body).json()["code"] == "lab-referral-not-sent"
    do_choose_lab(visit_of_a.resident, referral, labs["lablinjen-malmo"])
    assert post_result(lab_token(other_provider), body).status_code == 404
    with pytest.raises(DomainError) as refused:
        do_receive_lab_result(
            Actor.system(), referral, lab_code="lablinjen-malmo", values=[PostedValue("B-HB", "140", "g/L", "", False)]
        )
    assert refused.value.code == LabError.RESULT_TEST_NOT_ORDERED
    assert not LabResult.objects.exists()


@pytest.mark.rule("VISIT-7")
def test_a_referral_letter_to_another_provider_is_a_pdf_for_the_resident_and_advice_says_where_to_turn(visit_of_a):
    staff = staff_client_for(visit_of_a)
    base = f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser"
    refused = staff.post(f"{base}/annan-vard/", {"recipient": "", "reason": "Knäskada"})
    assert refused.status_code == 422 and "Skriv vilken vårdgivare" in refused.content.decode()
    assert not CareReferral.objects.exists()
    assert (
        staff.post(
            f"{base}/annan-vard/", {"recipient": "Ortopeden, Exempelsjukhuset", "reason": "Knäskada"}
        ).status_code
        == 302
    )
    referral = CareReferral.objects.get()
    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    assert "Ortopeden, Exempelsjukhuset" in resident.get("/mina-sidor/remisser/").content.decode()
    pdf = resident.get(f"/mina-sidor/remisser/annan-vard/{referral.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    assert staff.post(f"{base}/hanvisning/", {"place": "", "note": ""}).status_code == 422
    assert staff.post(f"{base}/hanvisning/", {"place": "narakut", "note": "Gå i dag."}).status_code == 302
    advice = Message.objects.filter(case=visit_of_a.case, kind=MessageKind.REPLY).order_by("-id").first()
    assert advice is not None and "Närakut" in advice.body and "Gå i dag." in advice.body
    # The resident's case page links to the referrals (the case extension).
    case_page = resident.get(f"/arenden/{visit_of_a.case.pk}/").content.decode()
    assert "/mina-sidor/remisser/" in case_page


def test_the_referral_lists_cost_the_same_queries_with_one_row_as_with_many(digital, resident_a, labs):
    one = open_visit(digital, resident_a)
    do_write_lab_referral(one.doctor, one.visit, tests=["P-CRP"], lab=labs["lablinjen-malmo"])
    resident = log_in_client(Client(), resident_identity(resident_a))
    staff = staff_client_for(one)

    def add_rows():
        for _ in range(4):
            do_write_lab_referral(one.doctor, one.visit, tests=["B-HB"], lab=labs["lablinjen-umea"])

    def pages():
        assert resident.get("/mina-sidor/remisser/").status_code == 200
        assert resident.get("/api/v1/me/referrals").status_code == 200
        assert staff.get(f"/personal/digitala-besok/{one.case.pk}/remisser/").status_code == 200

    assert_same_query_count(pages, add_rows)
    assert len(access.resident_referrals(one.resident).lab_referrals) == 5
