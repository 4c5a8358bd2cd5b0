"""The questionnaire engine: checks definitions, validates answers, exports FHIR.

Why our own small engine: the item types residents meet are few (short and long
text, yes/no, single and multiple choice, date, number, phone, information text,
attachment slot) and the validation must give Swedish messages per question, run
on the server, and behave the same in the web form and the API. The JSON shape
follows FHIR R4 Questionnaire.item so export is a straight copy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers

from vardnav.catalog.errors import CatalogError
from vardnav.core import clock
from vardnav.core.errors import DomainError

ITEM_TYPES = {
    "string": "Kort text",
    "text": "Lång text",
    "boolean": "Ja/nej",
    "choice": "Val (ett eller flera)",
    "date": "Datum",
    "integer": "Heltal",
    "decimal": "Tal",
    "phone": "Telefonnummer",
    "display": "Informationstext",
    "attachment": "Bifogade filer",
}
ANSWERLESS = {"display", "attachment"}  # attachments are uploaded separately, not typed in
DEFAULT_MAX_LENGTH = {"string": 200, "text": 5000}
LINK_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
OPERATORS = {"=", "!=", "exists"}
MAX_ITEMS = 100


def _invalid_definition(problem: str) -> DomainError:
    return CatalogError.INVALID_QUESTIONNAIRE.error(field="items", problem=problem)


def check_questionnaire_definition(items: Any) -> list[dict[str, Any]]:
    """Validate and normalise a questionnaire's items; refuse anything ambiguous."""
    if not isinstance(items, list) or not items:
        raise _invalid_definition("Formuläret måste ha minst en fråga.")
    if len(items) > MAX_ITEMS:
        raise _invalid_definition(f"Formuläret får ha högst {MAX_ITEMS} frågor.")
    seen: dict[str, dict[str, Any]] = {}
    normalised = []
    for position, raw in enumerate(items, start=1):
        if not isinstance(raw, Mapping):
            raise _invalid_definition(f"Fråga {position} är felaktigt uppbyggd.")
        link_id = str(raw.get("linkId", ""))
        item_type = str(raw.get("type", ""))
        text = str(raw.get("text", "")).strip()
        if not LINK_ID_RE.match(link_id):
            raise _invalid_definition(f"Fråga {position} har ett ogiltigt id (små bokstäver, siffror, _).")
        if link_id in seen:
            raise _invalid_definition(f"Id:t {link_id} används av två frågor.")
        if item_type not in ITEM_TYPES:
            raise _invalid_definition(f"Fråga {position} har en okänd typ: {item_type}.")
        if not text:
            raise _invalid_definition(f"Fråga {position} saknar text.")
        item: dict[str, Any] = {
            "linkId": link_id,
            "type": item_type,
            "text": text,
            "required": bool(raw.get("required", False)) and item_type not in ANSWERLESS,
        }
        if raw.get("help"):
            item["help"] = str(raw["help"])
        if item_type == "choice":
            options = raw.get("answerOption") or []
            codes = [str(option.get("code", "")) for option in options if isinstance(option, Mapping)]
            if len(codes) < 2 or len(set(codes)) != len(codes) or not all(codes):
                raise _invalid_definition(f"Fråga {position} behöver minst två svarsalternativ med unika koder.")
            item["answerOption"] = [
                {"code": str(option["code"]), "display": str(option.get("display") or option["code"])}
                for option in options
            ]
            item["repeats"] = bool(raw.get("repeats", False))
        if item_type in DEFAULT_MAX_LENGTH:
            max_length = int(raw.get("maxLength") or DEFAULT_MAX_LENGTH[item_type])
            if not 1 <= max_length <= DEFAULT_MAX_LENGTH["text"]:
                raise _invalid_definition(f"Fråga {position}: maxlängden måste vara 1–5000 tecken.")
            item["maxLength"] = max_length
        for bound in ("minValue", "maxValue"):
            if bound in raw and raw[bound] is not None:
                if item_type not in ("integer", "decimal", "date"):
                    raise _invalid_definition(f"Fråga {position}: min/max gäller bara tal och datum.")
                item[bound] = raw[bound]
        conditions = raw.get("enableWhen") or []
        if conditions:
            item["enableWhen"] = [_check_condition(position, condition, seen) for condition in conditions]
        seen[link_id] = item
        normalised.append(item)
    return normalised


def _check_condition(position: int, condition: Any, earlier: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if not isinstance(condition, Mapping):
        raise _invalid_definition(f"Fråga {position} har ett felaktigt villkor.")
    question = str(condition.get("question", ""))
    operator = str(condition.get("operator", "="))
    if question not in earlier:
        raise _invalid_definition(f"Fråga {position} kan bara visas beroende av en tidigare fråga.")
    if operator not in OPERATORS:
        raise _invalid_definition(f"Fråga {position} har en okänd jämförelse: {operator}.")
    result: dict[str, Any] = {"question": question, "operator": operator}
    if operator != "exists":
        result["answer"] = condition.get("answer")
    else:
        result["answer"] = bool(condition.get("answer", True))
    return result


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _matches(condition: dict[str, Any], answers: Mapping[str, Any]) -> bool:
    value = answers.get(condition["question"])
    if condition["operator"] == "exists":
        return (not _is_empty(value)) == condition["answer"]
    expected = condition["answer"]
    hit = expected in value if isinstance(value, list) else value == expected
    return hit if condition["operator"] == "=" else not hit


def is_enabled(item: dict[str, Any], answers: Mapping[str, Any]) -> bool:
    """An item is shown when all its conditions hold for the (already validated) earlier answers."""
    return all(_matches(condition, answers) for condition in item.get("enableWhen", []))


def check_response(items: list[dict[str, Any]], raw_answers: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a resident's answers; return them normalised, or raise with one Swedish message per question.

    Answers to questions hidden by their conditions are dropped, so a changed
    earlier answer can never leave stale data behind.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    known = {item["linkId"] for item in items}
    unknown = sorted(set(raw_answers) - known)
    if unknown:
        errors["answers"] = ["Svaret innehåller frågor som inte finns i formuläret."]
    for item in items:
        if item["type"] in ANSWERLESS or not is_enabled(item, answers):
            continue
        link_id = item["linkId"]
        raw = raw_answers.get(link_id)
        if _is_empty(raw):
            if item["required"]:
                errors[link_id] = [missing_answer_message(item)]
            continue
        try:
            answers[link_id] = _check_value(item, raw)
        except ValueError as exc:
            errors[link_id] = [str(exc)]
    if errors:
        raise CatalogError.INVALID_ANSWERS.error(errors=errors)
    return answers


def missing_answer_message(item: dict[str, Any]) -> str:
    """A message that names the question, so it makes sense read alone (in the summary, by a screen reader)."""
    question = item["text"].strip()
    if item["type"] in ("choice", "boolean"):
        return f"Välj ett svar på ”{question}”."
    return f"Fyll i ”{question}”."


def _check_value(item: dict[str, Any], raw: Any) -> Any:
    kind = item["type"]
    if kind in ("string", "text"):
        text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
        value = text.strip() if kind == "text" else " ".join(text.split())
        if len(value) > item["maxLength"]:
            raise ValueError(f"Svaret får vara högst {item['maxLength']} tecken (nu {len(value)}).")
        return value
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        lowered = str(raw).strip().lower()
        if lowered in ("true", "ja", "yes", "1"):
            return True
        if lowered in ("false", "nej", "no", "0"):
            return False
        raise ValueError("Svara ja eller nej.")
    if kind == "choice":
        codes = {option["code"] for option in item["answerOption"]}
        chosen = raw if isinstance(raw, list) else [raw]
        chosen = [str(code) for code in chosen if not _is_empty(code)]
        if not item["repeats"] and len(chosen) != 1:
            raise ValueError("Välj ett av alternativen.")
        if any(code not in codes for code in chosen):
            raise ValueError("Välj bland de alternativ som finns.")
        return (
            sorted(set(chosen), key=[o["code"] for o in item["answerOption"]].index) if item["repeats"] else chosen[0]
        )
    if kind == "date":
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-01.") from None
        low, high = _date_bound(item.get("minValue")), _date_bound(item.get("maxValue"))
        if low and day < low:
            raise ValueError(f"Datumet kan inte vara före {low.isoformat()}.")
        if high and day > high:
            raise ValueError(f"Datumet kan inte vara efter {high.isoformat()}.")
        return day.isoformat()
    if kind in ("integer", "decimal"):
        text = str(raw).strip().replace(",", ".").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("Skriv ett tal.") from None
        if not number.is_finite() or (kind == "integer" and number != number.to_integral_value()):
            raise ValueError("Skriv ett heltal." if kind == "integer" else "Skriv ett tal.")
        if "minValue" in item and number < Decimal(str(item["minValue"])):
            raise ValueError(f"Talet måste vara minst {item['minValue']}.")
        if "maxValue" in item and number > Decimal(str(item["maxValue"])):
            raise ValueError(f"Talet får vara högst {item['maxValue']}.")
        return int(number) if kind == "integer" else str(number)
    if kind == "phone":
        try:
            parsed = phonenumbers.parse(str(raw), "SE")
        except phonenumbers.NumberParseException:
            raise ValueError("Skriv ett telefonnummer, till exempel 070-123 45 67.") from None
        if not phonenumbers.is_valid_number(parsed):
            raise ValueError("Telefonnumret är inte giltigt.")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    raise ValueError("Frågan kan inte besvaras här.")


def _date_bound(bound: Any) -> dt.date | None:
    if bound in (None, ""):
        return None
    if bound == "today":
        return clock.today()
    return dt.date.fromisoformat(str(bound))


_FHIR_TYPES = {"phone": "string", "decimal": "decimal"}


def to_fhir_questionnaire(questionnaire: Any) -> dict[str, Any]:
    """Export one version as a FHIR R4 Questionnaire resource."""

    def fhir_item(item: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "linkId": item["linkId"],
            "text": item["text"],
            "type": _FHIR_TYPES.get(item["type"], item["type"]),
            "required": item["required"],
        }
        if item["type"] == "choice":
            result["repeats"] = item["repeats"]
            result["answerOption"] = [
                {"valueCoding": {"code": option["code"], "display": option["display"]}}
                for option in item["answerOption"]
            ]
        if "maxLength" in item:
            result["maxLength"] = item["maxLength"]
        if "enableWhen" in item:
            result["enableWhen"] = [_fhir_condition(condition) for condition in item["enableWhen"]]
            result["enableBehavior"] = "all"
        return result

    return {
        "resourceType": "Questionnaire",
        "id": f"{questionnaire.service_id}-{questionnaire.version}",
        "version": str(questionnaire.version),
        "title": questionnaire.title,
        "status": {"draft": "draft", "published": "active", "retired": "retired"}[questionnaire.status],
        "item": [fhir_item(item) for item in questionnaire.items],
    }


def _fhir_condition(condition: dict[str, Any]) -> dict[str, Any]:
    answer = condition["answer"]
    key = "answerBoolean" if isinstance(answer, bool) else "answerString"
    if condition["operator"] != "exists" and not isinstance(answer, bool):
        key = "answerCoding"
        answer = {"code": str(answer)}
    return {"question": condition["question"], "operator": condition["operator"], key: answer}


def to_fhir_response(questionnaire: Any, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Export validated answers as a FHIR R4 QuestionnaireResponse."""
    by_id = {item["linkId"]: item for item in questionnaire.items}
    items = []
    for link_id, value in answers.items():
        item = by_id[link_id]
        values = value if isinstance(value, list) else [value]
        items.append({"linkId": link_id, "text": item["text"], "answer": [_fhir_answer(item, v) for v in values]})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"Questionnaire/{questionnaire.service_id}-{questionnaire.version}",
        "status": "completed",
        "item": items,
    }


def _fhir_answer(item: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = item["type"]
    if kind == "boolean":
        return {"valueBoolean": value}
    if kind == "choice":
        display = next(o["display"] for o in item["answerOption"] if o["code"] == value)
        return {"valueCoding": {"code": value, "display": display}}
    if kind == "date":
        return {"valueDate": value}
    if kind == "integer":
        return {"valueInteger": value}
    if kind == "decimal":
        return {"valueDecimal": float(value)}
    return {"valueString": value}
