"""How a service with its own logic plugs into the case engine.

Why a registry: the case engine must know no particular service (design.md).
Prescriptions, bookings and certificates register hooks for their service kinds
from their own AppConfig.ready(); the engine calls them at fixed points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The engine's own flags; services label theirs in ServiceHooks.flag_labels.
ENGINE_FLAG_LABELS = {"probable_duplicate": "Trolig dubblett"}
DEFAULT_REPLY_FORM: list[dict[str, Any]] = [
    {"linkId": "reply", "type": "text", "text": "Svar till invånaren", "required": True, "maxLength": 5000},
]


@dataclass(frozen=True)
class SubmissionContext:
    actor: Any
    subject: Any
    unit: Any
    service: Any


@dataclass(frozen=True)
class ServiceHooks:
    # Validate the answers beyond the questionnaire and return flags for staff
    # (e.g. "addictive"); raise DomainError to refuse the submission.
    check_submission: Callable[[SubmissionContext, dict[str, Any]], list[str]] = lambda context, answers: []
    # The reply form the handler fills in (CASE-3), FHIR-shaped like questionnaires.
    reply_form: list[dict[str, Any]] = field(default_factory=lambda: list(DEFAULT_REPLY_FORM))
    # Which staff may answer; None = any handler of the unit.
    may_reply: Callable[[Any, Any], bool] | None = None
    # What an answer does beyond the message (e.g. record a prescription), run
    # inside the reply's transaction with the validated reply-form answers.
    on_reply: Callable[[Any, Any, dict[str, Any]], None] | None = None
    # Progressive enhancement of the resident's form: extra widget attributes per
    # linkId (e.g. type-ahead), and the static scripts that read them.
    form_field_attrs: Callable[[], dict[str, dict[str, str]]] | None = None
    form_scripts: tuple[str, ...] = ()
    # How staff see the flags check_submission sets (code → Swedish label).
    flag_labels: Mapping[str, str] = field(default_factory=dict)


_registry: dict[str, ServiceHooks] = {}


def register_service_hooks(kind: str, hooks: ServiceHooks) -> None:
    _registry[kind] = hooks


def hooks_for(kind: str) -> ServiceHooks:
    return _registry.get(kind) or ServiceHooks()


def flag_labels() -> dict[str, str]:
    """Every flag a case can carry with its label: the engine's own and those of each registered service."""
    labels = dict(ENGINE_FLAG_LABELS)
    for hooks in _registry.values():
        labels.update(hooks.flag_labels)
    return labels
