"""The record-note form on the staff case page's "Anteckning" tab (issue 11, item 12).

Why a template tag: the case page belongs to `cases`, which may not import `records`
(records sits above cases). The tag renders the records app's own form, posting to
records:sign_note (do_sign_note) with `workspace=1` so the view comes back to the case page.
"""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.cases.models import Case, CaseStatus
from vardnav.records.forms import NoteForm

register = template.Library()

WORKSPACE_AUTO_ID = "record-%s"


@register.inclusion_tag("records/staff/_sign_form.html", takes_context=True)
def record_note_form(context: template.Context, case: Case, form: NoteForm | None = None) -> dict[str, Any]:
    request = context.get("request")
    staff_id = getattr(getattr(request, "actor", None), "staff_id", None)
    return {
        "case": case,
        "form": form or NoteForm(auto_id=WORKSPACE_AUTO_ID),
        "workspace": True,
        # VISIT-10: the case's handler may end the contact with the summary.
        "may_close": case.assigned_to_id == staff_id and case.status != CaseStatus.CLOSED,
        "csrf_token": context.get("csrf_token"),
        "heading_id": "record-sign-heading",
    }
