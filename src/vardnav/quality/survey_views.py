"""The survey's pages (QA-2): the resident's surveys under Mina sidor, and the results for staff.

Thin views: access_* → check/do → render. A refused answer shows the form again with each
message next to its question (core.forms.apply_domain_error) and the form's error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.quality import surveys
from vardnav.quality.models import Survey
from vardnav.quality.survey_errors import SurveyError
from vardnav.quality.survey_forms import SurveyForm


def _survey_or_404(request: ActorRequest, survey_id: int) -> Survey:
    try:
        return surveys.access_survey_for_resident(request.actor, survey_id)
    except NotFound:
        raise Http404 from None


@resident_required
@require_GET
def survey_list(request: ActorRequest) -> HttpResponse:
    """Mina sidor › Enkäter: the surveys still open to the resident (theirs and their children's visits)."""
    return render(
        request,
        "quality/survey_list.html",
        {"surveys": surveys.open_surveys(request.actor), "answer_days": surveys.ANSWER_DAYS},
    )


@resident_required
@require_http_methods(["GET", "POST"])
def survey(request: ActorRequest, survey_id: int) -> HttpResponse:
    """One survey: the form while it is open; answered once, then the thank-you page's follow-up."""
    the_survey = _survey_or_404(request, survey_id)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    refusal: DomainError | None = None
    if request.method == "POST":
        form.is_valid()
        try:
            answered = surveys.do_answer_survey(
                request.actor,
                the_survey,
                overall=request.POST.get("overall", ""),
                problem_solved=request.POST.get("problem_solved", ""),
                listened_to=request.POST.get("listened_to", ""),
                would_recommend=request.POST.get("would_recommend", ""),
                comment=request.POST.get("comment", ""),
                wants_follow_up=request.POST.get("wants_follow_up", ""),
            )
        except DomainError as error:
            if error.status == 404:
                raise Http404 from None
            if error.code is SurveyError.INVALID_ANSWER:
                apply_domain_error(form, error)
            else:
                refusal = error
        else:
            if answered.wants_follow_up:
                path = surveys.follow_up_path(request.actor, answered)
                if path.revisit_url:
                    messages.success(
                        request,
                        _("Tack för dina svar! Här startar du ett återbesök hos samma behandlare."),
                    )
                    return redirect(path.revisit_url)
            return redirect("quality:survey_thanks", survey_id=the_survey.pk)
    state = surveys.survey_state(the_survey)
    status = 200
    if form.errors:
        status = 422
    elif refusal is not None:
        status = 409
    return render(
        request,
        "quality/survey_form.html",
        {
            "survey": the_survey,
            "state": state,
            "form": form,
            "refusal": error_lines(refusal) if refusal is not None else [],
            "for_child": the_survey.subject_id != the_survey.recipient_id,
            "answer_days": surveys.ANSWER_DAYS,
        },
        status=status,
    )


@resident_required
@require_POST
def skip(request: ActorRequest, survey_id: int) -> HttpResponse:
    """The resident does not want to answer; the survey leaves their list."""
    the_survey = _survey_or_404(request, survey_id)
    try:
        surveys.do_skip_survey(request.actor, the_survey)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
        return redirect("quality:survey", survey_id=the_survey.pk)
    messages.success(request, _("Du har hoppat över enkäten. Den visas inte längre bland dina enkäter."))
    return redirect("quality:surveys")


@resident_required
@require_GET
def thanks(request: ActorRequest, survey_id: int) -> HttpResponse:
    """After answering: thanks, and where to go to come back to the same practitioner."""
    the_survey = _survey_or_404(request, survey_id)
    if the_survey.answered_at is None:
        return redirect("quality:survey", survey_id=the_survey.pk)
    return render(
        request,
        "quality/survey_thanks.html",
        {"survey": the_survey, "path": surveys.follow_up_path(request.actor, the_survey)},
    )


@staff_required
@require_GET
def results(request: StaffRequest) -> HttpResponse:
    """/personal/kvalitet/enkater/: the results for the provider's administrators and heads of unit."""
    try:
        found = surveys.survey_results(request.actor, request.GET.get("manad"))
    except DomainError as error:
        if error.code is SurveyError.INVALID_MONTH:
            found = surveys.survey_results(request.actor)
            messages.error(request, str(error.message))
        else:
            raise DjangoPermissionDenied from None
    return render(request, "quality/survey_results.html", {"results": found})
