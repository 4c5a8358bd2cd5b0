"""Resident pages for cases: choose a service, fill in its questionnaire, read and answer.

Thin views: access_* → check_*/do_* → render. A hidden one-time key in every
form makes a double click or a resent POST land on the same case (CASE-6): the
write runs through core.idempotency.run_idempotent, as the API's does.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vardnav.attachments.forms import files_field
from vardnav.attachments.uploads import checked_uploads
from vardnav.cases import access, actions
from vardnav.cases.errors import CaseError
from vardnav.cases.forms import MessageForm, QuestionnaireForm
from vardnav.cases.hooks import SubmissionContext, case_extensions, hooks_for
from vardnav.cases.models import Case
from vardnav.catalog.access import access_offer, attachments_allowed, current_questionnaire, services_offered_at
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Service
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.identity.decorators import resident_required
from vardnav.organizations.access import current_listing
from vardnav.organizations.models import Unit


def _submission_key(request: ActorRequest) -> str:
    """The form's one-time key: the one it was sent with, or a fresh one for a new form."""
    return request.POST.get("submission_key") or uuid.uuid4().hex


@resident_required
def services(request: ActorRequest) -> HttpResponse:
    """Where to start a case: the listed unit's services first, then every unit with e-services."""
    subject = actions.check_resident_subject(request.actor)
    listing = current_listing(subject.pk)
    listed_services = list(services_offered_at(listing.unit)) if listing else []
    return render(
        request,
        "cases/services.html",
        {"listing": listing, "listed_services": listed_services, "units": access.receiving_units()},
    )


@resident_required
def unit_services(request: ActorRequest, unit_slug: str) -> HttpResponse:
    unit = access.access_receiving_unit(unit_slug)
    return render(request, "cases/unit_services.html", {"unit": unit, "services": list(services_offered_at(unit))})


@resident_required
@require_http_methods(["GET", "POST"])
def new_case(request: ActorRequest, unit_slug: str, service_id: int) -> HttpResponse:
    offer = access_offer(access.access_receiving_unit(unit_slug), service_id)
    questionnaire = current_questionnaire(offer.service)
    if questionnaire is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    hooks = hooks_for(offer.service.kind)
    subject = actions.check_resident_subject(request.actor)
    step = hooks.form_step(request, SubmissionContext(request.actor, subject, offer.unit, offer.service))
    if step is not None:  # the service's own step before (or instead of) the questionnaire
        return step
    form = QuestionnaireForm(questionnaire.items, request.POST or None)
    form.enhance(hooks.form_field_attrs())
    allow_files = attachments_allowed(offer.unit, offer.service)
    if allow_files:
        form.fields["files"] = files_field(settings.ATTACHMENT_MAX_FILES_RESIDENT)
    duplicate: Case | None = None
    if request.method == "POST":
        try:
            # ATT-1..3: every file checked before anything is stored; one bad file refuses them all.
            with checked_uploads(request, max_files=settings.ATTACHMENT_MAX_FILES_RESIDENT) as files:

                def submit() -> Outcome:
                    if request.POST.get("send_anyway") != "1":  # CASE-6: show a probable duplicate first
                        access.refuse_probable_duplicate(request.actor, offer, form.raw_answers())
                    case = actions.do_submit_offered(request.actor, offer, answers=form.raw_answers(), files=files)
                    return 201, {"id": case.pk}

                result = run_idempotent(
                    request.actor,
                    request.POST.get("submission_key"),
                    "cases.submit",
                    {
                        "service": offer.service.pk,
                        "unit": offer.unit.pk,
                        "answers": form.raw_answers(),
                        "files": [each.sha256 for each in files],
                    },
                    submit,
                )
            return redirect("cases:receipt", case_id=result.body["id"])
        except DomainError as error:
            if error.status == 404:
                raise
            if error.code is CaseError.PROBABLE_DUPLICATE:
                duplicate = access.access_case_for_resident(request.actor, error.params["case_id"])
            else:
                apply_domain_error(form, error)
    return render(
        request,
        "cases/new_case.html",
        {
            "unit": offer.unit,
            "service": offer.service,
            "questionnaire": questionnaire,
            "form": form,
            "submission_key": _submission_key(request),
            "allow_files": allow_files,
            "files_field": form["files"] if allow_files else None,
            "service_scripts": hooks.form_scripts,
            "duplicate": duplicate,
            "extension_notes": _submission_notes(request, offer.unit, offer.service),
        },
        status=422 if form.errors else 200,
    )


@resident_required
def receipt(request: ActorRequest, case_id: int) -> HttpResponse:
    case = access.access_case_for_resident(request.actor, case_id)
    return render(request, "cases/receipt.html", {"case": case})


@resident_required
def my_cases(request: ActorRequest) -> HttpResponse:
    page = access.resident_cases(request.actor, after=request.GET.get("after") or None)
    return render(request, "cases/my_cases.html", {"page": page})


@resident_required
@require_http_methods(["GET", "POST"])
def case_detail(request: ActorRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_for_resident(actor, case_id)
    form = MessageForm(request.POST or None)
    allow_files = attachments_allowed(case.unit, case.service)
    if allow_files:
        form.fields["files"] = files_field(settings.ATTACHMENT_MAX_FILES_RESIDENT)
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            with checked_uploads(request, max_files=settings.ATTACHMENT_MAX_FILES_RESIDENT) as files:

                def send() -> Outcome:
                    message = actions.do_send_resident_message(actor, case, body=body, files=files)
                    return 201, {"id": message.pk}

                run_idempotent(
                    actor,
                    request.POST.get("submission_key"),
                    "cases.message",
                    {"case": case.pk, "body": body, "files": [each.sha256 for each in files]},
                    send,
                )
            return redirect("cases:detail", case_id=case.pk)
        except DomainError as error:
            apply_domain_error(form, error)
    messages = access.with_files(access.resident_messages(case))
    actions.do_mark_read_by_resident(actor, case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "messages_": messages,
            "questionnaire": case.questionnaire,
            "answers": answer_rows(case),
            "form": form,
            "submission_key": _submission_key(request),
            "allow_files": allow_files,
            "files_field": form["files"] if allow_files else None,
            "extension_notes": [note for each in case_extensions() for note in each.resident_case_notes(case)],
        },
        status=422 if form.errors else 200,
    )


def _submission_notes(request: ActorRequest, unit: Unit, service: Service) -> list[str]:
    """What apps beside the engine tell the resident before sending (e.g. the expected fee)."""
    subject = actions.check_resident_subject(request.actor)
    return [note for each in case_extensions() for note in each.submission_notes(request.actor, subject, unit, service)]


def answer_rows(case: Case) -> list[tuple[str, str]]:
    """The submitted answers as (question, answer) in questionnaire order, with option labels."""
    rows: list[tuple[str, str]] = []
    for item in case.questionnaire.items:
        if item["linkId"] not in case.answers:
            continue
        value = case.answers[item["linkId"]]
        if item["type"] == "boolean":
            value = "Ja" if value else "Nej"
        elif item["type"] == "choice":
            labels = {o["code"]: o["display"] for o in item["answerOption"]}
            chosen: list[Any] = value if isinstance(value, list) else [value]
            value = ", ".join(labels[v] for v in chosen)
        rows.append((item["text"], str(value)))
    return rows
