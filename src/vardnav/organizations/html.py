"""Sanitising a unit's "Övrig information" (ORG-5).

Why its own module: the unit page renders this text as HTML, so the allow-list
is a security boundary. Keeping it in one small place makes it easy to review
and to test on its own, apart from who may save the text.
"""

from __future__ import annotations

import html

import nh3

# ORG-5: the editor offers headings 2 and 3, bold, italic, lists and links; the
# stored text may hold nothing else. Elements whose content is code or foreign
# documents are removed with their content, not just unwrapped.
_OTHER_INFORMATION_CLEANER = nh3.Cleaner(
    tags={"h2", "h3", "p", "strong", "em", "ul", "ol", "li", "a"},
    clean_content_tags={
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "noscript",
        "noembed",
        "object",
        "embed",
        "template",
        "textarea",
        "select",
        "svg",
        "math",
        "title",
    },
    attributes={"a": {"href", "title"}},
    tag_attribute_values={"a": {"target": {"_blank"}}},
    url_schemes={"http", "https"},
    url_relative="deny",
    # Every kept link gets rel, so a link opening a new window never hands the
    # new page a handle on ours (reverse tabnabbing) nor our address.
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_TEXT_ONLY_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


def sanitize_other_information(raw_html: str) -> str:
    """ORG-5: keep only the editor's allow-list; text without visible words becomes "".

    Why the emptiness test looks at text and not at the markup: an editor
    leaves "<p><br></p>" or "<p>&nbsp;</p>" behind when everything is deleted,
    and the page must then hide the heading, not show an empty section.
    """
    cleaned = _OTHER_INFORMATION_CLEANER.clean(raw_html or "").strip()
    visible_text = html.unescape(_TEXT_ONLY_CLEANER.clean(cleaned))
    if not visible_text.strip():
        return ""
    return cleaned
