"""The peer reviewer's link on the staff start page: the identity app's template cannot know the quality app, so
the start page asks this tag (one query, for the reviewer appointment). The follow-up is in the staff menu."""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.core.actor import Actor
from vardnav.quality.access import peer_reviewer

register = template.Library()


@register.inclusion_tag("quality/_review_links.html", takes_context=True)
def peer_review_links(context: template.Context) -> dict[str, Any]:
    actor = context.get("current_actor")
    return {"reviewer": isinstance(actor, Actor) and actor.is_staff and peer_reviewer(actor) is not None}
