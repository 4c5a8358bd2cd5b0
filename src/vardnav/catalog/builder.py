"""Building a questionnaire one item at a time: the staff settings' builder (issue 11, item 13).

Why its own module: a provider administrator adds, edits, moves and removes
questions in a form, one step per request, instead of writing the FHIR-shaped
JSON. Each step here turns the current working items into the next list; the
result is saved through `do_save_questionnaire` (which checks the whole
definition with the questionnaire engine and keeps published versions
untouched) and published through `do_publish_questionnaire`, so the builder
accepts exactly what the admin, the API and the demo loader accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service
from vardnav.catalog.questionnaires import ANSWERLESS, ITEM_TYPES, MAX_ITEMS
from vardnav.core.errors import NotFound

# The builder offers what a resident can answer in a form; attachments are a service setting (ATT-4).
BUILDER_TYPES = [kind for kind in ITEM_TYPES if kind != "attachment"]
TEXT_MAX_LENGTH = 500
HELP_MAX_LENGTH = 500
OPTION_MAX_LENGTH = 120
MAX_OPTIONS = 30
_CODE_RE = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class ItemSpec:
    """One question as the builder's form describes it."""

    type: str
    text: str
    help: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    repeats: bool = False
    condition: str = ""  # "<linkId>=<answer code>", "" for always shown


@dataclass(frozen=True)
class BuilderState:
    """What the builder page shows: the draft being built (if any), the published version and every version."""

    service: Service
    draft: Questionnaire | None
    published: Questionnaire | None
    versions: list[Questionnaire]

    @property
    def working(self) -> Questionnaire | None:
        """The version the next change starts from: the draft, else the published version."""
        return self.draft or self.published

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.working.items) if self.working else []

    @property
    def title(self) -> str:
        return self.working.title if self.working else self.service.name


def provider_service(provider_id: int, service_id: int) -> Service:
    """A service of this provider (active or not); another provider's is the same 404 as a missing one."""
    service = Service.objects.select_related("provider").filter(pk=service_id, provider_id=provider_id).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_FOUND)
    return service


def services_with_questionnaires(provider_id: int) -> QuerySet[Service]:
    """The provider's services by name, for the builder's list (one query)."""
    return Service.objects.filter(provider_id=provider_id).order_by("name", "pk")


def builder_state(service: Service) -> BuilderState:
    versions = list(Questionnaire.objects.filter(service=service).order_by("-version"))
    draft = next((q for q in versions if q.status == QuestionnaireStatus.DRAFT), None)
    published = next((q for q in versions if q.status == QuestionnaireStatus.PUBLISHED), None)
    return BuilderState(service=service, draft=draft, published=published, versions=versions)


ANSWERED_SUFFIX = ":besvarad"


def _answer_code(answer: Any) -> str:
    return "ja" if answer is True else "nej" if answer is False else str(answer)


def condition_choices(items: list[dict[str, Any]], before: int | None = None) -> list[tuple[str, str]]:
    """The conditions an item may have on earlier answers, as (value, words):

    - "linkId=code" and "linkId!=code" for every answer of an earlier yes/no or choice question
      (equal, and not equal: any other answer or none);
    - "linkId:besvarad" for every earlier question that takes an answer (it is answered at all).

    `before` limits the list to the items before that position (editing an item);
    None offers every item (adding one at the end).
    """
    earlier = items if before is None else items[:before]
    choices = []
    for item in earlier:
        answers: list[tuple[str, str]] = []
        if item["type"] == "boolean":
            answers = [("ja", _("Ja")), ("nej", _("Nej"))]
        elif item["type"] == "choice":
            answers = [(option["code"], option["display"]) for option in item["answerOption"]]
        for code, shown in answers:
            choices.append((f"{item['linkId']}={code}", f"{item['text']} = {shown}"))
        for code, shown in answers:
            choices.append((f"{item['linkId']}!={code}", f"{item['text']} ≠ {shown}"))
        if item["type"] not in ANSWERLESS:
            answered = _("%(question)s är besvarad") % {"question": item["text"]}
            choices.append((f"{item['linkId']}{ANSWERED_SUFFIX}", answered))
    return choices


def condition_key(condition: dict[str, Any]) -> str:
    """The builder's value for one enableWhen condition ("linkId=code", "linkId!=code" or "linkId:besvarad")."""
    if condition.get("operator") == "exists":
        return f"{condition['question']}{ANSWERED_SUFFIX}" if condition.get("answer", True) else ""
    operator = "!=" if condition.get("operator") == "!=" else "="
    return f"{condition['question']}{operator}{_answer_code(condition.get('answer'))}"


def condition_of(item: dict[str, Any]) -> str:
    """The builder's value for an item's (first) condition, or "" when it is always shown."""
    for condition in item.get("enableWhen", []):
        key = condition_key(condition)
        if key:
            return key
    return ""


def _next_link_id(items: list[dict[str, Any]]) -> str:
    taken = {item["linkId"] for item in items}
    number = len(items) + 1
    while f"fraga_{number}" in taken:
        number += 1
    return f"fraga_{number}"


def _option_codes(options: tuple[str, ...]) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    used: set[str] = set()
    for position, display in enumerate(options, start=1):
        code = _CODE_RE.sub("_", slugify(display).replace("-", "_")).strip("_")[:40] or f"alternativ_{position}"
        if code in used or not code[0].isalpha():
            code = f"alternativ_{position}"
        used.add(code)
        result.append({"code": code, "display": display})
    return result


def _condition(spec_condition: str, earlier: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not spec_condition:
        return []
    allowed = dict(condition_choices(earlier))
    if spec_condition not in allowed:
        raise CatalogError.INVALID_CONDITION.error(field="condition")
    if spec_condition.endswith(ANSWERED_SUFFIX):
        return [{"question": spec_condition.removesuffix(ANSWERED_SUFFIX), "operator": "exists", "answer": True}]
    operator = "!=" if "!=" in spec_condition else "="
    question, code = spec_condition.split(operator, 1)
    source = next(item for item in earlier if item["linkId"] == question)
    answer: Any = (code == "ja") if source["type"] == "boolean" else code
    return [{"question": question, "operator": operator, "answer": answer}]


def _item_from(spec: ItemSpec, link_id: str, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    if spec.type not in BUILDER_TYPES:
        raise CatalogError.INVALID_ITEM_TYPE.error(field="type")
    text = " ".join(spec.text.split())
    if not text or len(text) > TEXT_MAX_LENGTH:
        raise CatalogError.INVALID_ITEM_TEXT.error(field="text", limit=TEXT_MAX_LENGTH)
    help_text = " ".join(spec.help.split())
    if len(help_text) > HELP_MAX_LENGTH:
        raise CatalogError.INVALID_ITEM_HELP.error(field="help", limit=HELP_MAX_LENGTH)
    item: dict[str, Any] = {"linkId": link_id, "type": spec.type, "text": text}
    item["required"] = spec.required and spec.type not in ANSWERLESS
    if help_text:
        item["help"] = help_text
    if spec.type == "choice":
        options = tuple(" ".join(option.split()) for option in spec.options if option.strip())
        if not 2 <= len(options) <= MAX_OPTIONS or any(len(option) > OPTION_MAX_LENGTH for option in options):
            raise CatalogError.INVALID_OPTIONS.error(field="options", limit=MAX_OPTIONS, length=OPTION_MAX_LENGTH)
        if len(set(options)) != len(options):
            raise CatalogError.DUPLICATE_OPTIONS.error(field="options")
        item["answerOption"] = _option_codes(options)
        item["repeats"] = spec.repeats
    conditions = _condition(spec.condition, earlier)
    if conditions:
        item["enableWhen"] = conditions
    return item


def add_item(items: list[dict[str, Any]], spec: ItemSpec) -> list[dict[str, Any]]:
    """The items with a new question at the end (shown when the chosen earlier answer is given)."""
    if len(items) >= MAX_ITEMS:
        raise CatalogError.TOO_MANY_ITEMS.error(field="text", limit=MAX_ITEMS)
    return [*items, _item_from(spec, _next_link_id(items), items)]


def replace_item(items: list[dict[str, Any]], position: int, spec: ItemSpec) -> list[dict[str, Any]]:
    """The items with the question at `position` (0-based) rewritten; it keeps its id, so answers stay linked."""
    _check_position(items, position)
    old = items[position]
    new = _item_from(spec, old["linkId"], items[:position])
    # A question whose answers others depend on keeps the answers they name.
    result = [*items[:position], new, *items[position + 1 :]]
    _refuse_broken_conditions(result, CatalogError.DEPENDED_ON, field="type")
    return result


def move_item(items: list[dict[str, Any]], position: int, step: int) -> list[dict[str, Any]]:
    """The items with the question at `position` moved one place up (-1) or down (+1)."""
    _check_position(items, position)
    target = position + step
    if step not in (-1, 1) or not 0 <= target < len(items):
        raise CatalogError.CANNOT_MOVE.error()
    result = list(items)
    result[position], result[target] = result[target], result[position]
    _refuse_broken_conditions(result, CatalogError.CONDITION_ORDER)
    return result


def remove_item(items: list[dict[str, Any]], position: int) -> list[dict[str, Any]]:
    _check_position(items, position)
    result = [*items[:position], *items[position + 1 :]]
    _refuse_broken_conditions(result, CatalogError.DEPENDED_ON)
    return result


def _check_position(items: list[dict[str, Any]], position: int) -> None:
    if not 0 <= position < len(items):
        raise NotFound(CatalogError.ITEM_NOT_FOUND)


def _refuse_broken_conditions(items: list[dict[str, Any]], code: CatalogError, field: str | None = None) -> None:
    """Every condition must name an earlier question and one of its answers (the engine's rule, said plainly)."""
    for position, item in enumerate(items):
        allowed = {value for value, _label in condition_choices(items, before=position)}
        for condition in item.get("enableWhen", []):
            key = condition_key(condition)
            if not key:  # "exists: false" (not answered), only from the API: the question must come earlier
                if condition["question"] not in {earlier["linkId"] for earlier in items[:position]}:
                    raise code.error(field=field, question=item["text"])
            elif key not in allowed:
                raise code.error(field=field, question=item["text"])
