"""Staff pages for cases: the unit inbox and the case page with its handling forms.

Every open of a case is a staff read of health data and is audited by
access_case_for_staff (REC-1). The forms POST to one URL per action and come
back to the case page, so a reload never repeats an action.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vardnav.attachments.access import staged_for
from vardnav.cases import access, actions
from vardnav.cases.errors import CaseError
from vardnav.cases.forms import QuestionnaireForm
from vardnav.cases.hooks import flag_labels
from vardnav.cases.models import CaseStatus, Outcome
from vardnav.cases.views import answer_rows
from vardnav.catalog.access import provider_services
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.core.forms import error_lines
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import provider_staff, staff_roles_at
from vardnav.organizations.models import Role


def _filters(request: HttpRequest) -> access.InboxFilters:
    def number(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    status = request.GET.get("status") or None
    return access.InboxFilters(
        service_id=number("service"),
        status=status if status in CaseStatus.values else None,
        flag=request.GET.get("flag") if request.GET.get("flag") in flag_labels() else None,
        overdue=request.GET.get("overdue") == "1",
        assignee_id=number("assignee"),
        unassigned=request.GET.get("unassigned") == "1",
    )


@staff_required
def inbox(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    page = access.inbox(actor, _filters(request), after=request.GET.get("after") or None)
    labels = flag_labels()
    for case in page.items:
        case.flag_labels = [(f.code, labels.get(f.code, f.code)) for f in case.flags.all()]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "cases/staff/inbox.html",
        {
            "page": page,
            "now": clock.now(),
            "is_receiver": Role.RECEIVER in page.roles,
            "services": provider_services(actor.provider_id) if actor.provider_id is not None else [],
            "handlers": access.handlers_at(actor.unit_id),
            "statuses": CaseStatus.choices,
            "flags": labels,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )


def _attachment_ids(request: HttpRequest) -> list[int]:
    """The staged files ticked in a sending form (ATT-7: uploaded and previewed before sending)."""
    return [int(value) for value in request.POST.getlist("attachment_ids") if value.isdigit()]


def _context(actor, case, **extra: Any) -> dict[str, Any]:
    roles = staff_roles_at(actor, case.unit_id)
    is_assignee = case.assigned_to_id == actor.staff_id
    dialogue = access.with_files(access.staff_messages(case))
    may_handle = is_assignee and case.status != CaseStatus.CLOSED
    is_receiver = Role.RECEIVER in roles
    return {
        "case": case,
        "messages_": dialogue,
        # ATT-5: receivers (with a partial reply when distributing) and the assigned handler attach files.
        "may_attach": case.status != CaseStatus.CLOSED and (is_receiver or may_handle),
        "staged": staged_for(actor, case.file_folder),
        "answers": answer_rows(case),
        "flags": [flag_labels().get(f.code, f.code) for f in case.flags.all()],
        "is_receiver": Role.RECEIVER in roles,
        "may_handle": is_assignee and case.status != CaseStatus.CLOSED,
        # CASE-1: an unassigned case routed to the handler role waits for one of them to take it.
        "may_take": Role.HANDLER in roles
        and case.assigned_to_id is None
        and case.routed_role == Role.HANDLER
        and case.status != CaseStatus.CLOSED,
        "handlers": access.handlers_at(case.unit_id),
        "outcomes": Outcome.choices,
        "reply_form": extra.pop("reply_form", None) or QuestionnaireForm(actions.reply_form_for(case), prefix="reply"),
        "now": clock.now(),
        **extra,
    }


@staff_required
def case_detail(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_for_staff(actor, case_id)
    actions.do_mark_read_by_staff(actor, case)
    return render(request, "cases/staff/case_detail.html", _context(actor, case))


def _act(request: HttpRequest, actor, case_id: int, perform, success: str) -> HttpResponse:
    case = access.access_case_for_staff(actor, case_id)
    try:
        perform(case)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, " ".join(error_lines(error)))
        return redirect("cases:staff_detail", case_id=case.pk)
    messages.success(request, success)
    return redirect("cases:staff_detail", case_id=case.pk)


@staff_required
@require_POST
def distribute(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    handler_id = request.POST.get("handler", "")
    handler = (
        provider_staff(actor.provider_id, int(handler_id))
        if handler_id.isdigit() and actor.provider_id is not None
        else None
    )

    def perform(case):
        if handler is None:
            raise CaseError.NOT_A_HANDLER.error(field="handler")
        actions.do_distribute_case(
            actor,
            case,
            handler=handler,
            partial_reply=request.POST.get("partial_reply", ""),
            attachment_ids=_attachment_ids(request),
        )

    return _act(request, actor, case_id, perform, "Ärendet är fördelat.")


@staff_required
@require_POST
def ask(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        actor,
        case_id,
        lambda case: actions.do_ask_question(
            actor, case, body=request.POST.get("body", ""), attachment_ids=_attachment_ids(request)
        ),
        "Motfrågan är skickad. Ärendet väntar nu på invånaren.",
    )


@staff_required
@require_POST
def reply(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor

    def perform(case):
        form = QuestionnaireForm(actions.reply_form_for(case), request.POST, prefix="reply")
        actions.do_reply(
            actor,
            case,
            answers=form.raw_answers(),
            close=request.POST.get("close") == "1",
            outcome=request.POST.get("outcome", ""),
            attachment_ids=_attachment_ids(request),
        )

    return _act(request, actor, case_id, perform, "Svaret är skickat till invånaren.")


@staff_required
@require_POST
def note(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        actor,
        case_id,
        lambda case: actions.do_add_note(actor, case, body=request.POST.get("body", "")),
        "Anteckningen är sparad.",
    )


@staff_required
@require_POST
def close(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        actor,
        case_id,
        lambda case: actions.do_close_case(actor, case, outcome=request.POST.get("outcome", "")),
        "Ärendet är avslutat.",
    )


@staff_required
@require_POST
def take(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        actor,
        case_id,
        lambda case: actions.do_take_case(actor, case),
        "Du har tagit ärendet och är nu handläggare.",
    )
