"""The complaint service's own hooks in the case engine (cases.hooks): CMP-3 and CMP-4, and the category flag.

A complaint is a case like any other (CMP-1: the unit's inbox, its receivers
and handlers); what differs is checked here, for every way in (the page, the
API, intake): the sender is a logged-in resident or a guardian acting for a
child (never anonymous, CMP-3), the event date is given and not in the
future, and for a whole care process it is the process's start date (CMP-4,
marked on the case so staff read the date right). The category becomes a
flag, which the follow-up counts without reading any case content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from vardnav.cases.hooks import DefaultHooks
from vardnav.complaints.content import CATEGORY_FLAG_PREFIX, PROCESS_FLAG, Category
from vardnav.complaints.errors import ComplaintError
from vardnav.core import clock

if TYPE_CHECKING:
    from vardnav.cases.hooks import SubmissionContext


class _Labels(Mapping[str, str]):
    """The flags' labels, translated when read (staff read them in the language they chose)."""

    def __init__(self) -> None:
        self._labels: dict[str, Any] = {f"{CATEGORY_FLAG_PREFIX}{code}": label for code, label in Category.choices}
        self._labels[PROCESS_FLAG] = _("Gäller en hel vårdprocess (datumet är när den började)")

    def __getitem__(self, code: str) -> str:
        return str(self._labels[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def has_content(text: Any) -> bool:
    """Something a person wrote: at least one letter or digit, not only punctuation."""
    return any(ch.isalnum() for ch in str(text or ""))


@dataclass(frozen=True)
class ComplaintHooks(DefaultHooks):
    flag_labels: Mapping[str, str] = field(default_factory=_Labels)

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        actor = context.actor
        if not actor.is_resident or actor.person_id is None:  # CMP-3
            raise ComplaintError.NOT_A_RESIDENT.error()
        if not has_content(answers.get("what")):
            raise ComplaintError.EMPTY_COMPLAINT.error(field="what")
        event_date = answers.get("event_date")
        if not event_date:
            raise ComplaintError.EVENT_DATE_MISSING.error(field="event_date")
        day = event_date if isinstance(event_date, dt.date) else dt.date.fromisoformat(str(event_date))
        if day > clock.today():
            raise ComplaintError.EVENT_DATE_IN_FUTURE.error(field="event_date")
        flags = []
        if answers.get("category") in Category.values:
            flags.append(f"{CATEGORY_FLAG_PREFIX}{answers['category']}")
        if answers.get("about_process") is True:
            flags.append(PROCESS_FLAG)
        return flags
