"""QA-2: after a visit the resident gets a survey about the experience, answers it once, and staff read the
results without the resident's identity.

Digital visits on the visits tests' digital provider (the `world` personas); booked visits on the demo's
health centre (the bookings tests' fixtures). Everything is set up through the production actions.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.personas import actor_for, grant, make_provider_admin, make_staff
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_close_case
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage
from vardnav.organizations.models import Role
from vardnav.quality.models import Survey, SurveyVisitKind
from vardnav.quality.survey_errors import SurveyError
from vardnav.quality.survey_tasks import send_survey_invitations
from vardnav.quality.surveys import (
    ANSWER_DAYS,
    COMMENT_MIN_ANSWERS,
    VisitToSurvey,
    do_answer_survey,
    do_invite_to_survey,
    open_surveys,
    survey_results,
)
from vardnav.visits.access import current_triage
from vardnav.visits.actions import StartedVisit, do_start_visit
from vardnav.visits.tests.conftest import Digital, build_digital, valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def digital_care(world) -> Digital:
    """The visits tests' digital provider, its unit and practitioners, on top of the shared personas."""
    return build_digital()


def closed_visit(digital_care: Digital, person, *, acting_for=None, slug: str = "urinvagsinfektion") -> StartedVisit:
    """A digital visit of `person` (or a guardian's for a child), answered and closed by the specialist."""
    digital_care.on_duty(digital_care.specialist)
    area = digital_care.areas[slug]
    triage = current_triage(area)
    started = do_start_visit(
        actor_for(person, acting_for=acting_for), area, triage, answers=valid_answers(triage.items), abroad=False
    )
    do_close_case(digital_care.practitioner(digital_care.specialist), started.case, outcome="answered")
    return started


def give_email(person, address: str = "invanare@example.se"):
    person.email = address
    person.email_confirmed_at = clock.now()
    person.save(update_fields=["email", "email_confirmed_at"])
    return person


def answer(person, survey: Survey, **answers):
    fields = {"overall": 4, "problem_solved": "yes", "listened_to": "yes", "would_recommend": "yes"}
    return do_answer_survey(actor_for(person), survey, **(fields | answers))


# --- invitations -----------------------------------------------------------------------------------------


@pytest.mark.rule("QA-2")
def test_a_closed_digital_visit_gets_one_invitation_by_notice_and_e_mail_and_a_second_sweep_sends_none(
    digital_care, resident_a
):
    give_email(resident_a)
    started = closed_visit(digital_care, resident_a)
    OutgoingMessage.objects.all().delete()  # what closing the case sent

    assert send_survey_invitations() == 1
    assert send_survey_invitations() == 0
    call_command("send_survey_invitations")  # the sweep's command: still nothing more

    survey = Survey.objects.get()
    assert (survey.kind, survey.case_id, survey.recipient_id) == (
        SurveyVisitKind.DIGITAL,
        started.case.pk,
        resident_a.pk,
    )
    assert survey.practitioner_id == digital_care.specialist.pk
    assert survey.closes_at == survey.invited_at + dt.timedelta(days=ANSWER_DAYS)
    notice = Notice.objects.get(person=resident_a, kind=NoticeKind.SURVEY)
    assert notice.link == f"/mina-sidor/enkater/{survey.pk}/"
    assert [m.channel for m in OutgoingMessage.objects.all()] == ["email"]


@pytest.mark.rule("QA-2")
def test_the_notice_and_the_e_mail_carry_no_health_data(digital_care, resident_a):
    give_email(resident_a)
    started = closed_visit(digital_care, resident_a)
    OutgoingMessage.objects.all().delete()
    send_survey_invitations()

    area = started.visit.area
    notice = Notice.objects.get(person=resident_a, kind=NoticeKind.SURVEY)
    email = OutgoingMessage.objects.get()
    said = " ".join([notice.text, notice.link, email.subject, email.body]).lower()
    for revealing in (area.name, area.name_en, area.slug, digital_care.unit.name, started.case.number, "urinv"):
        assert revealing.lower() not in said
    assert "enkät" in said


@pytest.mark.rule("QA-2")
def test_an_open_visit_gets_no_survey_until_it_closes(digital_care, resident_a):
    digital_care.on_duty(digital_care.specialist)
    area = digital_care.areas["urinvagsinfektion"]
    triage = current_triage(area)
    started = do_start_visit(actor_for(resident_a), area, triage, answers=valid_answers(triage.items), abroad=False)
    assert send_survey_invitations() == 0
    do_close_case(digital_care.practitioner(digital_care.specialist), started.case, outcome="answered")
    assert send_survey_invitations() == 1


@pytest.mark.rule("QA-2")
def test_the_sweep_catches_up_but_does_not_survey_visits_older_than_two_weeks(digital_care, resident_a, resident_b):
    start = clock.now()
    with time_machine.travel(start - dt.timedelta(days=20), tick=False):
        closed_visit(digital_care, resident_b)  # long before the sweep first ran
    with time_machine.travel(start - dt.timedelta(days=3), tick=False):
        closed_visit(digital_care, resident_a)  # the sweep was down that day
    assert send_survey_invitations() == 1
    assert Survey.objects.get().recipient_id == resident_a.pk


@pytest.mark.rule("QA-2")
def test_the_childs_survey_goes_to_the_guardian_who_sought_care_saying_it_concerns_their_child(
    digital_care, guardian, guardian_2, child_8
):
    closed_visit(digital_care, guardian, acting_for=child_8)
    send_survey_invitations()

    survey = Survey.objects.get()
    assert (survey.subject_id, survey.recipient_id) == (child_8.pk, guardian.pk)
    notice = Notice.objects.get(kind=NoticeKind.SURVEY)
    assert notice.person_id == guardian.pk and "barn" in notice.text
    assert [row.for_child for row in open_surveys(actor_for(guardian))] == [True]
    assert open_surveys(actor_for(guardian_2)) == []


@pytest.mark.rule("QA-2")
@pytest.mark.rule("PRIV-3")
def test_a_resident_with_protected_identity_gets_the_notice_in_the_app_but_no_e_mail(digital_care, protected):
    give_email(protected)
    closed_visit(digital_care, protected)
    OutgoingMessage.objects.all().delete()
    send_survey_invitations()

    assert Notice.objects.filter(person=protected, kind=NoticeKind.SURVEY).count() == 1
    assert not OutgoingMessage.objects.exists()


# --- booked visits ------------------------------------------------------------------------------------------

NOW = dt.datetime(2027, 5, 10, 9, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def booked(demo_resident_a, demo_unit_x, resident_actor):
    """Three of Resident A's bookings at the health centre from 10:00 on NOW's day, made four days before."""
    from vardnav.bookings.actions import do_book
    from vardnav.bookings.models import Slot, VisitType

    visit_type = VisitType.objects.select_related("unit").get(unit=demo_unit_x, name="Sjuksköterskebesök")
    bookings = []
    for minutes in (0, 20, 40):
        starts_at = NOW + dt.timedelta(hours=1, minutes=minutes)
        slot = Slot.objects.create(
            unit=visit_type.unit,
            visit_type=visit_type,
            resource="Rum 3",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=visit_type.duration_minutes),
            created_at=NOW - dt.timedelta(days=5),
        )
        with time_machine.travel(NOW - dt.timedelta(days=4), tick=False):
            bookings.append(do_book(resident_actor(demo_resident_a), time_id=slot.pk).booking)
    return bookings


@pytest.mark.rule("QA-2")
def test_a_booked_visit_that_took_place_gets_a_survey_a_cancelled_or_missed_one_none(
    booked, demo_resident_a, demo_receiver_x, demo_unit_x, resident_actor, staff_actor
):
    from vardnav.bookings.actions import do_cancel, do_mark_no_show

    took_place, cancelled, missed = booked
    with time_machine.travel(NOW - dt.timedelta(days=4) + dt.timedelta(minutes=5), tick=False):  # before any cut-off
        do_cancel(resident_actor(demo_resident_a), cancelled)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        do_mark_no_show(staff_actor(demo_receiver_x, demo_unit_x, "receiver"), missed)
        assert send_survey_invitations() == 0  # staff still have time to mark a no-show
    with time_machine.travel(NOW + dt.timedelta(hours=8), tick=False):
        assert send_survey_invitations() == 1
        assert send_survey_invitations() == 0

    survey = Survey.objects.get()
    assert (survey.kind, survey.booking_id, survey.recipient_id) == (
        SurveyVisitKind.BOOKED,
        took_place.pk,
        demo_resident_a.pk,
    )
    notice = Notice.objects.get(kind=NoticeKind.SURVEY)
    assert took_place.visit_type.name.lower() not in notice.text.lower()


# --- answering ---------------------------------------------------------------------------------------------


@pytest.mark.rule("QA-2")
def test_the_rating_is_required_and_a_survey_is_answered_once(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()

    with pytest.raises(DomainError) as missing:
        do_answer_survey(actor_for(resident_a), survey, overall="", comment="x" * 1001)
    assert missing.value.code is SurveyError.INVALID_ANSWER
    assert set(missing.value.errors) == {"overall", "comment"}
    survey.refresh_from_db()
    assert survey.answered_at is None  # nothing half-saved

    answer(resident_a, survey, comment="  Bra bemötande.  ")
    survey.refresh_from_db()
    assert (survey.overall, survey.comment, survey.answered_at is not None) == (4, "Bra bemötande.", True)
    with pytest.raises(DomainError) as again:
        answer(resident_a, survey, overall=1)
    assert again.value.code is SurveyError.ALREADY_ANSWERED and again.value.status == 409
    assert open_surveys(actor_for(resident_a)) == []


@pytest.mark.rule("QA-2")
def test_a_survey_closes_after_its_documented_period(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    with time_machine.travel(clock.now() + dt.timedelta(days=ANSWER_DAYS, minutes=1), tick=False):
        assert open_surveys(actor_for(resident_a)) == []
        with pytest.raises(DomainError) as closed:
            answer(resident_a, survey)
    assert closed.value.code is SurveyError.CLOSED


def test_another_residents_survey_is_not_found(digital_care, resident_a, resident_b):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    with pytest.raises(NotFound):
        answer(resident_b, survey)

    client = log_in_client(Client(), resident_identity(resident_b))
    assert client.get(f"/mina-sidor/enkater/{survey.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/me/surveys/{survey.pk}/answer", json.dumps({"overall": 5}), content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.rule("QA-2")
def test_the_page_shows_the_missing_rating_next_to_its_question_then_takes_the_answer(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    client = log_in_client(Client(), resident_identity(resident_a))

    assert f"/mina-sidor/enkater/{survey.pk}/" in client.get("/mina-sidor/enkater/").content.decode()
    empty = client.post(f"/mina-sidor/enkater/{survey.pk}/", {"problem_solved": "yes"})
    assert empty.status_code == 422
    html = empty.content.decode()
    field = html.split('id="id_overall_helptext"', 1)[1].split("</fieldset>", 1)[0]
    assert "Välj hur du upplevde besöket som helhet" in field

    done = client.post(
        f"/mina-sidor/enkater/{survey.pk}/",
        {"overall": "5", "problem_solved": "yes", "listened_to": "partly", "would_recommend": "maybe"},
    )
    assert done.status_code == 302 and done["Location"] == f"/mina-sidor/enkater/{survey.pk}/tack/"
    again = client.post(f"/mina-sidor/enkater/{survey.pk}/", {"overall": "1"})
    assert again.status_code == 409 and "redan svarat" in again.content.decode()


@pytest.mark.rule("QA-2")
def test_wanting_to_come_back_opens_the_revisit_to_the_same_practitioner(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    client = log_in_client(Client(), resident_identity(resident_a))
    response = client.post(f"/mina-sidor/enkater/{survey.pk}/", {"overall": "4", "wants_follow_up": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/digitalt-vardbesok/besok/{survey.case_id}/aterbesok/"


def test_the_resident_may_skip_the_survey(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    client = log_in_client(Client(), resident_identity(resident_a))
    assert client.post(f"/mina-sidor/enkater/{survey.pk}/hoppa-over/").status_code == 302
    assert open_surveys(actor_for(resident_a)) == []
    with pytest.raises(DomainError) as skipped:
        answer(resident_a, survey)
    assert skipped.value.code is SurveyError.SKIPPED


@pytest.mark.rule("QA-2")
def test_the_api_lists_open_surveys_and_takes_one_answer(digital_care, resident_a):
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    client = log_in_client(Client(), resident_identity(resident_a))
    listed = client.get("/api/v1/me/surveys").json()
    assert [item["for_child"] for item in listed] == [False]
    path = f"/api/v1/me/surveys/{listed[0]['id']}/answer"

    missing = client.post(path, json.dumps({"problem_solved": "yes"}), content_type="application/json")
    assert missing.status_code == 400 and "overall" in missing.json()["errors"]
    done = client.post(path, json.dumps({"overall": 5, "wants_follow_up": True}), content_type="application/json")
    assert done.status_code == 200
    assert done.json()["revisit_url"] == f"/digitalt-vardbesok/besok/{Survey.objects.get().case_id}/aterbesok/"
    again = client.post(path, json.dumps({"overall": 5}), content_type="application/json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/me/surveys").json() == []


# --- results for staff -------------------------------------------------------------------------------------


@pytest.fixture
def survey_staff(digital_care):
    """The digital provider's administrator and the head of its unit."""
    admin = make_provider_admin(digital_care.provider, "SE2321000018-PA1", "digitalvarden-admin")
    head = make_staff(digital_care.provider, "SE2321000018-VC1", "Vera", "doctor")
    grant(head, digital_care.unit, Role.UNIT_ADMIN)
    return admin, head


def answered_by(digital_care, people, comments=None):
    for person in people:
        closed_visit(digital_care, person)
    send_survey_invitations()
    for index, survey in enumerate(Survey.objects.order_by("pk")):
        person = next(p for p in people if p.pk == survey.recipient_id)
        answer(person, survey, overall=1 + index % 5, comment=(comments or {}).get(person.pk, ""))


@pytest.mark.rule("QA-2")
def test_staff_read_counts_and_averages_and_comments_only_from_five_answers_without_identity(
    digital_care, survey_staff, resident_a, resident_b, guardian, guardian_2, aged_85, child_17
):
    admin, head = survey_staff
    people = [resident_a, resident_b, guardian, guardian_2]
    answered_by(digital_care, people, comments={resident_a.pk: "Läkaren var mycket trevlig."})
    results = survey_results(actor_for(admin))
    assert [(row.unit, row.invited, row.answered, row.average) for row in results.units] == [
        (digital_care.unit.name, 4, 4, 2.5)
    ]
    assert (
        results.practitioners[0].practitioner
        == f"{digital_care.specialist.given_name} {digital_care.specialist.surname}"
    )
    assert len(results.comments) == 1
    assert results.comments[0].hidden and results.comments[0].comments == []  # four answers: too few

    closed_visit(digital_care, aged_85)
    send_survey_invitations()
    answer(aged_85, Survey.objects.get(recipient=aged_85), comment="Snabbt svar.")
    shown = survey_results(actor_for(head, unit=digital_care.unit, role=Role.UNIT_ADMIN))
    assert shown.units[0].answered == COMMENT_MIN_ANSWERS
    assert shown.comments[0].comments == ["Läkaren var mycket trevlig.", "Snabbt svar."]

    client = log_in_client(Client(), staff_identity(admin))
    html = client.get("/personal/kvalitet/enkater/").content.decode()
    assert "Läkaren var mycket trevlig." in html and digital_care.unit.name in html
    for person in (resident_a, aged_85):
        assert person.personal_number not in html and person.full_name not in html


@pytest.mark.rule("QA-2")
def test_staff_of_another_provider_see_nothing_and_other_staff_are_refused(
    digital_care, survey_staff, provider_admin_other, handler_x, unit_x, resident_a
):
    answered_by(digital_care, [resident_a])
    other = survey_results(actor_for(provider_admin_other))
    assert (other.units, other.practitioners, other.comments) == ([], [], [])
    with pytest.raises(DomainError) as refused:
        survey_results(actor_for(handler_x, unit=unit_x, role=Role.HANDLER))
    assert refused.value.code is SurveyError.NO_RESULTS

    client = log_in_client(Client(), staff_identity(handler_x, unit=unit_x, role=Role.HANDLER))
    assert client.get("/personal/kvalitet/enkater/").status_code == 403
    assert client.get("/api/v1/staff/quality/surveys").status_code == 403
    api = log_in_client(Client(), staff_identity(provider_admin_other))
    assert api.get("/api/v1/staff/quality/surveys").json()["units"] == []


def test_a_month_that_is_no_month_is_a_400_in_the_api(survey_staff):
    admin, _head = survey_staff
    client = log_in_client(Client(), staff_identity(admin))
    assert client.get("/api/v1/staff/quality/surveys?month=2026-13").status_code == 400
    assert client.get("/api/v1/staff/quality/surveys?month=2026-11").status_code == 200


def test_the_results_page_and_api_cost_the_same_queries_for_one_survey_as_for_many(
    digital_care, survey_staff, resident_a, resident_b, guardian, guardian_2, aged_85, child_17
):
    admin, _head = survey_staff
    answered_by(digital_care, [resident_a], comments={resident_a.pk: "Bra."})
    client = log_in_client(Client(), staff_identity(admin))

    def more() -> None:
        people = [resident_b, guardian, guardian_2, aged_85, child_17]
        for person in people:
            closed_visit(digital_care, person)
        send_survey_invitations()
        for survey in Survey.objects.filter(answered_at__isnull=True):
            person = next(p for p in people if p.pk == survey.recipient_id)
            answer(person, survey, comment="Kommentar.")

    def both() -> None:
        assert client.get("/personal/kvalitet/enkater/").status_code == 200
        assert client.get("/api/v1/staff/quality/surveys").status_code == 200

    assert_same_query_count(both, more)


def test_the_residents_survey_list_costs_the_same_queries_for_one_survey_as_for_many(
    digital_care, guardian, child_8, child_14
):
    closed_visit(digital_care, guardian, acting_for=child_8)
    send_survey_invitations()
    client = log_in_client(Client(), resident_identity(guardian))

    def more() -> None:
        closed_visit(digital_care, guardian, acting_for=child_14)
        closed_visit(digital_care, guardian)
        send_survey_invitations()

    assert_same_query_count(lambda: client.get("/mina-sidor/enkater/"), more)
    assert len(open_surveys(actor_for(guardian))) == 3


@pytest.mark.rule("QA-2")
def test_two_sweeps_at_once_still_make_one_survey_the_database_refuses_the_second(digital_care, resident_a):
    started = closed_visit(digital_care, resident_a)
    case = started.case
    visit = VisitToSurvey(
        visit_key=f"case:{case.pk}",
        kind=SurveyVisitKind.DIGITAL,
        subject=resident_a,
        proposed_recipient=resident_a,
        provider_id=case.provider_id,
        unit_id=case.unit_id,
        practitioner_id=case.assigned_to_id,
        visited_at=case.closed_at,
        case_id=case.pk,
    )
    assert do_invite_to_survey(visit) is not None
    assert do_invite_to_survey(visit) is None  # what a second sweep that had already read the visit gets
    assert Survey.objects.count() == 1
    assert Notice.objects.filter(kind=NoticeKind.SURVEY).count() == 1


def test_the_survey_pages_read_in_english(digital_care, resident_a, survey_staff):
    admin, _head = survey_staff
    closed_visit(digital_care, resident_a)
    send_survey_invitations()
    survey = Survey.objects.get()
    resident = log_in_client(Client(), resident_identity(resident_a))
    resident.cookies["django_language"] = "en"
    listed = resident.get("/mina-sidor/enkater/").content.decode()
    assert "Surveys about your visits" in listed and "Enkäter" not in listed
    form = resident.post(f"/mina-sidor/enkater/{survey.pk}/", {}).content.decode()
    assert "How did you find the visit as a whole?" in form
    assert "Choose how you found the visit as a whole, from 1 to 5." in form
    assert "Hur upplevde" not in form and "Välj" not in form
    resident.post(f"/mina-sidor/enkater/{survey.pk}/", {"overall": "3"})
    thanks = resident.get(f"/mina-sidor/enkater/{survey.pk}/tack/").content.decode()
    assert "Thank you for your answers" in thanks and "Tack" not in thanks

    staff = log_in_client(Client(), staff_identity(admin))
    staff.cookies["django_language"] = "en"
    results = staff.get("/personal/kvalitet/enkater/").content.decode()
    assert "Surveys after visits" in results and "Overall rating (1–5)" in results and "Inbjudna" not in results


def test_the_demo_has_an_open_survey_for_karin_berg_and_answered_ones_once(demo, demo_resident_a):
    from vardnav.demo.surveys import ANSWERS, load_demo_surveys

    assert load_demo_surveys() >= 1 + len(ANSWERS)
    assert load_demo_surveys() == 0
    assert [row.for_child for row in open_surveys(actor_for(demo_resident_a))] == [False]
    assert Survey.objects.filter(answered_at__isnull=False).count() == len(ANSWERS)
