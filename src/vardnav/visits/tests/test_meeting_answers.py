"""VISIT-8: the resident accepts a proposed meeting time or asks for another; the practitioner can call it off.

Pages and the API (/api/v1/visits/{id}/meetings for the resident, /api/v1/staff/visits/{id}/meetings for the
practitioner). The answer is a message in the chat and an in-app notice to whoever handles the visit now.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from tests.personas import actor_for, grant
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_distribute_case
from vardnav.cases.models import Message, MessageKind
from vardnav.notifications.models import Notice, NoticeKind
from vardnav.organizations.models import Role
from vardnav.visits.models import MeetingAnswer, VideoMeeting
from vardnav.visits.tests.test_video_meetings import propose, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    return started, propose(digital, started.visit, minutes_ahead=120)


def answer_page(client: Client, case_id: int, **data: str):
    return client.post(f"/digitalt-vardbesok/besok/{case_id}/videomote/svara/", data)


def resident_messages(case) -> list[str]:
    return list(Message.objects.filter(case=case, kind=MessageKind.RESIDENT_MESSAGE).values_list("body", flat=True))


@pytest.mark.rule("VISIT-8")
def test_the_resident_accepts_the_time_once_however_often_the_form_is_sent(digital, resident_a, proposed):
    started, meeting = proposed
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get(f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/").content.decode()
    assert "Bekräfta tiden" in page and "Be om en annan tid" in page and "Väntar på svar" in page
    key = uuid.uuid4().hex
    for _twice in range(2):  # a double click: the same one-time key
        response = answer_page(client, started.case.pk, answer="accept", submission_key=key)
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.answer == MeetingAnswer.ACCEPTED and meeting.answered_at is not None
    [message] = resident_messages(started.case)
    assert message.startswith("Jag bekräftar videomötet")
    [notice] = Notice.objects.filter(staff=digital.specialist, kind=NoticeKind.MEETING_ANSWER)
    assert started.case.number in notice.text and notice.link.endswith(f"/{started.case.pk}/videomote/")
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_ACCEPT, object_id=str(meeting.pk)).count() == 1
    after = client.get(f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/").content.decode()
    assert "Bekräftad" in after and "Passar tiden inte längre?" in after


@pytest.mark.rule("VISIT-8")
def test_asking_for_another_time_tells_the_practitioner_and_a_new_proposal_replaces_it(digital, resident_a, proposed):
    started, meeting = proposed
    client = log_in_client(Client(), resident_identity(resident_a))
    response = answer_page(client, started.case.pk, answer="decline", note="Helst efter kl. 15 på torsdag.")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.answer == MeetingAnswer.DECLINED
    [message] = resident_messages(started.case)
    assert "passar inte" in message and "Helst efter kl. 15 på torsdag." in message
    assert Notice.objects.filter(staff=digital.specialist, kind=NoticeKind.MEETING_ANSWER).count() == 1
    # A declined time is not accepted afterwards: the practitioner proposes another.
    again = answer_page(client, started.case.pk, answer="accept")
    assert again.status_code == 422 and "Du har redan svarat på den här tiden" in again.content.decode()
    newer = propose(digital, started.visit, minutes_ahead=240)
    assert newer.answer == MeetingAnswer.PENDING
    assert answer_page(client, started.case.pk, answer="accept").status_code == 302


def test_no_choice_or_a_too_long_note_is_refused_at_its_field(digital, resident_a, proposed):
    started, meeting = proposed
    client = log_in_client(Client(), resident_identity(resident_a))
    refused = answer_page(client, started.case.pk, answer="maybe")
    assert refused.status_code == 422
    assert "Välj om tiden passar eller om du vill ha en annan tid." in refused.content.decode()
    too_long = answer_page(client, started.case.pk, answer="decline", note="x" * 6000)
    assert too_long.status_code == 422 and 'id="id_note"' in too_long.content.decode()
    meeting.refresh_from_db()
    assert meeting.answer == MeetingAnswer.PENDING and not resident_messages(started.case)


@pytest.mark.rule("VISIT-8")
def test_the_answer_goes_to_the_colleague_the_visit_was_handed_to(digital, resident_a, proposed):
    started, meeting = proposed
    grant(digital.specialist, digital.unit, Role.RECEIVER)
    receiver = actor_for(digital.specialist, unit=digital.unit, role=Role.RECEIVER)
    do_distribute_case(receiver, started.case, handler=digital.st_doctor)
    client = log_in_client(Client(), resident_identity(resident_a))
    assert answer_page(client, started.case.pk, answer="accept").status_code == 302
    assert Notice.objects.filter(staff=digital.st_doctor, kind=NoticeKind.MEETING_ANSWER).count() == 1
    assert not Notice.objects.filter(staff=digital.specialist, kind=NoticeKind.MEETING_ANSWER).exists()
    colleague = log_in_client(Client(), staff_identity(digital.st_doctor, unit=digital.unit, role="handler"))
    assert colleague.get(f"/personal/digitala-besok/{started.case.pk}/videomote/").status_code == 200
    proposer = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    assert proposer.get(f"/personal/digitala-besok/{started.case.pk}/videomote/").status_code == 404


@pytest.mark.rule("VISIT-8")
def test_the_practitioner_calls_the_meeting_off_and_the_resident_is_told(digital, resident_a, proposed):
    started, meeting = proposed
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    response = staff.post(f"/personal/digitala-besok/{started.case.pk}/videomote/stall-in/")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    assert any("är inställt" in each.body for each in Message.objects.filter(case=started.case))
    assert Notice.objects.filter(person=resident_a, kind="partial_reply").count() == 2  # the proposal, the cancel
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_CANCEL, object_id=str(meeting.pk)).exists()
    page = log_in_client(Client(), resident_identity(resident_a)).get(
        f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/"
    )
    assert "Inget videomöte är bokat" in page.content.decode()


# --- the API ---------------------------------------------------------------------------------------------


def api(client: Client, method: str, path: str, data: dict | None = None, **headers: str):
    body = json.dumps(data) if data is not None else ""
    return client.generic(method, path, body, content_type="application/json", **headers)


@pytest.mark.rule("VISIT-8")
def test_the_api_lists_answers_proposes_and_cancels(digital, resident_a, resident_b, proposed):
    started, meeting = proposed
    case_id = started.case.pk
    resident = log_in_client(Client(), resident_identity(resident_a))
    listed = api(resident, "GET", f"/api/v1/visits/{case_id}/meetings")
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["id"], row["status"], row["answer"], row["is_open"]) == (meeting.pk, "proposed", "pending", False)
    assert row["page_path"] == f"/digitalt-vardbesok/besok/{case_id}/videomote/"

    other = log_in_client(Client(), resident_identity(resident_b))
    assert api(other, "GET", f"/api/v1/visits/{case_id}/meetings").status_code == 404
    answer_path = f"/api/v1/visits/{case_id}/meetings/{meeting.pk}/answer"
    assert api(other, "POST", answer_path, {"answer": "accept"}).status_code == 404

    bad = api(resident, "POST", answer_path, {"answer": "maybe"})
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    key = {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
    first = api(resident, "POST", answer_path, {"answer": "accept"}, **key)
    again = api(resident, "POST", answer_path, {"answer": "accept"}, **key)
    assert first.status_code == again.status_code == 200 and first.json()["answer"] == "accepted"
    assert len(resident_messages(started.case)) == 1
    twice = api(resident, "POST", answer_path, {"answer": "accept"})
    assert twice.status_code == 409 and twice.json()["code"] == "video-meeting-answered"

    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    past = api(staff, "POST", f"/api/v1/staff/visits/{case_id}/meetings", {"day": "2020-01-01", "time": "10:00"})
    assert past.status_code == 400 and past.json()["code"] == "video-meeting-in-past"
    newer = api(staff, "POST", f"/api/v1/staff/visits/{case_id}/meetings", {"day": "2099-01-01", "time": "1"})
    assert newer.status_code == 400
    at = propose_time(meeting, hours=3)
    created = api(staff, "POST", f"/api/v1/staff/visits/{case_id}/meetings", {"day": at[0], "time": at[1]})
    assert created.status_code == 201 and created.json()["answer"] == "pending"
    new_id = created.json()["id"]
    assert VideoMeeting.objects.get(pk=meeting.pk).cancelled_at is not None  # replaced
    cancelled = api(staff, "POST", f"/api/v1/staff/visits/{case_id}/meetings/{new_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    gone = api(staff, "POST", f"/api/v1/staff/visits/{case_id}/meetings/{new_id}/cancel")
    assert gone.status_code == 404
    colleague = log_in_client(Client(), staff_identity(digital.st_doctor, unit=digital.unit, role="handler"))
    refused = api(colleague, "POST", f"/api/v1/staff/visits/{case_id}/meetings", {"day": at[0], "time": at[1]})
    assert refused.status_code == 404  # not the visit's practitioner: the same answer as no such visit


def propose_time(meeting: VideoMeeting, *, hours: int) -> tuple[str, str]:
    import datetime as dt

    from vardnav.core import clock

    local = (meeting.starts_at + dt.timedelta(hours=hours)).astimezone(clock.STOCKHOLM)
    return local.date().isoformat(), local.strftime("%H:%M")
