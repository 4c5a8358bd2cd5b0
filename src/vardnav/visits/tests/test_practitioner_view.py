"""The chat and the practitioner's view (VISIT-1 part 3, VISIT-10): triage answers, the health profile,
earlier visits, the dialogue with files, and closing with a summary note from the record."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_reply, do_send_resident_message
from vardnav.cases.models import CaseStatus
from vardnav.core.errors import DomainError
from vardnav.records.actions import do_sign_note
from vardnav.visits.access import current_triage
from vardnav.visits.actions import PROFILE_FIELD_MAX, do_confirm_health_profile, do_start_visit
from vardnav.visits.errors import VisitError
from vardnav.visits.models import Duty, HealthProfile
from vardnav.visits.tests.conftest import valid_answers

pytestmark = pytest.mark.django_db


def start(digital, person, slug="urinvagsinfektion"):
    area = digital.areas[slug]
    triage = current_triage(area)
    return do_start_visit(actor_for(person), area, triage, answers=valid_answers(triage.items), abroad=False)


@pytest.mark.rule("VISIT-1")
def test_the_practitioner_sees_triage_answers_health_profile_and_earlier_visits_in_one_audited_read(
    digital, resident_a
):
    digital.on_duty(digital.specialist)
    do_confirm_health_profile(
        actor_for(resident_a), allergies="Penicillin", medicines="Levaxin 50 mikrogram", conditions=""
    )
    earlier = start(digital, resident_a, "hudbesvar")
    current = start(digital, resident_a)
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    before = AuditEntry.objects.filter(action="read").count()
    page = client.get(f"/personal/digitala-besok/{current.case.pk}/").content.decode()
    assert "Svider eller gör det ont när du kissar?" in page
    assert "Penicillin" in page and "Levaxin 50 mikrogram" in page
    assert earlier.case.number in page and "Hudbesvär" in page
    assert AuditEntry.objects.filter(action="read").count() == before + 1
    assert f"/personal/arenden/{current.case.pk}/journal/" in page


@pytest.mark.rule("VISIT-1")
def test_the_visit_is_an_asynchronous_chat_in_the_case(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    as_doctor = digital.practitioner(digital.specialist)
    do_reply(as_doctor, started.case, answers={"reply": "Hur länge har det svidit?"})
    do_send_resident_message(actor_for(resident_a), started.case, body="Sedan i förrgår.")
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get(f"/arenden/{started.case.pk}/").content.decode()
    assert "Hur länge har det svidit?" in page and "Sedan i förrgår." in page


@pytest.mark.rule("VISIT-10")
def test_closing_with_a_shared_summary_note_ends_the_visit_and_frees_the_queue_place(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    assert Duty.objects.get(staff=digital.specialist).open_visits == 1
    do_sign_note(
        digital.practitioner(digital.specialist),
        started.case,
        body="Okomplicerad urinvägsinfektion. Råd om vätska.",
        kind="summary",
        shared_with_resident=True,
        close_case=True,
    )
    started.case.refresh_from_db()
    assert started.case.status == CaseStatus.CLOSED
    assert Duty.objects.get(staff=digital.specialist).open_visits == 0


def test_the_resident_saves_and_confirms_the_health_profile_on_the_page_and_in_the_api(digital, resident_a):
    client = log_in_client(Client(), resident_identity(resident_a))
    assert client.get("/digitalt-vardbesok/halsoprofil/").status_code == 200
    saved = client.post(
        "/digitalt-vardbesok/halsoprofil/", {"allergies": "Nötter", "medicines": "", "conditions": "Astma"}
    )
    assert saved.status_code == 302
    profile = HealthProfile.objects.get(person=resident_a)
    assert (profile.allergies, profile.conditions) == ("Nötter", "Astma")
    body = {"allergies": "", "medicines": "Ventoline", "conditions": "Astma"}
    put = client.put("/api/v1/visits/health-profile", json.dumps(body), content_type="application/json")
    assert put.status_code == 200 and put.json()["medicines"] == "Ventoline"
    assert client.get("/api/v1/visits/health-profile").json()["allergies"] == ""


def test_a_too_long_health_profile_is_refused_in_swedish_and_nothing_saved(digital, resident_a):
    with pytest.raises(DomainError) as raised:
        do_confirm_health_profile(
            actor_for(resident_a), allergies="x" * (PROFILE_FIELD_MAX + 1), medicines="", conditions=""
        )
    assert raised.value.code is VisitError.PROFILE_TOO_LONG
    assert not HealthProfile.objects.exists()
