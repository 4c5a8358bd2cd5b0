"""Staff pages for cases: the unit inbox and the case page with its handling forms.

Every open of a case is a staff read of health data and is audited once by
access_case_for_staff (REC-1); an action fetches the case with
access_case_to_handle and records itself, not as another read. The forms POST
to one URL per action and come back to the case page, so a reload never
repeats an action; a refused action shows the page again with the message next
to the field it concerns and the form's error summary (core.forms.apply_domain_error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST

from vardnav.attachments.access import staged_for
from vardnav.cases import access, actions
from vardnav.cases.errors import CaseError
from vardnav.cases.forms import CloseForm, DistributeForm, NoteForm, QuestionForm, ReplyForm, TakeForm
from vardnav.cases.hooks import case_extensions, flag_labels
from vardnav.cases.models import Case, CaseStatus, Outcome
from vardnav.cases.views import answer_rows
from vardnav.catalog.access import provider_services
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
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
        unread=request.GET.get("unread") == "1",
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
            # Overdue is counted up to a limit (access.OVERDUE_COUNT_LIMIT): at the limit it reads "1 000+".
            "overdue": (
                f"{number_format(access.OVERDUE_COUNT_LIMIT, force_grouping=True)}+"
                if page.counts["overdue"] >= access.OVERDUE_COUNT_LIMIT
                else page.counts["overdue"]
            ),
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


def _handler_choices(case: Case) -> list[tuple[int, str]]:
    return [
        (handler.pk, f"{handler.given_name} {handler.surname}, {handler.get_profession_display().lower()}")
        for handler in access.handlers_at(case.unit_id)
    ]


def _forms(case: Case) -> dict[str, forms.Form]:
    """The page's handling forms, unbound; a refused action replaces its own with the bound one."""
    outcomes = list(Outcome.choices)
    return {
        "take_form": TakeForm(),
        "distribute_form": DistributeForm(_handler_choices(case)),
        "reply_form": ReplyForm(actions.reply_form_for(case), outcomes),
        "question_form": QuestionForm(),
        "close_form": CloseForm(outcomes),
        "note_form": NoteForm(),
    }


def _context(actor: Actor, case: Case, **bound: forms.Form) -> dict[str, Any]:
    roles = staff_roles_at(actor, case.unit_id)
    is_assignee = case.assigned_to_id == actor.staff_id
    dialogue = access.with_files(access.staff_messages(case))
    may_handle = is_assignee and case.status != CaseStatus.CLOSED
    is_receiver = Role.RECEIVER in roles
    may_take = (
        Role.HANDLER in roles
        and case.assigned_to_id is None
        and case.routed_role == Role.HANDLER
        and case.status != CaseStatus.CLOSED
    )
    # Which handling forms the page shows this staff member (the template's sections).
    shown = {
        "take_form": may_take,
        "distribute_form": is_receiver and case.status != CaseStatus.CLOSED,
        "reply_form": may_handle,
        "question_form": may_handle,
        "close_form": may_handle,
        "note_form": case.status != CaseStatus.CLOSED,
        "record_note_form": True,  # records' sign form on the "Anteckning" tab (render_workspace)
    }
    # A refusal from a form the page does not show (a receiver asking on a case not yet
    # distributed, say) is summarised at the top of the page instead.
    hidden_refusals = [form for name, form in bound.items() if not shown.get(name, False)]
    return {
        "case": case,
        "messages_": dialogue,
        # ATT-5: receivers (with a partial reply when distributing) and the assigned handler attach files.
        "may_attach": case.status != CaseStatus.CLOSED and (is_receiver or may_handle),
        "staged": staged_for(actor, case.file_folder),
        "answers": answer_rows(case),
        "flags": [flag_labels().get(f.code, f.code) for f in case.flags.all()],
        "is_receiver": is_receiver,
        "may_handle": may_handle,
        # CASE-1: an unassigned case routed to the handler role waits for one of them to take it.
        "may_take": may_take,
        "refused_form": hidden_refusals[0] if hidden_refusals else None,
        "extension_links": [link for each in case_extensions() for link in each.staff_case_links(actor, case)],
        "now": clock.now(),
        **_forms(case),
        **bound,
    }


def render_workspace(request: StaffRequest, case_id: int, *, status: int, **bound: forms.Form) -> HttpResponse:
    """The case page again after a refused form of another app (records' note tab), its errors at the fields.

    Shown with the case's content: a viewing, recorded as a read (REC-1).
    """
    actor = request.actor
    case = access.access_case_to_handle(actor, case_id)
    access.record_case_viewing(actor, case)
    return render(request, "cases/staff/case_detail.html", _context(actor, case, **bound), status=status)


@staff_required
def case_detail(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_opened_by_staff(actor, case_id)
    return render(request, "cases/staff/case_detail.html", _context(actor, case))


def _act(
    request: StaffRequest,
    case_id: int,
    form_name: str,
    make_form: Callable[[Case], forms.Form],
    perform: Callable[[Case, forms.Form], object],
    success: str,
) -> HttpResponse:
    """access → do → back to the case page; a refusal shows the page again with the message at its field.

    The action records itself (its own audit event); only when the page is
    shown again, with the case's content, is that a viewing and recorded as a read.
    """
    actor = request.actor
    case = access.access_case_to_handle(actor, case_id)
    form = make_form(case)
    try:
        perform(case, form)
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        access.record_case_viewing(actor, case)
        context = _context(actor, case, **{form_name: form})
        return render(request, "cases/staff/case_detail.html", context, status=error.status)
    messages.success(request, gettext(success))
    return redirect("cases:staff_detail", case_id=case.pk)


@staff_required
@require_POST
def distribute(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor

    def perform(case: Case, form: forms.Form) -> None:
        handler_id = request.POST.get("handler", "")
        handler = (
            provider_staff(case.provider_id, int(handler_id)) if handler_id.isdigit() and len(handler_id) < 19 else None
        )
        if handler is None:
            raise CaseError.NOT_A_HANDLER.error(field="handler")
        actions.do_distribute_case(
            actor,
            case,
            handler=handler,
            partial_reply=request.POST.get("partial_reply", ""),
            attachment_ids=_attachment_ids(request),
        )

    return _act(
        request,
        case_id,
        "distribute_form",
        lambda case: DistributeForm(_handler_choices(case), request.POST),
        perform,
        gettext_noop("Ärendet är fördelat."),
    )


@staff_required
@require_POST
def ask(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        case_id,
        "question_form",
        lambda case: QuestionForm(request.POST),
        lambda case, form: actions.do_ask_question(
            actor, case, body=request.POST.get("body", ""), attachment_ids=_attachment_ids(request)
        ),
        gettext_noop("Motfrågan är skickad. Ärendet väntar nu på invånaren."),
    )


@staff_required
@require_POST
def reply(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor

    def perform(case: Case, form: forms.Form) -> None:
        assert isinstance(form, ReplyForm)
        if request.POST.get("close") == "1" and not request.POST.get("outcome"):
            # No default outcome on the page: closing with the answer names how the case ended.
            raise CaseError.INVALID_OUTCOME.error(field="outcome")
        actions.do_reply(
            actor,
            case,
            answers=form.raw_answers(),
            close=request.POST.get("close") == "1",
            outcome=request.POST.get("outcome", ""),
            attachment_ids=_attachment_ids(request),
        )

    return _act(
        request,
        case_id,
        "reply_form",
        lambda case: ReplyForm(actions.reply_form_for(case), list(Outcome.choices), request.POST),
        perform,
        gettext_noop("Svaret är skickat till invånaren."),
    )


@staff_required
@require_POST
def note(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        case_id,
        "note_form",
        lambda case: NoteForm(request.POST),
        lambda case, form: actions.do_add_note(actor, case, body=request.POST.get("body", "")),
        gettext_noop("Anteckningen är sparad."),
    )


@staff_required
@require_POST
def close(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        case_id,
        "close_form",
        lambda case: CloseForm(list(Outcome.choices), request.POST),
        lambda case, form: actions.do_close_case(actor, case, outcome=request.POST.get("outcome", "")),
        gettext_noop("Ärendet är avslutat."),
    )


@staff_required
@require_POST
def take(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        case_id,
        "take_form",
        lambda case: TakeForm(request.POST),
        lambda case, form: actions.do_take_case(actor, case),
        gettext_noop("Du har tagit ärendet och är nu handläggare."),
    )
