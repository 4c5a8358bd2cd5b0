"""The survey in /api/v1 (QA-2): the resident's open surveys and answering one, and the results for staff.

The same actions as the pages: a survey is answered once (a second answer is a 409), another resident's
survey is the same 404 as a missing one, and the results show no resident's identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.params.functions import Path, Query

from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.quality import surveys
from vardnav.quality.models import Survey

router = Router(tags=["quality"])
MAX_ID = 2**63 - 1


class OpenSurveyOut(Schema):
    id: int
    unit: str
    visited_at: dt.datetime
    closes_at: dt.datetime
    for_child: bool


class SurveyAnswerIn(Schema):
    overall: int | None = Field(None, ge=1, le=5, description="1 (very bad) to 5 (very good); required")
    problem_solved: Literal["yes", "partly", "no", ""] = ""
    listened_to: Literal["yes", "partly", "no", ""] = ""
    would_recommend: Literal["yes", "maybe", "no", ""] = ""
    comment: str = Field("", max_length=surveys.COMMENT_MAX_LENGTH)
    wants_follow_up: bool = False


class SurveyOut(Schema):
    id: int
    state: str
    answered_at: dt.datetime | None
    wants_follow_up: bool
    revisit_url: str | None = None
    write_again_url: str | None = None
    unit_url: str = ""


class ResultRowOut(Schema):
    month: dt.date
    unit: str
    practitioner: str
    invited: int
    answered: int
    average: float | None
    solved_percent: int | None
    listened_percent: int | None
    recommend_percent: int | None
    follow_up: int


class CommentGroupOut(Schema):
    unit: str
    answered: int
    comments_hidden: bool
    comments: list[str]


class ResultsOut(Schema):
    month: dt.date
    since: dt.date
    min_answers_for_comments: int
    units: list[ResultRowOut]
    practitioners: list[ResultRowOut]
    comments: list[CommentGroupOut]


def _survey(request: ApiRequest, survey: Survey) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": survey.pk,
        "state": surveys.survey_state(survey),
        "answered_at": survey.answered_at,
        "wants_follow_up": survey.wants_follow_up,
    }
    if survey.answered_at is not None and survey.wants_follow_up:
        path = surveys.follow_up_path(request.auth, survey)
        body.update(revisit_url=path.revisit_url, write_again_url=path.write_again_url, unit_url=path.unit_url)
    return body


@router.get("/me/surveys", response=list[OpenSurveyOut], auth=resident_auth, summary="My open surveys (QA-2)")
def my_surveys(request: ApiRequest) -> list[dict[str, Any]]:
    """The surveys the resident may still answer, about their own visits and their children's."""
    return [
        {
            "id": row.id,
            "unit": row.unit,
            "visited_at": row.visited_at,
            "closes_at": row.closes_at,
            "for_child": row.for_child,
        }
        for row in surveys.open_surveys(request.auth)
    ]


@router.post("/me/surveys/{survey_id}/answer", response=SurveyOut, auth=resident_auth, summary="Answer a survey (QA-2)")
def answer(request: ApiRequest, payload: SurveyAnswerIn, survey_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Once: a second answer is a 409, a missing rating or too long a comment a 400 naming the field.

    With wants_follow_up on a digital visit whose revisit may be started, `revisit_url` is where it starts.
    """
    survey = surveys.access_survey_for_resident(request.auth, survey_id)
    answered = surveys.do_answer_survey(request.auth, survey, **payload.dict())
    return _survey(request, answered)


@router.post("/me/surveys/{survey_id}/skip", response=SurveyOut, auth=resident_auth, summary="Skip a survey (QA-2)")
def skip(request: ApiRequest, survey_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    survey = surveys.access_survey_for_resident(request.auth, survey_id)
    return _survey(request, surveys.do_skip_survey(request.auth, survey))


@router.get(
    "/staff/quality/surveys",
    response=ResultsOut,
    auth=staff_auth,
    summary="Survey results per unit, practitioner and month (QA-2)",
)
def results(
    request: ApiRequest, month: str | None = Query(None, max_length=7, description="YYYY-MM; default this month")
) -> dict[str, Any]:
    """For the provider's administrators and heads of unit (403 for other staff); no resident's identity."""
    found = surveys.survey_results(request.auth, month)

    def row(item: surveys.ResultRow) -> dict[str, Any]:
        return {
            "month": item.month,
            "unit": item.unit,
            "practitioner": item.practitioner,
            "invited": item.invited,
            "answered": item.answered,
            "average": item.average,
            "solved_percent": item.solved,
            "listened_percent": item.listened,
            "recommend_percent": item.recommend,
            "follow_up": item.follow_up,
        }

    return {
        "month": found.month,
        "since": found.since,
        "min_answers_for_comments": found.min_answers,
        "units": [row(item) for item in found.units],
        "practitioners": [row(item) for item in found.practitioners],
        "comments": [
            {
                "unit": group.unit,
                "answered": group.answered,
                "comments_hidden": group.hidden,
                "comments": group.comments,
            }
            for group in found.comments
        ],
    }
