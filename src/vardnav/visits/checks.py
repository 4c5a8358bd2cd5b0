"""Checking triage questionnaires and their red-flag rules, and finding a red flag in answers (VISIT-1).

Why red flags are data: each rule belongs to the questionnaire version it was
written for and is published with it, so a changed question can never leave a
rule pointing at the wrong answer. They are checked on the answers before
anything else: a resident who reports chest pain is told to call 112 at once,
even if other questions are still unanswered, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from vardnav.catalog.questionnaires import check_questionnaire_definition, check_response
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError
from vardnav.visits.errors import VisitError
from vardnav.visits.models import RedFlagCall

RED_FLAG_OPERATORS = {"=", "in", ">="}
MIN_TRIAGE_QUESTIONS = 20
MAX_TRIAGE_QUESTIONS = 40


def _invalid(problem: str) -> DomainError:
    return VisitError.INVALID_TRIAGE.error(field="items", problem=problem)


def check_triage_definition(items: Any, red_flags: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The catalogue's questionnaire check, about 20–30 answerable questions, and rules that name them."""
    clean_items = check_questionnaire_definition(items)
    questions = [item for item in clean_items if item["type"] != "display"]
    if not MIN_TRIAGE_QUESTIONS <= len(questions) <= MAX_TRIAGE_QUESTIONS:
        raise _invalid(f"{len(questions)} frågor; en triage har {MIN_TRIAGE_QUESTIONS}–{MAX_TRIAGE_QUESTIONS}.")
    by_id = {item["linkId"]: item for item in clean_items}
    if not isinstance(red_flags, list):
        raise _invalid("röda flaggor ska vara en lista.")
    rules: list[dict[str, Any]] = []
    codes: set[str] = set()
    for position, raw in enumerate(red_flags, start=1):
        if not isinstance(raw, dict):
            raise _invalid(f"röd flagga {position} är felaktigt uppbyggd.")
        code, question = str(raw.get("code", "")), str(raw.get("question", ""))
        operator, call = str(raw.get("operator", "=")), str(raw.get("call", ""))
        advice = str(raw.get("advice", "")).strip()
        if not code or code in codes:
            raise _invalid(f"röd flagga {position} behöver en unik kod.")
        if question not in by_id or by_id[question]["type"] in ("display", "attachment"):
            raise _invalid(f"röd flagga {code} pekar på en fråga som inte finns: {question}.")
        if operator not in RED_FLAG_OPERATORS:
            raise _invalid(f"röd flagga {code} har en okänd jämförelse: {operator}.")
        if call not in RedFlagCall.values:
            raise _invalid(f"röd flagga {code} ska hänvisa till 112 eller 1177.")
        if not advice:
            raise _invalid(f"röd flagga {code} saknar råd till invånaren.")
        item = by_id[question]
        answer = raw.get("answer")
        if operator == "in" and not (isinstance(answer, list) and answer):
            raise _invalid(f"röd flagga {code}: 'in' kräver en lista med svar.")
        if operator == ">=" and item["type"] not in ("integer", "decimal"):
            raise _invalid(f"röd flagga {code}: '>=' gäller bara tal.")
        if item["type"] == "choice":
            options = {option["code"] for option in item["answerOption"]}
            wanted = answer if isinstance(answer, list) else [answer]
            if not set(map(str, wanted)) <= options:
                raise _invalid(f"röd flagga {code} nämner ett svarsalternativ som inte finns.")
        codes.add(code)
        rules.append(
            {"code": code, "question": question, "operator": operator, "answer": answer, "call": call, "advice": advice}
        )
    if not rules:
        raise _invalid("en triage behöver minst en röd flagga.")
    return clean_items, rules


@dataclass(frozen=True)
class RedFlag:
    code: str
    question: str
    call: str
    advice: str

    def error(self) -> DomainError:
        code = VisitError.RED_FLAG_EMERGENCY if self.call == RedFlagCall.EMERGENCY else VisitError.RED_FLAG_ADVICE
        return code.error(field=self.question, advice=self.advice, red_flag=self.code, call=self.call)


def _value_of(item: dict[str, Any], raw: Any) -> Any:
    """The answer normalised as the questionnaire engine would, or None when it is empty or invalid."""
    single = {key: value for key, value in item.items() if key != "enableWhen"}
    single["required"] = False
    try:
        return check_response([single], {item["linkId"]: raw}).get(item["linkId"])
    except DomainError:
        return None


def _hit(rule: dict[str, Any], value: Any) -> bool:
    if value is None:
        return False
    operator, expected = rule["operator"], rule["answer"]
    values = value if isinstance(value, list) else [value]
    if operator == "=":
        return expected in values
    if operator == "in":
        return any(each in expected for each in values)
    try:
        return Decimal(str(value)) >= Decimal(str(expected))
    except InvalidOperation:
        return False


def find_red_flag(
    items: list[dict[str, Any]], red_flags: list[dict[str, Any]], raw_answers: dict[str, Any]
) -> RedFlag | None:
    """The first red flag the answers raise, 112 before 1177; None when there is none."""
    by_id = {item["linkId"]: item for item in items}
    hits = [
        rule
        for rule in red_flags
        if rule["question"] in raw_answers
        and _hit(rule, _value_of(by_id[rule["question"]], raw_answers[rule["question"]]))
    ]
    if not hits:
        return None
    hits.sort(key=lambda rule: rule["call"] != RedFlagCall.EMERGENCY)
    first = hits[0]
    return RedFlag(code=first["code"], question=first["question"], call=first["call"], advice=first["advice"])


def check_no_red_flag(
    items: list[dict[str, Any]], red_flags: list[dict[str, Any]], raw_answers: dict[str, Any]
) -> None:
    flag = find_red_flag(items, red_flags, raw_answers)
    if flag is not None:
        raise flag.error()


MEETING_MAX_DAYS_AHEAD = 60


def check_meeting_time(day: Any, time: Any, *, now: dt.datetime) -> dt.datetime:
    """VISIT-8: a meeting's start from a Swedish date and time of day (Europe/Stockholm), as an aware datetime.

    Not in the past, and at most MEETING_MAX_DAYS_AHEAD days ahead.
    """
    try:
        date = dt.date.fromisoformat(str(day or "").strip())
        clock_time = dt.time.fromisoformat(str(time or "").strip())
    except ValueError:
        raise VisitError.MEETING_TIME.error(field="day") from None
    starts_at = dt.datetime.combine(date, clock_time.replace(second=0, microsecond=0, tzinfo=None), tzinfo=STOCKHOLM)
    if starts_at < now - dt.timedelta(minutes=1):
        raise VisitError.MEETING_IN_PAST.error(field="day")
    if starts_at > now + dt.timedelta(days=MEETING_MAX_DAYS_AHEAD):
        raise VisitError.MEETING_TOO_FAR.error(field="day", days=MEETING_MAX_DAYS_AHEAD)
    return starts_at
