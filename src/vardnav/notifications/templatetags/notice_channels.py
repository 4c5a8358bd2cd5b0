"""`{% notice_channels case as channels %}`: how the resident who sent `case` will hear about an answer.

Duck-typed on the case (submitted_by, subject) so the notifications app imports
no cases module; the answer comes from notifications.actions.outside_channels,
the same function that sends the notices.
"""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.notifications.actions import outside_channels

register = template.Library()


@register.simple_tag
def notice_channels(case: Any) -> dict[str, bool]:
    submitter = case.submitted_by
    # A protected child's case keeps even the guardian's notice in-app (as cases.notices does).
    protected = case.subject_id != submitter.pk and case.subject.protected_identity
    channels = outside_channels(submitter, protected=protected)
    return {
        "email": "email" in channels,
        "sms": "sms" in channels,
        "none": not channels,
        "protected": submitter.protected_identity or protected,
    }
