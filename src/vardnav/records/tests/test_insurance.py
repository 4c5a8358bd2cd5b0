"""Private health insurance (REC-9): the power of attorney approved at submission, the insurer's requests, revocation.

An insurance e-service asks which insurer and whether the resident approves the
power of attorney; the unit registers an insurer's request, and the case's
summaries go only under a power of attorney in force. The resident sees every
request and what went, under Mina sidor, and can revoke for the future.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import CONTACT_ITEMS, make_service
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_submit_case
from vardnav.catalog.models import ServiceKind
from vardnav.core.errors import DomainError, NotFound
from vardnav.records.access import access_power_of_attorney, insurance_overview
from vardnav.records.actions import (
    do_mark_insurance_service,
    do_register_insurer_request,
    do_revoke_power_of_attorney,
)
from vardnav.records.insurance import INSURER_ITEM, POWER_OF_ATTORNEY_ITEM
from vardnav.records.models import InsuranceService, InsurerRequestOutcome, PowerOfAttorney
from vardnav.records.tests.builders import ANSWERS, handled, handler, summary

pytestmark = pytest.mark.django_db


def submit_insured(world, service, *, insurer: str = "skandia", approve: bool = True, person=None):
    answers = dict(ANSWERS) | {INSURER_ITEM: insurer, POWER_OF_ATTORNEY_ITEM: approve}
    return do_submit_case(
        world.resident(person or world.resident_a), service=service, unit=world.unit_x, answers=answers
    )


@pytest.mark.rule("REC-9")
def test_the_power_of_attorney_approved_at_submission_lets_the_insurer_have_the_summary(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    summary(world, case, codes="M54.5")
    poa = PowerOfAttorney.objects.get(case_number=case.number)
    assert poa.insurer == skandia and poa.person == world.resident_a and poa.revoked_at is None
    assert InsuranceService.objects.filter(service=service).exists()

    request = do_register_insurer_request(handler(world), case, insurer_id=skandia.pk)
    assert request.outcome == InsurerRequestOutcome.RELEASED
    assert [item["diagnosis_codes"] for item in request.released] == [["M54.5"]]
    entry = AuditEntry.objects.filter(action=AuditEvent.INSURER_REQUEST).latest("id")
    assert entry.subject_person_id == world.resident_a.pk and entry.extra["outcome"] == "released"


@pytest.mark.rule("REC-9")
def test_nothing_is_released_without_the_power_of_attorney(world, insurance):
    service, skandia, folksam = insurance
    declined = handled(world, submit_insured(world, service, approve=False))
    summary(world, declined)
    assert not PowerOfAttorney.objects.filter(case_number=declined.number).exists()
    refused = do_register_insurer_request(handler(world), declined, insurer_id=skandia.pk)
    assert refused.outcome == InsurerRequestOutcome.REFUSED and refused.released == []
    assert refused.refusal_code == "power-of-attorney-required"

    approved = handled(world, submit_insured(world, service))
    summary(world, approved)
    other_insurer = do_register_insurer_request(handler(world), approved, insurer_id=folksam.pk)
    assert other_insurer.outcome == InsurerRequestOutcome.REFUSED  # the power of attorney names Skandia only


@pytest.mark.rule("REC-9")
def test_the_resident_revokes_for_the_future_and_sees_every_request(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    summary(world, case)
    first = do_register_insurer_request(handler(world), case, insurer_id=skandia.pk)
    poa = access_power_of_attorney(world.resident(world.resident_a), PowerOfAttorney.objects.get().pk)
    do_revoke_power_of_attorney(world.resident(world.resident_a), poa)
    after = do_register_insurer_request(handler(world), case, insurer_id=skandia.pk)
    assert first.outcome == InsurerRequestOutcome.RELEASED and after.outcome == InsurerRequestOutcome.REFUSED
    with pytest.raises(DomainError) as twice:
        do_revoke_power_of_attorney(world.resident(world.resident_a), poa)
    assert twice.value.status == 409

    overview = insurance_overview(world.resident(world.resident_a))
    assert [r.outcome for r in overview.requests] == ["refused", "released"]
    assert overview.powers[0].revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditEvent.INSURANCE_READ, subject_person_id=world.resident_a.pk).exists()


@pytest.mark.rule("REC-9")
def test_nobody_else_sees_or_revokes_a_power_of_attorney(world, insurance):
    service, skandia, _folksam = insurance
    submit_insured(world, service)
    poa = PowerOfAttorney.objects.get()
    with pytest.raises(NotFound):
        access_power_of_attorney(world.resident(world.resident_b), poa.pk)
    with pytest.raises(NotFound):
        do_revoke_power_of_attorney(world.resident(world.resident_b), poa)
    with pytest.raises(NotFound):
        insurance_overview(world.resident(world.guardian, world.child_8))
    assert insurance_overview(world.resident(world.resident_b)).powers == []


def test_an_unknown_insurer_is_refused_at_the_field_and_staff_need_a_care_relation(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    with pytest.raises(DomainError) as unknown:
        do_register_insurer_request(handler(world), case, insurer_id="999999")
    assert unknown.value.code == "unknown-insurer" and unknown.value.field == "insurer"
    with pytest.raises(NotFound):
        do_register_insurer_request(world.staff(world.handler_y, world.unit_y, "handler"), case, insurer_id=skandia.pk)


@pytest.mark.rule("REC-9")
def test_the_resident_sees_the_requests_and_revokes_on_the_page(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    summary(world, case, codes="M54.5")
    staff = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    empty = staff.post(f"/personal/arenden/{case.pk}/journal/forsakringsbolag/", {"insurer": ""})
    assert empty.status_code == 422 and "Välj ett försäkringsbolag i listan." in empty.content.decode()
    assert (
        staff.post(f"/personal/arenden/{case.pk}/journal/forsakringsbolag/", {"insurer": skandia.pk}).status_code == 302
    )

    resident = log_in_client(Client(), resident_identity(world.resident_a))
    hub = resident.get("/mina-sidor/").content.decode()
    assert "/mina-sidor/forsakring/" in hub
    page = resident.get("/mina-sidor/forsakring/").content.decode()
    assert "Skandia" in page and "M54.5" in page and "Uppgifter lämnades ut" in page
    poa = PowerOfAttorney.objects.get()
    assert resident.post(f"/mina-sidor/forsakring/fullmakt/{poa.pk}/aterkalla/").status_code == 302
    poa.refresh_from_db()
    assert poa.revoked_at is not None
    other = log_in_client(Client(), resident_identity(world.resident_b))
    assert other.post(f"/mina-sidor/forsakring/fullmakt/{poa.pk}/aterkalla/").status_code == 404


def test_the_insurance_page_has_a_fixed_query_count(world, insurance):
    service, skandia, _folksam = insurance
    resident = log_in_client(Client(), resident_identity(world.resident_a))

    def one_more():
        case = handled(world, submit_insured(world, service))
        summary(world, case)
        do_register_insurer_request(handler(world), case, insurer_id=skandia.pk)

    one_more()
    assert_same_query_count(lambda: resident.get("/mina-sidor/forsakring/"), lambda: [one_more() for _ in range(3)])


def test_marking_a_service_for_insurance_is_for_the_provider_admin_only(world):
    from vardnav.core.errors import PermissionDenied

    service = make_service(world.provider, ServiceKind.SPECIAL_FOODS, items=CONTACT_ITEMS)
    with pytest.raises(PermissionDenied):
        do_mark_insurance_service(world.staff(world.handler_x, world.unit_x, "handler"), service)
    assert not InsuranceService.objects.filter(service=service).exists()


def test_only_the_platform_adds_insurers_and_a_known_code_is_kept(world):
    from vardnav.core.actor import Actor
    from vardnav.records.actions import do_add_insurer

    with pytest.raises(NotFound):
        do_add_insurer(world.staff(world.provider_admin), code="nytt-bolag", name="Nytt Bolag")
    added = do_add_insurer(Actor.system(), code="nytt-bolag", name="Nytt Bolag")
    assert do_add_insurer(Actor.system(), code="nytt-bolag", name="Annat namn") == added
    assert AuditEntry.objects.filter(action=AuditEvent.INSURER_ADD).count() == 1


@pytest.mark.rule("REC-9")
def test_marking_or_unmarking_an_insurance_service_counts_from_the_next_submission(world, insurance):
    """Whether the service is an insurance service is read with the submission's offer (issue 13), not cached:
    every change counts at once."""
    service, _skandia, _folksam = insurance
    InsuranceService.objects.filter(service=service).delete()  # untied, its form still asking
    untied = submit_insured(world, service)
    assert not PowerOfAttorney.objects.filter(case_number=untied.number).exists()

    InsuranceService.objects.create(service=service)
    tied = submit_insured(world, service, person=world.resident_b)
    assert PowerOfAttorney.objects.filter(case_number=tied.number).exists()
