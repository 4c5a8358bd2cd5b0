"""The questionnaire engine: definitions, answers, conditions, FHIR export (ORG-3)."""

from __future__ import annotations

import pytest
import time_machine

from vardnav.catalog.questionnaires import (
    check_questionnaire_definition,
    check_response,
    to_fhir_questionnaire,
    to_fhir_response,
)
from vardnav.core.errors import DomainError

RENEWAL_ITEMS = [
    {"linkId": "info", "type": "display", "text": "Beskriv vilket läkemedel du vill förnya."},
    {"linkId": "medicine", "type": "string", "text": "Läkemedel", "required": True, "maxLength": 80},
    {"linkId": "addictive", "type": "boolean", "text": "Är läkemedlet beroendeframkallande?", "required": True},
    {
        "linkId": "pharmacy",
        "type": "choice",
        "text": "Hur vill du hämta ut?",
        "required": True,
        "answerOption": [{"code": "any", "display": "Valfritt apotek"}, {"code": "home", "display": "Hemleverans"}],
    },
    {
        "linkId": "symptoms",
        "type": "choice",
        "repeats": True,
        "text": "Har du haft något av detta?",
        "answerOption": [{"code": "dizzy", "display": "Yrsel"}, {"code": "rash", "display": "Utslag"}],
    },
    {
        "linkId": "addictive_why",
        "type": "text",
        "text": "Berätta varför du behöver läkemedlet",
        "required": True,
        "enableWhen": [{"question": "addictive", "operator": "=", "answer": True}],
    },
    {"linkId": "last_dose", "type": "date", "text": "Senaste dos", "maxValue": "today"},
    {"linkId": "tablets", "type": "integer", "text": "Antal tabletter kvar", "minValue": 0, "maxValue": 500},
    {"linkId": "phone", "type": "phone", "text": "Telefonnummer"},
    {"linkId": "files", "type": "attachment", "text": "Bifoga receptet"},
]


@pytest.fixture
def items():
    return check_questionnaire_definition(RENEWAL_ITEMS)


def errors_of(items, answers):
    with pytest.raises(DomainError) as caught:
        check_response(items, answers)
    return caught.value.errors


VALID = {"medicine": "Levaxin 50 mikrog", "addictive": "nej", "pharmacy": "any"}


@pytest.mark.rule("ORG-3")
def test_a_complete_answer_is_accepted_and_normalised(items):
    answers = check_response(items, {**VALID, "tablets": "12", "phone": "070-123 45 67", "symptoms": ["rash", "dizzy"]})
    assert answers == {
        "medicine": "Levaxin 50 mikrog",
        "addictive": False,
        "pharmacy": "any",
        "symptoms": ["dizzy", "rash"],
        "tablets": 12,
        "phone": "+46701234567",
    }


@pytest.mark.rule("ORG-3")
def test_it_names_every_missing_required_answer_in_swedish(items):
    errors = errors_of(items, {})
    assert set(errors) == {"medicine", "addictive", "pharmacy"}
    assert errors["medicine"] == ["Fyll i ”Läkemedel”."], "the message names the question it is about"
    assert errors["addictive"] == ["Välj ett svar på ”Är läkemedlet beroendeframkallande?”."]


def test_a_conditional_question_is_required_only_when_shown(items):
    assert "addictive_why" not in check_response(items, VALID)
    errors = errors_of(items, {**VALID, "addictive": "ja"})
    assert errors == {"addictive_why": ["Fyll i ”Berätta varför du behöver läkemedlet”."]}


def test_an_answer_to_a_hidden_question_is_dropped(items):
    answers = check_response(items, {**VALID, "addictive_why": "stale text from before"})
    assert "addictive_why" not in answers


def test_over_long_text_is_refused_with_the_limit(items):
    errors = errors_of(items, {**VALID, "medicine": "x" * 81})
    assert "högst 80 tecken" in errors["medicine"][0]


def test_an_option_that_is_not_offered_is_refused(items):
    assert "medicine" not in errors_of(items, {**VALID, "pharmacy": "drone"})
    assert errors_of(items, {**VALID, "pharmacy": "drone"})["pharmacy"] == ["Välj bland de alternativ som finns."]


def test_numbers_respect_min_and_max(items):
    assert "högst 500" in errors_of(items, {**VALID, "tablets": "501"})["tablets"][0]
    assert errors_of(items, {**VALID, "tablets": "1.5"})["tablets"] == ["Skriv ett heltal."]
    assert errors_of(items, {**VALID, "tablets": "many"})["tablets"] == ["Skriv ett tal."]


@time_machine.travel("2026-11-22 10:00 +0100", tick=False)
def test_a_date_cannot_be_later_than_today_when_the_form_says_so(items):
    assert check_response(items, {**VALID, "last_dose": "2026-11-22"})["last_dose"] == "2026-11-22"
    assert "efter 2026-11-22" in errors_of(items, {**VALID, "last_dose": "2026-11-23"})["last_dose"][0]
    assert "ÅÅÅÅ-MM-DD" in errors_of(items, {**VALID, "last_dose": "igår"})["last_dose"][0]


def test_an_invalid_phone_number_is_refused(items):
    assert errors_of(items, {**VALID, "phone": "12"})["phone"]


def test_answers_to_unknown_questions_are_refused(items):
    assert "answers" in errors_of(items, {**VALID, "injected": "x"})


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [{"linkId": "A b", "type": "string", "text": "x"}],
        [{"linkId": "a", "type": "string", "text": "x"}, {"linkId": "a", "type": "string", "text": "y"}],
        [{"linkId": "a", "type": "html", "text": "x"}],
        [{"linkId": "a", "type": "choice", "text": "x", "answerOption": [{"code": "only"}]}],
        [
            {"linkId": "a", "type": "string", "text": "x", "enableWhen": [{"question": "b", "answer": "y"}]},
            {"linkId": "b", "type": "string", "text": "y"},
        ],
        [{"linkId": "a", "type": "string", "text": "x", "minValue": 3}],
    ],
)
def test_a_broken_definition_is_refused(bad):
    with pytest.raises(DomainError) as caught:
        check_questionnaire_definition(bad)
    assert caught.value.code == "invalid-questionnaire"


def test_a_version_exports_as_fhir_questionnaire_and_response(items):
    class Version:
        service_id, version, title, status = 7, 3, "Förnya recept", "published"

    version = Version()
    version.items = items
    resource = to_fhir_questionnaire(version)
    assert resource["resourceType"] == "Questionnaire"
    assert resource["status"] == "active"
    pharmacy = next(i for i in resource["item"] if i["linkId"] == "pharmacy")
    assert pharmacy["answerOption"][0] == {"valueCoding": {"code": "any", "display": "Valfritt apotek"}}
    response = to_fhir_response(version, check_response(items, VALID))
    assert response["questionnaire"] == "Questionnaire/7-3"
    medicine = next(i for i in response["item"] if i["linkId"] == "medicine")
    assert medicine["answer"] == [{"valueString": "Levaxin 50 mikrog"}]


def test_line_breaks_from_a_browser_are_stored_as_one_kind(items):
    answers = check_response(items, {**VALID, "addictive": "ja", "addictive_why": "Rad ett\r\nRad två"})
    assert answers["addictive_why"] == "Rad ett\nRad två"
