"""Checking a help entry written by a provider administrator, before anything is saved.

The answer is rich text from the same editor as a unit's "Övrig information"
(ORG-5) and is sanitised with the same allow-list (organizations.html); the
plain-text copy the search index reads is derived from the sanitised HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3

from vardnav.help.errors import HelpError
from vardnav.help.models import Audience, HelpCategory
from vardnav.organizations.html import sanitize_other_information

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000

_BLOCK_END = re.compile(r"</(p|li|h2|h3|ul|ol)>", re.IGNORECASE)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


def plain_text(clean_html: str) -> str:
    """The words of sanitised HTML, a blank line between blocks (the search index and the API read this)."""
    text = html.unescape(_TEXT_ONLY.clean(_BLOCK_END.sub("\n\n", clean_html)))
    blocks = [" ".join(block.split()) for block in text.split("\n\n")]
    return "\n\n".join(block for block in blocks if block)


@dataclass(frozen=True)
class EntryText:
    title: str
    body_html: str
    body: str


def check_entry_text(title: Any, body_html: Any, *, required: bool = True) -> EntryText:
    """A question and its answer in one language; both or neither when not required (English)."""
    clean_title = " ".join(str(title or "").split())
    raw = str(body_html or "")
    if len(raw) > BODY_MAX_LENGTH:
        raise HelpError.BODY_TOO_LONG.error(field="body_html", limit=BODY_MAX_LENGTH)
    cleaned = sanitize_other_information(raw)
    body = plain_text(cleaned)
    if not required and not clean_title and not body:
        return EntryText("", "", "")
    if not clean_title:
        raise HelpError.TITLE_MISSING.error(field="title")
    if len(clean_title) > TITLE_MAX_LENGTH:
        raise HelpError.TITLE_TOO_LONG.error(field="title", limit=TITLE_MAX_LENGTH)
    if not body:
        raise HelpError.BODY_MISSING.error(field="body_html")
    return EntryText(clean_title, cleaned, body)


def check_category(value: Any) -> str:
    if value not in HelpCategory.values:
        raise HelpError.UNKNOWN_CATEGORY.error(field="category")
    return str(value)


def check_audience(value: Any) -> str:
    if value not in Audience.values:
        raise HelpError.UNKNOWN_AUDIENCE.error(field="audience")
    return str(value)
