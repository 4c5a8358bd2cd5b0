"""Complaint areas and triage (VISIT-1, VISIT-7): the questions, the red flags, where to turn."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.personas import SYSTEM, actor_for
from tests.sessions import log_in_client, resident_identity
from vardnav.attachments import corpus
from vardnav.attachments.validation import check_uploads
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case
from vardnav.catalog.access import services_offered_at
from vardnav.catalog.models import ServiceKind
from vardnav.core.errors import DomainError
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_publish_triage, do_start_visit
from vardnav.visits.checks import check_triage_definition
from vardnav.visits.content import STANDARD_AREAS
from vardnav.visits.errors import VisitError
from vardnav.visits.models import TriageStatus, Visit
from vardnav.visits.tests.conftest import hit_value, valid_answers

pytestmark = pytest.mark.django_db

RED_FLAGS = [
    (spec["slug"], rule["code"]) for spec in STANDARD_AREAS if spec.get("red_flags") for rule in spec["red_flags"]
]


@pytest.mark.rule("VISIT-1")
@pytest.mark.parametrize("spec", [s for s in STANDARD_AREAS if s.get("items")], ids=lambda s: s["slug"])
def test_each_digital_area_asks_20_to_30_questions(spec):
    items, rules = check_triage_definition(spec["items"], spec["red_flags"])
    answerable = [item for item in items if item["type"] != "display"]
    assert 20 <= len(answerable) <= 30
    assert rules


@pytest.mark.rule("VISIT-1")
def test_skin_and_physiotherapy_triage_ask_for_an_image():
    by_slug = {spec["slug"]: spec for spec in STANDARD_AREAS}
    for slug in ("hudbesvar", "rygg-nacke-leder"):
        assert any(item["type"] == "attachment" for item in by_slug[slug]["items"])


@pytest.mark.rule("VISIT-1")
@pytest.mark.parametrize(("slug", "code"), RED_FLAGS, ids=[f"{s}-{c}" for s, c in RED_FLAGS])
def test_each_red_flag_stops_the_visit_at_once_and_stores_nothing(digital, resident_a, slug, code):
    area = digital.areas[slug]
    triage = current_triage(area)
    rule = next(rule for rule in triage.red_flags if rule["code"] == code)
    expected = VisitError.RED_FLAG_EMERGENCY if rule["call"] == "112" else VisitError.RED_FLAG_ADVICE
    # At once: the red-flag answer alone, with every other question still unanswered.
    with pytest.raises(DomainError) as raised:
        do_start_visit(actor_for(resident_a), area, triage, answers={rule["question"]: hit_value(rule)}, abroad=False)
    assert raised.value.code is expected
    assert raised.value.field == rule["question"]
    # And among otherwise complete answers.
    answers = valid_answers(triage.items) | {rule["question"]: hit_value(rule)}
    with pytest.raises(DomainError) as raised_again:
        do_start_visit(actor_for(resident_a), area, triage, answers=answers, abroad=False)
    assert raised_again.value.code is expected
    assert rule["call"] in str(raised_again.value.message)
    assert not Case.objects.filter(subject=resident_a).exists()
    assert not Visit.objects.exists()


@pytest.mark.rule("VISIT-1")
def test_complete_answers_without_red_flags_start_a_visit_with_its_triage_version(digital, resident_a):
    area = digital.areas["urinvagsinfektion"]
    triage = current_triage(area)
    answers = valid_answers(triage.items)
    started = do_start_visit(actor_for(resident_a), area, triage, answers=answers, abroad=False)
    visit = Visit.objects.get(case=started.case)
    assert visit.triage == triage and visit.area == area
    assert visit.answers["burning"] is False and visit.answers["duration"] == "day"
    assert started.case.service.kind == ServiceKind.DIGITAL_VISIT
    assert started.case.answers == {"area": "Urinvägsinfektion", "abroad": False}


@pytest.mark.rule("VISIT-1")
def test_red_flags_are_versioned_with_the_questions(digital, resident_a):
    area = digital.areas["urinvagsinfektion"]
    first = current_triage(area)
    spec = next(s for s in STANDARD_AREAS if s["slug"] == "urinvagsinfektion")
    # Version 2 no longer treats pain in the side as a red flag; version 1 keeps its own rules.
    second = do_publish_triage(
        SYSTEM, area, items=spec["items"], red_flags=[r for r in spec["red_flags"] if r["code"] != "flank_pain"]
    )
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (TriageStatus.RETIRED, TriageStatus.PUBLISHED, 2)
    assert any(rule["code"] == "flank_pain" for rule in first.red_flags)
    answers = valid_answers(second.items) | {"flank_pain": True}
    with pytest.raises(DomainError):
        do_start_visit(actor_for(resident_a), area, first, answers=answers, abroad=False)
    started = do_start_visit(actor_for(resident_a), area, second, answers=answers, abroad=False)
    assert started.visit.triage == second


@pytest.mark.rule("VISIT-1")
@pytest.mark.parametrize(
    ("red_flags", "problem"),
    [
        ([], "minst en röd flagga"),
        (
            [{"code": "x", "question": "nope", "operator": "=", "answer": True, "call": "112", "advice": "Ring."}],
            "nope",
        ),
        (
            [{"code": "x", "question": "chest_pain", "operator": "=", "answer": True, "call": "911", "advice": "R"}],
            "112",
        ),
        (
            [{"code": "x", "question": "chest_pain", "operator": "=", "answer": True, "call": "112", "advice": ""}],
            "råd",
        ),
    ],
)
def test_a_triage_with_a_broken_red_flag_rule_is_refused(red_flags, problem):
    spec = STANDARD_AREAS[0]
    with pytest.raises(DomainError) as raised:
        check_triage_definition(spec["items"], red_flags)
    assert raised.value.code is VisitError.INVALID_TRIAGE
    assert problem in str(raised.value.message)


def test_a_triage_with_too_few_questions_is_refused():
    spec = STANDARD_AREAS[0]
    with pytest.raises(DomainError) as raised:
        check_triage_definition(spec["items"][:8], spec["red_flags"][:1])
    assert raised.value.code is VisitError.INVALID_TRIAGE


@pytest.mark.rule("VISIT-7")
def test_an_area_not_handled_digitally_says_where_to_turn_and_takes_no_visit(digital, resident_a):
    area = digital.areas["brostsmarta-och-hjarta"]
    assert not area.handled_digitally
    with pytest.raises(DomainError) as raised:
        do_start_visit(
            actor_for(resident_a), area, current_triage(digital.areas["hudbesvar"]), answers={}, abroad=False
        )
    assert raised.value.code is VisitError.NOT_HANDLED_DIGITALLY
    assert "112" in str(raised.value.message)
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get(f"/digitalt-vardbesok/{area.pk}/")
    assert page.status_code == 200
    assert "ring 112" in page.content.decode() and 'name="submission_key"' not in page.content.decode()
    response = client.post(
        "/api/v1/visits",
        json.dumps({"area_id": area.pk, "answers": {}, "abroad": False}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("not-handled-digitally")


@pytest.mark.rule("VISIT-1")
def test_a_digital_visit_cannot_be_sent_through_the_generic_e_service_form(digital, resident_a):
    from vardnav.visits.actions import digital_visit_service

    service = digital_visit_service(SYSTEM, digital.provider)
    assert service not in services_offered_at(digital.unit)
    with pytest.raises(DomainError):
        do_submit_case(
            actor_for(resident_a), service=service, unit=digital.unit, answers={"area": "x", "abroad": False}
        )
    assert not Case.objects.filter(service=service).exists()


@pytest.mark.rule("VISIT-1")
def test_the_resident_answers_the_triage_on_the_page_with_an_image_and_lands_on_the_receipt(
    digital, resident_a, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    area = digital.areas["hudbesvar"]
    triage = current_triage(area)
    client = log_in_client(Client(), resident_identity(resident_a))
    areas_page = client.get("/digitalt-vardbesok/").content.decode()
    assert f"/digitalt-vardbesok/{area.pk}/" in areas_page
    form = {
        key: ("ja" if value is True else "nej" if value is False else value)
        for key, value in valid_answers(triage.items).items()
    }
    picture = SimpleUploadedFile("utslag.png", corpus.png_with_gps(), content_type="image/png")
    response = client.post(
        f"/digitalt-vardbesok/{area.pk}/", {**form, "abroad": "nej", "submission_key": "k" * 32, "files": picture}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(subject=resident_a)
    assert response["Location"] == f"/arenden/{case.pk}/kvitto/"
    assert case.messages.get().pk  # the submission message carries the picture
    from vardnav.attachments.models import Attachment

    assert Attachment.objects.filter(owner_id=case.messages.get().pk).count() == 1
    assert check_uploads  # the same upload checks as every case form


@pytest.mark.rule("VISIT-1")
def test_a_red_flag_on_the_page_shows_call_112_and_keeps_nothing(digital, resident_a):
    area = digital.areas["psykisk-ohalsa"]
    client = log_in_client(Client(), resident_identity(resident_a))
    response = client.post(f"/digitalt-vardbesok/{area.pk}/", {"suicidal_now": "ja", "submission_key": "r" * 32})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Ring 112 nu" in page and "90101" in page and 'href="tel:112"' in page
    assert not Case.objects.exists()


@pytest.mark.rule("VISIT-1")
def test_a_red_flag_in_the_api_is_a_problem_saying_call_1177(digital, resident_a):
    area = digital.areas["urinvagsinfektion"]
    client = log_in_client(Client(), resident_identity(resident_a))
    body = {"area_id": area.pk, "answers": {"flank_pain": True}, "abroad": False}
    response = client.post("/api/v1/visits", json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("red-flag-advice") and "1177" in problem["title"]
    assert not Case.objects.exists()


def test_the_api_lists_areas_and_gives_an_areas_questions(digital, resident_a):
    client = log_in_client(Client(), resident_identity(resident_a))
    areas = client.get("/api/v1/visits/areas").json()
    uti = next(a for a in areas if a["name"] == "Urinvägsinfektion")
    detail = client.get(f"/api/v1/visits/areas/{uti['id']}").json()
    assert detail["triage_version"] == 1 and len(detail["questions"]) > 20
    body = {"area_id": uti["id"], "answers": valid_answers(detail["questions"]), "abroad": True}
    created = client.post("/api/v1/visits", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["profession"] == "doctor"
    assert Visit.objects.get(case_id=created.json()["case_id"]).abroad is True


def test_missing_answers_are_named_in_swedish_next_to_each_question(digital, resident_a):
    area = digital.areas["urinvagsinfektion"]
    client = log_in_client(Client(), resident_identity(resident_a))
    response = client.post(f"/digitalt-vardbesok/{area.pk}/", {"submission_key": "m" * 32})
    assert response.status_code == 422
    assert "Välj ett svar på ”Svider eller gör det ont när du kissar?”" in response.content.decode()
    assert not Case.objects.exists()
