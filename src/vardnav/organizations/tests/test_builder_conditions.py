"""The questionnaire builder's conditions "not equal" and "answered" (ORG-3): made in the settings area,
rendered for the resident's browser, and evaluated by the server when the form is sent."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.cases.forms import QuestionnaireForm
from vardnav.catalog import builder
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus
from vardnav.catalog.questionnaires import check_questionnaire_definition, check_response
from vardnav.core.errors import DomainError

pytestmark = pytest.mark.django_db


def spec(type_: str, text: str, condition: str = "", options: tuple[str, ...] = (), required: bool = False):
    return builder.ItemSpec(
        type=type_, text=text, help="", required=required, options=options, repeats=False, condition=condition
    )


def three_questions() -> list[dict]:
    """Which arm (choice), then a note shown unless the left arm, then a follow-up shown once the note is answered."""
    items = builder.add_item([], spec("choice", "Vilken arm?", options=("Vänster", "Höger")))
    arm = items[0]["linkId"]
    items = builder.add_item(items, spec("string", "Varför inte vänster?", condition=f"{arm}!=vanster", required=True))
    note = items[1]["linkId"]
    return builder.add_item(items, spec("text", "Berätta mer", condition=f"{note}:besvarad", required=True))


@pytest.mark.rule("ORG-3")
def test_org_3_the_builder_offers_not_equal_and_answered_and_writes_enable_when():
    items = three_questions()
    arm, note, more = items
    assert note["enableWhen"] == [{"question": arm["linkId"], "operator": "!=", "answer": "vanster"}]
    assert more["enableWhen"] == [{"question": note["linkId"], "operator": "exists", "answer": True}]
    offered = dict(builder.condition_choices(items))
    assert f"{arm['linkId']}!=hoger" in offered and f"{note['linkId']}:besvarad" in offered
    assert builder.condition_of(note) == f"{arm['linkId']}!=vanster"
    assert builder.condition_of(more) == f"{note['linkId']}:besvarad"


@pytest.mark.rule("ORG-3")
def test_org_3_an_unknown_or_later_condition_is_refused_at_the_condition_field():
    items = three_questions()
    for bad in (f"{items[0]['linkId']}!=okand", "fraga_99:besvarad", f"{items[2]['linkId']}:besvarad"):
        with pytest.raises(DomainError) as raised:
            builder.replace_item(items, 1, spec("string", "Varför?", condition=bad))
        assert raised.value.code == CatalogError.INVALID_CONDITION and raised.value.field == "condition"


@pytest.mark.rule("ORG-3")
def test_org_3_the_server_evaluates_not_equal_and_answered_when_the_form_is_sent():
    items = check_questionnaire_definition(three_questions())  # as saved and published
    arm, note, more = (item["linkId"] for item in items)

    # Left arm: the note and its follow-up are hidden, so their answers are dropped and nothing is required.
    assert check_response(items, {arm: "vanster", note: "gammalt", more: "gammalt"}) == {arm: "vanster"}
    # Right arm: the note is shown and required; answered, the follow-up is shown and required too.
    with pytest.raises(DomainError) as raised:
        check_response(items, {arm: "hoger"})
    assert set(raised.value.field_errors()) == {note}
    with pytest.raises(DomainError) as raised:
        check_response(items, {arm: "hoger", note: "Ont"})
    assert set(raised.value.field_errors()) == {more}
    assert check_response(items, {arm: "hoger", note: "Ont", more: "Sedan i går"}) == {
        arm: "hoger",
        note: "Ont",
        more: "Sedan i går",
    }
    # No arm chosen is "not the left arm" as well.
    with pytest.raises(DomainError):
        check_response(items, {})


@pytest.mark.rule("ORG-3")
def test_org_3_the_resident_form_carries_the_conditions_for_the_browser():
    items = three_questions()
    html = str(QuestionnaireForm(check_questionnaire_definition(items)))
    conditions = [json.loads(raw.replace("&quot;", '"')) for raw in re.findall(r'data-enable-when="([^"]+)"', html)]
    assert {"question": items[0]["linkId"], "operator": "!=", "answer": "vanster"} in conditions[0]
    assert conditions[1] == [{"question": items[1]["linkId"], "operator": "exists", "answer": True}]


@pytest.mark.rule("ORG-3")
def test_org_3_the_settings_builder_adds_the_new_conditions_and_says_them_in_words(provider_admin, open_service):
    admin = log_in_client(Client(), staff_identity(provider_admin))
    base = f"/personal/installningar/formular/{open_service.pk}/"
    admin.post(base + "ny-fraga/", {"type": "boolean", "text": "Har du feber?", "submission_key": "c-1".ljust(32, "x")})
    fever = Questionnaire.objects.get(service=open_service, status=QuestionnaireStatus.DRAFT).items[-1]["linkId"]
    form = admin.get(base + "ny-fraga/").content.decode()
    assert f'value="{fever}!=ja"' in form and f'value="{fever}:besvarad"' in form

    admin.post(
        base + "ny-fraga/",
        {"type": "string", "text": "Varför inte?", "condition": f"{fever}!=ja", "submission_key": "c-2".ljust(32, "x")},
    )
    admin.post(
        base + "ny-fraga/",
        {"type": "text", "text": "Mer?", "condition": f"{fever}:besvarad", "submission_key": "c-3".ljust(32, "x")},
    )
    refused = admin.post(base + "ny-fraga/", {"type": "text", "text": "Fel", "condition": f"{fever}!=kanske"})
    assert refused.status_code == 422 and 'href="#item-condition"' in refused.content.decode()

    draft = Questionnaire.objects.get(service=open_service, status=QuestionnaireStatus.DRAFT)
    assert [item.get("enableWhen") for item in draft.items[-2:]] == [
        [{"question": fever, "operator": "!=", "answer": True}],
        [{"question": fever, "operator": "exists", "answer": True}],
    ]
    page = re.sub(r"\s+", " ", admin.get(base).content.decode())
    assert "Visas bara när ”Har du feber?” inte är Ja" in page
    assert "Visas bara när ”Har du feber?” är besvarad" in page
