"""How a service with its own logic plugs into the case engine.

Why a registry: the case engine must know no particular service. Prescriptions,
bookings and certificates register hooks for their service kinds from their own
AppConfig.ready(); the engine calls them at fixed points. The contract is the
`ServiceHooks` protocol: a service implements every member (subclassing
`DefaultHooks` gives the engine's defaults for the ones it does not change),
and mypy checks the implementation where it is registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpResponse

    from vardnav.cases.models import Case
    from vardnav.catalog.models import Service
    from vardnav.core.actor import Actor
    from vardnav.core.http import ActorRequest
    from vardnav.organizations.models import Unit
    from vardnav.people.models import Person

# The engine's own flags; services label theirs in ServiceHooks.flag_labels.
# Lazy: shown in the language of the page that lists the flags.
ENGINE_FLAG_LABELS = {"probable_duplicate": cast(str, _("Trolig dubblett"))}
DEFAULT_REPLY_FORM: list[dict[str, Any]] = [
    {"linkId": "reply", "type": "text", "text": "Svar till invånaren", "required": True, "maxLength": 5000},
]


@dataclass(frozen=True)
class SubmissionContext:
    """Who submits what where, for a service's submission check."""

    actor: Actor
    subject: Person
    unit: Unit
    service: Service


class ServiceHooks(Protocol):
    """What the case engine asks a service at its fixed points."""

    @property
    def reply_form(self) -> list[dict[str, Any]]:
        """The reply form the handler fills in (CASE-3), FHIR-shaped like questionnaires."""
        ...

    @property
    def form_scripts(self) -> tuple[str, ...]:
        """Static scripts the resident's form loads for this service (progressive enhancement)."""
        ...

    @property
    def flag_labels(self) -> Mapping[str, str]:
        """How staff see the flags check_submission sets (code → Swedish label)."""
        ...

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        """Check the answers beyond the questionnaire and return flags for staff (e.g. "addictive");
        raise DomainError to refuse the submission."""
        ...

    def may_reply(self, actor: Actor, case: Case) -> bool:
        """Whether this staff member may answer (beyond being the case's handler)."""
        ...

    def on_reply(self, actor: Actor, case: Case, answers: dict[str, Any]) -> None:
        """What an answer does beyond the message (e.g. record a prescription), run inside
        the reply's transaction with the validated reply-form answers."""
        ...

    def form_field_attrs(self) -> dict[str, dict[str, str]]:
        """Extra widget attributes per linkId of the resident's form (e.g. type-ahead)."""
        ...

    def form_step(self, request: ActorRequest, context: SubmissionContext) -> HttpResponse | None:
        """The service's own step on the resident's form page, before or instead of the questionnaire.

        Called on every GET and POST of the form page (after the offer is found). A response is
        the page; None shows (or submits) the generic questionnaire. A service that acts directly
        (e.g. cancelling a booking kept in Vårdnav) does it here, through its own actions.
        """
        ...


@dataclass(frozen=True)
class DefaultHooks:
    """The engine's behaviour for a service without its own logic; a base for those with some."""

    reply_form: list[dict[str, Any]] = field(default_factory=lambda: list(DEFAULT_REPLY_FORM))
    form_scripts: tuple[str, ...] = ()
    flag_labels: Mapping[str, str] = field(default_factory=dict)

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        return []

    def may_reply(self, actor: Actor, case: Case) -> bool:
        return True

    def on_reply(self, actor: Actor, case: Case, answers: dict[str, Any]) -> None:
        return None

    def form_field_attrs(self) -> dict[str, dict[str, str]]:
        return {}

    def form_step(self, request: ActorRequest, context: SubmissionContext) -> HttpResponse | None:
        return None


DEFAULT_HOOKS: ServiceHooks = DefaultHooks()
_registry: dict[str, ServiceHooks] = {}


def register_service_hooks(kind: str, hooks: ServiceHooks) -> None:
    _registry[kind] = hooks


def hooks_for(kind: str) -> ServiceHooks:
    """The service kind's hooks, or the engine's defaults (DEFAULT_HOOKS) when it registered none."""
    return _registry.get(kind) or DEFAULT_HOOKS


def flag_labels() -> dict[str, str]:
    """Every flag a case can carry with its label: the engine's own and those of each registered service."""
    labels = dict(ENGINE_FLAG_LABELS)
    for hooks in _registry.values():
        labels.update(hooks.flag_labels)
    return labels


# --- extensions of every case ---------------------------------------------------------
# An app that adds to cases plugs in here from its AppConfig.ready(): billing (the patient
# fee of every case), visits (freeing the practitioner's queue place when a digital visit
# closes, the link to its triage), certificates (the link to issuing on the cases a doctor
# certifies). The engine asks each extension at fixed points, for every case, and shows
# what it returns; it never knows which app answered. An extension that concerns only
# some services looks at `case.service.kind` itself. This is the one place closing a case
# reaches other apps (whichever action closes it: a reply that closes, or closing).


@dataclass(frozen=True)
class CaseLink:
    """A link the case pages show (text already translated, url already reversed)."""

    text: str
    url: str


class CaseExtension(Protocol):
    """What the case engine asks an app that adds to every case."""

    def submission_notes(self, actor: Actor, subject: Person, unit: Unit, service: Service) -> list[str]:
        """Lines shown on the resident's form before sending (e.g. the expected fee)."""
        ...

    def on_submitted(self, actor: Actor, case: Case) -> None:
        """Run inside the submission's transaction, after the case is stored."""
        ...

    def on_closed(self, actor: Actor, case: Case) -> None:
        """Run inside the closing transaction, after the case is stored as closed."""
        ...

    def resident_case_notes(self, case: Case) -> Sequence[str | CaseLink]:
        """Lines shown on the resident's case page (e.g. the fee and why it changed); a CaseLink is a link."""
        ...

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        """Links shown on the staff case page."""
        ...


class DefaultCaseExtension:
    """An extension that adds nothing; a base for those that use only some of the points."""

    def submission_notes(self, actor: Actor, subject: Person, unit: Unit, service: Service) -> list[str]:
        return []

    def on_submitted(self, actor: Actor, case: Case) -> None:
        return None

    def on_closed(self, actor: Actor, case: Case) -> None:
        return None

    def resident_case_notes(self, case: Case) -> Sequence[str | CaseLink]:
        return []

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        return []


_extensions: list[CaseExtension] = []


def register_case_extension(extension: CaseExtension) -> None:
    if not any(type(each) is type(extension) for each in _extensions):
        _extensions.append(extension)


def case_extensions() -> list[CaseExtension]:
    return list(_extensions)


# --- who handles a case, and what follows the profession (FEE-2, VISIT-4, VISIT-6) -------------------
# Visits and billing sit in one layer and may not import each other. A service whose cases move
# between professions (a digital visit: routed by complaint area, referred internally) tells the
# engine who handles a case now; an app that follows the profession (billing: the fee follows it)
# registers a follower. Visits asks the followers at the triage's last step, when it refers a
# visit, and for the provider's window for a free return in the same case.


class ProfessionFollower(Protocol):
    """What an app that follows the handling profession is asked."""

    def profession_notes(self, actor: Actor, subject: Person, service: Service, profession: str) -> list[str]:
        """Lines shown before sending when the profession is known (e.g. the expected fee)."""
        ...

    def on_profession_changed(self, actor: Actor, case: Case, profession: str) -> None:
        """Run inside the referral's transaction, after the case moved to `profession`."""
        ...

    def return_window_days(self, provider_id: int, day: dt.date) -> int | None:
        """How many days after closure a return in the same case is allowed and free (None: no opinion)."""
        ...


_handling: dict[str, Callable[[Case], str | None]] = {}
_followers: list[ProfessionFollower] = []


def register_handling_profession(kind: str, source: Callable[[Case], str | None]) -> None:
    _handling[kind] = source


def handling_profession(case: Case) -> str | None:
    """The profession handling the case now, when its service says (a digital visit: Visit.profession)."""
    source = _handling.get(case.service.kind)
    return source(case) if source is not None else None


def has_handling_profession(kind: str) -> bool:
    return kind in _handling


def register_profession_follower(follower: ProfessionFollower) -> None:
    if not any(type(each) is type(follower) for each in _followers):
        _followers.append(follower)


def profession_notes(actor: Actor, subject: Person, service: Service, profession: str) -> list[str]:
    return [note for each in _followers for note in each.profession_notes(actor, subject, service, profession)]


def profession_changed(actor: Actor, case: Case, profession: str) -> None:
    for each in _followers:
        each.on_profession_changed(actor, case, profession)


def return_window_days(provider_id: int, day: dt.date, *, default: int) -> int:
    """The provider's window for a return in the same case on the day (the followers' policy, else `default`)."""
    for each in _followers:
        days = each.return_window_days(provider_id, day)
        if days is not None:
            return days
    return default


# --- what a resident's block keeps from staff (REC-5) -----------------------------------
# A page that lists a resident's cases across the provider's units (e.g. the earlier
# visits on a practitioner's view of a digital visit) asks here which of them the reader
# may not see. The journal (records) answers from the resident's blocks; the engine and
# the listing app never learn why.


class CaseReadFilter(Protocol):
    """Which of one resident's cases a member of staff may not see in a cross-unit listing."""

    def withheld_case_ids(self, actor: Actor, cases: Sequence[Case]) -> set[int]:
        """The ids among `cases` (all of one subject) hidden from `actor`; records why itself."""
        ...


_read_filters: list[CaseReadFilter] = []


def register_case_read_filter(read_filter: CaseReadFilter) -> None:
    if not any(type(each) is type(read_filter) for each in _read_filters):
        _read_filters.append(read_filter)


def withheld_case_ids(actor: Actor, cases: Sequence[Case]) -> set[int]:
    """The union of what every registered filter hides; nothing when no app registered one."""
    hidden: set[int] = set()
    for read_filter in _read_filters:
        hidden |= read_filter.withheld_case_ids(actor, cases)
    return hidden
