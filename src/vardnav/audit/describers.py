"""What an audit entry's object was, in words a resident reads ("ärende 2026-000123, Kontakta mottagningen").

Why a registry: the audit log knows no domain (.importlinter), yet the log
extract should say which case a read concerned. Each app that records entries
about its objects registers a describer for its object type in its AppConfig.ready;
the extract calls each describer once per page with all ids of that type, so a
page costs one query per object type however many rows it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

# object ids (as stored: strings) → {object id: description}
Describer = Callable[[set[str]], dict[str, str]]

_describers: dict[str, Describer] = {}


def register_describer(object_type: str, describer: Describer) -> None:
    _describers[object_type] = describer


def describe(references: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Descriptions of (object_type, object_id) pairs; a type without a describer, or a gone object, gets none."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in references:
        if object_type in _describers and object_id:
            by_type[object_type].add(object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, ids in by_type.items():
        for object_id, text in _describers[object_type](ids).items():
            found[(object_type, object_id)] = text
    return found
