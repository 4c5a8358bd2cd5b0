"""Template tags of the survey (QA-2): whether the staff member reads the survey results (for the links to them)."""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.quality.surveys import may_read_survey_results as _may_read

register = template.Library()


@register.simple_tag(takes_context=True)
def may_read_survey_results(context: Any) -> bool:
    """The provider's administrators and heads of unit: the start pages link the results for them only."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    return actor is not None and _may_read(actor)
