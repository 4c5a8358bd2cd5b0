"""Peer review of cases (QA-1): every 20th case closed the day before, reviewed by a colleague of the same profession."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.quality import access
from vardnav.quality.actions import (
    CATCH_UP_DAYS,
    days_to_select,
    do_end_peer_reviewer,
    do_select_daily_peer_reviews,
    do_select_peer_reviews,
    do_sign_peer_review,
    every_twentieth,
)
from vardnav.quality.models import PeerReview, PeerReviewDay, PeerReviewPick
from vardnav.quality.tests.builders import appoint, at, close_cases

pytestmark = pytest.mark.django_db

# Ten days ahead of the real date: the world (services, listings) is created now, and cases are closed on DAY by
# travelling forward to it, never back to before the world existed.
DAY = dt.datetime.now(tz=STOCKHOLM).date() + dt.timedelta(days=10)
FULL = {
    "medically_reasonable": "yes",
    "documentation_sufficient": "partly",
    "answered_in_time": "yes",
    "prescribing_per_guidelines": "yes",
    "learning_point": "Dokumentera bedömningen av feber tydligare.",
    "outcome": "remark",
}


def reviewer_actor(world, staff=None):
    staff = staff or world.handler_y
    unit = world.unit_y if staff == world.handler_y else world.unit_x
    role = "unit_admin" if staff == world.unit_admin_x else "handler"
    return world.staff(staff, unit, role)


def picked(world, count, *, reviewers=("handler_y",)):
    for name in reviewers:
        appoint(world, getattr(world, name))
    cases = close_cases(world, DAY, count)
    do_select_peer_reviews(world.provider, DAY)
    return cases


# --- the selection rule ------------------------------------------------------------------------


@pytest.mark.rule("QA-1")
@pytest.mark.parametrize(
    ("closed", "positions"), [(0, []), (19, []), (20, [20]), (39, [20]), (40, [20, 40]), (61, [20, 40, 60])]
)
def test_every_twentieth_case_in_closing_order_is_picked(closed, positions):
    assert every_twentieth(closed) == positions


@pytest.mark.rule("QA-1")
@pytest.mark.parametrize(("closed", "expected"), [(20, 1), (39, 1), (40, 2)])
def test_the_days_selection_picks_the_twentieth_case_by_closing_time(world, closed, expected):
    cases = close_cases(world, DAY, closed)
    close_cases(world, DAY + dt.timedelta(days=1), 1)  # the next day's case is not the day's
    selection = do_select_peer_reviews(world.provider, DAY)
    picks = list(PeerReviewPick.objects.order_by("position"))
    assert selection.closed_that_day == closed
    assert len(picks) == expected
    assert [p.case_id for p in picks] == [cases[n - 1].pk for n in every_twentieth(closed)]
    assert all(p.handler_id == world.handler_x.pk and p.profession == "doctor" for p in picks)


@pytest.mark.rule("QA-1")
def test_a_rerun_picks_nothing_twice_and_a_day_without_cases_is_fine(world):
    close_cases(world, DAY, 20)
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 3), tick=False):
        assert do_select_daily_peer_reviews() == 2  # both providers, one day each
        assert do_select_daily_peer_reviews() == 0
    assert PeerReviewPick.objects.count() == 1
    assert PeerReviewDay.objects.get(provider=world.other_provider, day=DAY).closed_that_day == 0
    assert AuditEntry.objects.filter(action=AuditEvent.PEER_REVIEW_SELECT).count() == 2
    # Selecting the day again by hand returns the first selection.
    assert do_select_peer_reviews(world.provider, DAY).picks.count() == 1


@pytest.mark.rule("QA-1")
def test_a_missed_day_is_caught_up_by_the_next_sweep(world):
    with time_machine.travel(at(DAY, 3), tick=False):
        do_select_daily_peer_reviews()  # selects DAY - 1
    close_cases(world, DAY, 20)  # the sweep on DAY + 1 never ran
    with time_machine.travel(at(DAY + dt.timedelta(days=2), 3), tick=False):
        assert do_select_daily_peer_reviews() == 4  # DAY and DAY + 1 for both providers
    assert PeerReviewPick.objects.get().selection.day == DAY


def test_the_catch_up_goes_back_at_most_a_month_and_a_first_sweep_starts_yesterday():
    yesterday = dt.date(2026, 5, 1)
    assert days_to_select(None, yesterday) == [yesterday]
    assert days_to_select(yesterday, yesterday) == []
    assert days_to_select(yesterday - dt.timedelta(days=3), yesterday) == [
        yesterday - dt.timedelta(days=2),
        yesterday - dt.timedelta(days=1),
        yesterday,
    ]
    assert len(days_to_select(dt.date(2020, 1, 1), yesterday)) == CATCH_UP_DAYS


@pytest.mark.rule("QA-1")
def test_the_management_command_and_the_task_run_the_sweep(world):
    from tests.tasks import run_tasks

    close_cases(world, DAY, 20)
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 3), tick=False):
        call_command("select_peer_reviews", "--enqueue")
        assert run_tasks() == 1
        call_command("select_peer_reviews")
    assert PeerReviewPick.objects.count() == 1


# --- who reviews -------------------------------------------------------------------------------


@pytest.mark.rule("QA-1")
def test_a_pick_goes_to_the_least_loaded_reviewer_of_the_handlers_profession_never_the_handler(world):
    for staff in (world.handler_x, world.handler_y, world.unit_admin_x, world.handler_x2):
        appoint(world, staff)
    close_cases(world, DAY, 40)
    do_select_peer_reviews(world.provider, DAY)
    reviewers = sorted(PeerReviewPick.objects.values_list("reviewer_id", flat=True))
    # Two doctor picks: one each for the two doctors who did not handle them; not the nurse, not the handler.
    assert reviewers == sorted([world.handler_y.pk, world.unit_admin_x.pk])


@pytest.mark.rule("QA-1")
def test_without_a_fitting_reviewer_the_pick_waits_in_the_shared_queue(world):
    appoint(world, world.handler_x2)  # a nurse: the case was a doctor's
    close_cases(world, DAY, 20)
    do_select_peer_reviews(world.provider, DAY)
    pick = PeerReviewPick.objects.get()
    assert pick.reviewer_id is None
    appoint(world, world.handler_y)  # a doctor appointed later finds it in the shared queue
    assert [row.pick_id for row in access.review_queue(reviewer_actor(world)).waiting] == [pick.pk]
    assert access.review_queue(world.staff(world.handler_x2, world.unit_x, "handler")).waiting == []


@pytest.mark.rule("QA-1")
def test_the_handler_never_reaches_their_own_case_and_another_providers_reviewer_nothing(world):
    from tests.personas import make_staff

    picked(world, 20, reviewers=("handler_y",))
    pick = PeerReviewPick.objects.get()
    appoint(world, world.handler_x)
    own = world.staff(world.handler_x, world.unit_x, "handler")
    with pytest.raises(NotFound):
        access.access_pick(own, pick.pk)
    assert access.review_queue(own).waiting == []
    with pytest.raises(DomainError) as refused:
        do_sign_peer_review(own, pick, FULL)
    assert refused.value.code == "peer-review-own-case"
    stranger = make_staff(world.other_provider, "SE2321000017-DR1", "Dora", "doctor")
    from vardnav.quality.actions import do_appoint_peer_reviewer

    do_appoint_peer_reviewer(world.staff(world.provider_admin_other), stranger)
    with pytest.raises(NotFound):
        access.access_pick(world.staff(stranger, world.other_unit, None), pick.pk)
    # Not appointed (or no longer): no queue.
    with pytest.raises(DomainError):
        access.review_queue(world.staff(world.receiver_x, world.unit_x, "receiver"))


def test_ending_an_appointment_puts_the_waiting_picks_back_in_the_shared_queue(world):
    picked(world, 20)
    appointment = access.current_peer_reviewers(world.provider.pk)[0]
    do_end_peer_reviewer(world.staff(world.provider_admin), appointment)
    assert PeerReviewPick.objects.get().reviewer_id is None
    assert access.peer_reviewer(reviewer_actor(world)) is None


def test_only_the_providers_administrator_appoints_and_only_clinicians(world):
    from vardnav.core.errors import PermissionDenied
    from vardnav.quality.actions import do_appoint_peer_reviewer

    with pytest.raises(PermissionDenied):
        do_appoint_peer_reviewer(world.staff(world.unit_admin_x, world.unit_x, "unit_admin"), world.handler_y)
    with pytest.raises(DomainError):
        do_appoint_peer_reviewer(world.staff(world.provider_admin), world.provider_admin)  # administrative


# --- the review --------------------------------------------------------------------------------


@pytest.mark.rule("QA-1")
@pytest.mark.rule("REC-1")
def test_each_viewing_of_the_review_page_is_one_audited_read_with_its_purpose(world, client):
    cases = picked(world, 20)
    pick = PeerReviewPick.objects.get()
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    for viewing in (1, 2):
        page = client.get(f"/personal/kvalitet/granskning/{pick.pk}/")
        assert page.status_code == 200
        reads = AuditEntry.objects.filter(action=AuditEvent.PEER_REVIEW_READ)
        assert reads.count() == viewing
    entry = reads.last()
    assert entry.purpose == "kvalitetsgranskning" and entry.subject_person_id == world.resident_a.pk
    assert entry.object_id == str(cases[19].pk)
    html = page.content.decode()
    assert "Fråga nummer 19" in html  # the questionnaire answers are shown


@pytest.mark.rule("QA-1")
def test_a_missing_answer_is_shown_next_to_its_field_and_nothing_is_saved_then_it_is_signed(world, client):
    picked(world, 20)
    pick = PeerReviewPick.objects.get()
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    url = f"/personal/kvalitet/granskning/{pick.pk}/"
    missing = {**FULL, "answered_in_time": ""}
    page = client.post(url, missing)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Välj Ja, Delvis eller Nej." in html and "field--error" in html
    assert PeerReview.objects.count() == 0
    assert client.post(url, FULL).status_code == 302
    review = PeerReview.objects.get()
    assert review.reviewer_id == world.handler_y.pk and review.outcome == "remark"
    assert access.review_queue(reviewer_actor(world)).waiting == []
    # Signed once: a second submission is refused, a correction is a new review pointing at the first.
    assert client.post(url, FULL).status_code == 400
    assert client.post(url, {**FULL, "outcome": "deviation", "corrects": review.pk}).status_code == 302
    correction = PeerReview.objects.exclude(pk=review.pk).get()
    assert correction.corrects_id == review.pk
    review.refresh_from_db()
    assert review.outcome == "remark"  # the first review is kept as it was


@pytest.mark.rule("QA-1")
def test_a_remark_needs_a_learning_point(world):
    picked(world, 20)
    pick = PeerReviewPick.objects.get()
    with pytest.raises(DomainError) as refused:
        do_sign_peer_review(reviewer_actor(world), pick, {**FULL, "learning_point": " "})
    assert "learning_point" in refused.value.field_errors()


def test_the_queue_costs_the_same_queries_with_one_pick_as_with_many(world, client):
    picked(world, 20)
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))

    def more():
        close_cases(world, DAY + dt.timedelta(days=1), 40)
        do_select_peer_reviews(world.provider, DAY + dt.timedelta(days=1))
        do_sign_peer_review(reviewer_actor(world), PeerReviewPick.objects.order_by("pk").first(), FULL)

    assert_same_query_count(lambda: client.get("/personal/kvalitet/granskning/"), more)
    assert PeerReviewPick.objects.count() == 3


# --- the follow-up -------------------------------------------------------------------------------


@pytest.mark.rule("QA-1")
def test_a_deviation_is_flagged_for_the_head_of_unit_and_the_learning_points_name_no_resident(world, client):
    picked(world, 20)
    pick = PeerReviewPick.objects.get()
    do_sign_peer_review(reviewer_actor(world), pick, {**FULL, "outcome": "deviation", "learning_point": "Sent svar."})
    for identity in (
        staff_identity(world.unit_admin_x, unit=world.unit_x, role="unit_admin"),
        staff_identity(world.provider_admin),
    ):
        log_in_client(client, identity)
        page = client.get("/personal/kvalitet/granskning/uppfoljning/")
        html = page.content.decode()
        assert page.status_code == 200
        assert pick.case_number in html and "Sent svar." in html
        assert world.resident_a.given_name not in html and world.resident_a.surname not in html
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert client.get("/personal/kvalitet/granskning/uppfoljning/").status_code == 403
    report = access.peer_review_follow_up(world.staff(world.provider_admin))
    assert sum(row.counts["deviation"] for row in report.months) == 1


def test_a_head_of_another_unit_sees_only_their_units_reviews(world):
    picked(world, 20)
    do_sign_peer_review(reviewer_actor(world), PeerReviewPick.objects.get(), FULL)
    from tests.personas import grant

    grant(world.handler_y, world.unit_y, "unit_admin")
    other_head = world.staff(world.handler_y, world.unit_y, "unit_admin")
    assert access.peer_review_follow_up(other_head).learning_points == []
    assert len(access.peer_review_follow_up(world.staff(world.provider_admin)).learning_points) == 1


def test_the_follow_up_costs_the_same_queries_with_one_review_as_with_many(world, client):
    picked(world, 40)
    picks = list(PeerReviewPick.objects.order_by("pk"))
    do_sign_peer_review(reviewer_actor(world), picks[0], FULL)
    log_in_client(client, staff_identity(world.provider_admin))

    def more():
        do_sign_peer_review(reviewer_actor(world), picks[1], {**FULL, "outcome": "deviation"})
        do_sign_peer_review(
            reviewer_actor(world),
            picks[0],
            {**FULL, "outcome": "no_remark"},
            corrects_id=PeerReview.objects.get(pick=picks[0]).pk,
        )

    assert_same_query_count(lambda: client.get("/personal/kvalitet/granskning/uppfoljning/"), more)


def test_the_provider_admin_appoints_a_reviewer_on_the_follow_up_page(world, client):
    log_in_client(client, staff_identity(world.provider_admin))
    assert client.post("/personal/kvalitet/granskning/granskare/", {"staff": world.handler_y.pk}).status_code == 302
    assert access.peer_reviewer(reviewer_actor(world)) is not None
    page = client.get("/personal/kvalitet/granskning/uppfoljning/").content.decode()
    assert "Yusuf Testsson" in page


def test_the_staff_start_page_links_the_reviewers_queue(world, client):
    appoint(world, world.handler_y)
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    assert 'href="/personal/kvalitet/granskning/"' in client.get("/personal/").content.decode()
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert "/personal/kvalitet/granskning/" not in client.get("/personal/").content.decode()


# --- the API ---------------------------------------------------------------------------------------


@pytest.mark.rule("QA-1")
def test_the_api_lists_the_queue_shows_a_case_and_signs_once_with_problem_json_errors(world, client):
    picked(world, 20)
    pick = PeerReviewPick.objects.get()
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    queue = client.get("/api/v1/staff/quality/reviews").json()
    assert [item["id"] for item in queue] == [pick.pk] and queue[0]["assigned_to_me"] is True
    detail = client.get(f"/api/v1/staff/quality/reviews/{pick.pk}").json()
    assert detail["case_number"] == pick.case_number and detail["answers"]["subject"] == "Fråga nummer 19"
    assert AuditEntry.objects.filter(action=AuditEvent.PEER_REVIEW_READ).count() == 1
    url = f"/api/v1/staff/quality/reviews/{pick.pk}"
    bad = client.post(url, {**FULL, "outcome": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert "outcome" in bad.json()["errors"]
    signed = client.post(url, FULL, content_type="application/json")
    assert signed.status_code == 201 and signed.json()["current"] is True
    again = client.post(url, FULL, content_type="application/json")
    assert again.status_code == 409 and again.json()["type"].endswith("peer-review-already-signed")
    assert PeerReview.objects.count() == 1


# --- the demo ------------------------------------------------------------------------------------------


def test_the_demo_has_a_reviewer_and_a_few_picked_cases_once(demo, demo_unit_admin_x):
    from tests.personas import actor_for
    from vardnav.demo.quality import load_demo_peer_review_cases

    assert load_demo_peer_review_cases() == 2
    assert load_demo_peer_review_cases() == 0  # idempotent: `make run` loads the demo on every start
    head = actor_for(demo_unit_admin_x, unit=demo_unit_admin_x.role_grants.first().unit, role="unit_admin")
    reviewer = access.peer_reviewer(head)
    assert reviewer is not None and reviewer.profession == "doctor"
    queue = access.review_queue(head)
    assert len(queue.waiting) == 1 and len(queue.done) == 1
