"""The log review (HSLF-FS 2016:40 4 kap.; 1177's granskare): a daily sample plus flagged reads, documented outcomes."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from tests.personas import make_staff
from tests.sessions import log_in_client, staff_identity
from tests.tasks import run_tasks
from vardnav.audit.actions import record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.records import log_review
from vardnav.records.access import access_log_reviews, read_case_notes
from vardnav.records.actions import (
    do_decide_log_item,
    do_link_staff_person,
    do_select_log_review,
)
from vardnav.records.models import LogReview, LogReviewItem
from vardnav.records.tasks import select_daily_log_reviews
from vardnav.records.tests.builders import submit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


@pytest.fixture
def reviewer(world):
    staff = make_staff(world.provider, "SE2321000016-GR1", "Greta", "administrative", surname="Granskare")
    do_grant_role(world.staff(world.provider_admin), staff=staff, unit=world.unit_x, role="log_reviewer")
    return staff


@pytest.fixture
def day_of_reads(world):
    """On DAY: ordinary reads by handler_x, and one of each kind the review must flag."""
    admin = world.staff(world.provider_admin)
    do_link_staff_person(admin, staff=world.handler_x, personal_number=world.guardian.personal_number)
    do_link_staff_person(admin, staff=world.handler_x2, personal_number=world.resident_b.personal_number)
    handler_x = world.staff(world.handler_x, world.unit_x, "handler")
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(10), tzinfo=STOCKHOLM), tick=False):
        ordinary = [submit(world) for _ in range(3)]
        for case in ordinary:
            read_case_notes(handler_x, case)
        own = submit(world, world.guardian, service=world.open_service, unit=world.unit_x)
        childs = submit(world, world.guardian, acting_for=world.child_8)
        colleagues = submit(world, world.resident_b, service=world.open_service, unit=world.unit_x)
        for case in (own, childs, colleagues):
            read_case_notes(handler_x, case)
        # handler_y works at unit_y only: a read of a unit_x case has no care relation.
        record_staff_read(
            world.staff(world.handler_y, world.unit_y, "handler"),
            ordinary[0],
            subject_person_id=ordinary[0].subject_id,
            purpose="ärendehantering",
        )
    reads = {entry.pk: entry.hash for entry in AuditEntry.objects.filter(action__in=log_review.STAFF_READ_EVENTS)}
    return {"ordinary": ordinary, "own": own, "child": childs, "colleague": colleagues, "hashes": reads}


def flags_by_subject(review: LogReview) -> dict[tuple[int, int], list[str]]:
    return {
        (item.entry.actor_staff_id, item.entry.subject_person_id): item.reasons
        for item in review.items.select_related("entry")
    }


@pytest.mark.rule("REC-1")
def test_the_daily_selection_flags_reads_without_care_relation_own_family_and_colleagues_and_samples_the_rest(
    world, day_of_reads
):
    review = do_select_log_review(world.provider, DAY)

    flags = flags_by_subject(review)
    assert flags[(world.handler_y.pk, world.resident_a.pk)] == ["no_care_relation"]
    assert flags[(world.handler_x.pk, world.guardian.pk)] == ["own_record"]
    assert flags[(world.handler_x.pk, world.child_8.pk)] == ["family"]
    assert flags[(world.handler_x.pk, world.resident_b.pk)] == ["colleague"]
    samples = [item for item in review.items.all() if item.reasons == ["sample"]]
    assert len(samples) == 3  # the three ordinary reads: fewer than the minimum sample, so all of them
    assert review.reads_that_day == 7


def test_the_sample_is_a_share_of_the_ordinary_reads_drawn_at_random(world):
    handler_x = world.staff(world.handler_x, world.unit_x, "handler")
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(9), tzinfo=STOCKHOLM), tick=False):
        cases = [submit(world) for _ in range(4)]
        for _ in range(20):
            for case in cases:
                read_case_notes(handler_x, case)
    one = log_review.select(world.provider.pk, DAY, rng=random.Random(1))
    other = log_review.select(world.provider.pk, DAY, rng=random.Random(2))
    assert one.reads == 80 and len(one.flagged) == 8 == len(other.flagged)  # 10 %
    assert set(one.flagged) != set(other.flagged)


def test_selecting_again_changes_nothing_and_the_log_itself_never_changes(world, day_of_reads, reviewer):
    first = do_select_log_review(world.provider, DAY)
    assert do_select_log_review(world.provider, DAY) == first
    assert LogReview.objects.count() == 1 and LogReviewItem.objects.count() == 7
    item = first.items.first()
    actor = world.staff(reviewer, world.unit_x, "log_reviewer")
    do_decide_log_item(actor, item, outcome="not_justified", comment="Samtal med medarbetaren bokat.")
    after = {e.pk: e.hash for e in AuditEntry.objects.filter(pk__in=day_of_reads["hashes"])}
    assert after == day_of_reads["hashes"]


def test_an_outcome_is_documented_once_with_a_comment_unless_justified(world, day_of_reads, reviewer):
    review = do_select_log_review(world.provider, DAY)
    actor = world.staff(reviewer, world.unit_x, "log_reviewer")
    item, other = review.items.order_by("pk")[:2]
    with pytest.raises(DomainError) as refused:
        do_decide_log_item(actor, item, outcome="follow_up", comment="")
    assert refused.value.code == "review-comment-required"
    with pytest.raises(DomainError) as bad:
        do_decide_log_item(actor, item, outcome="fine")
    assert bad.value.code == "invalid-review-outcome"
    decided = do_decide_log_item(actor, item, outcome="justified")
    assert decided.decided_by == reviewer and decided.decided_at is not None
    with pytest.raises(DomainError) as again:
        do_decide_log_item(actor, item, outcome="not_justified", comment="Ändrar mig")
    assert again.value.code == "review-already-decided"
    do_decide_log_item(actor, other, outcome="not_justified", comment="Ingen vårdrelation; anmält till chefen.")
    assert AuditEntry.objects.filter(action=AuditEvent.LOG_REVIEW_DECIDE).count() == 2


def test_only_the_provider_admin_appoints_a_reviewer_and_only_reviewers_see_the_reviews(world, reviewer):
    with pytest.raises(PermissionDenied):
        do_grant_role(
            world.staff(world.unit_admin_x, world.unit_x, "unit_admin"),
            staff=world.handler_x,
            unit=world.unit_x,
            role="log_reviewer",
        )
    assert access_log_reviews(world.staff(reviewer, world.unit_x, "log_reviewer")) == []
    with pytest.raises(NotFound):
        access_log_reviews(world.staff(world.handler_x, world.unit_x, "handler"))


def test_the_nightly_task_selects_yesterday_for_every_provider_once(world, day_of_reads):
    with time_machine.travel(dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(2), tzinfo=STOCKHOLM)):
        first = select_daily_log_reviews.enqueue()
        run_tasks()
        again = select_daily_log_reviews.enqueue()
        run_tasks()
    first.refresh()
    again.refresh()
    assert first.return_value == {"providers": 2} and again.return_value == {"providers": 0}
    assert LogReview.objects.get(provider=world.provider).day == DAY


def test_the_reviewer_pages_list_show_and_document(world, day_of_reads, reviewer, client):
    review = do_select_log_review(world.provider, DAY)
    log_in_client(client, staff_identity(reviewer, unit=world.unit_x, role="log_reviewer"))
    home = client.get("/personal/").content.decode()
    assert "/personal/loggkontroll/" in home
    listing = client.get("/personal/loggkontroll/").content.decode()
    assert f"/personal/loggkontroll/{review.pk}/" in listing
    page = client.get(f"/personal/loggkontroll/{review.pk}/").content.decode()
    assert "Ingen vårdrelation" in page and "En kollegas journal" in page and "Slumpvis utvald" in page
    assert AuditEntry.objects.filter(action=AuditEvent.LOG_REVIEW_READ).count() == 1
    item = review.items.filter(reasons=["no_care_relation"]).get()
    url = f"/personal/loggkontroll/{review.pk}/poster/{item.pk}/"
    refused = client.post(url, {f"post-{item.pk}-outcome": "not_justified"})
    assert refused.status_code == 422 and "Beskriv vad du kom fram till" in refused.content.decode()
    done = client.post(url, {f"post-{item.pk}-outcome": "not_justified", f"post-{item.pk}-comment": "Anmält"})
    assert done.status_code == 302
    assert LogReviewItem.objects.get(pk=item.pk).outcome == "not_justified"

    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert client.get(f"/personal/loggkontroll/{review.pk}/").status_code == 404
    assert "/personal/loggkontroll/" not in client.get("/personal/").content.decode()


def test_the_api_lists_shows_and_documents(world, day_of_reads, reviewer, client):
    review = do_select_log_review(world.provider, DAY)
    log_in_client(client, staff_identity(reviewer, unit=world.unit_x, role="log_reviewer"))
    assert client.get("/api/v1/records/log-reviews").json()[0]["undecided"] == 7
    items = client.get(f"/api/v1/records/log-reviews/{review.pk}/items").json()
    decided = client.post(
        f"/api/v1/records/log-reviews/{review.pk}/items/{items[0]['id']}/decision",
        {"outcome": "justified"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["outcome"] == "justified"
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert client.get("/api/v1/records/log-reviews").status_code == 404
