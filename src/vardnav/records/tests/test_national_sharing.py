"""National sharing (REC-3, PRIV-5): what goes to the national summary, from when, and never twice."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.personas import grant, make_unit
from tests.tasks import run_tasks
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_send_resident_message
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.people.models import Person
from vardnav.records import national
from vardnav.records.actions import (
    do_classify_contact,
    do_export_national_summary,
    do_set_sharing_period,
    do_sign_note,
)
from vardnav.records.models import (
    ContactCategory,
    ExportStatus,
    NationalExport,
    NationalSummaryDocument,
    SharingMode,
)
from vardnav.records.national import SHARED_KINDS, ItemKind, SummaryDocument, national_store
from vardnav.records.tasks import export_national_summary
from vardnav.records.tests.builders import handled, handler, submit, summary

pytestmark = pytest.mark.django_db


def share_from(world, day: dt.date = dt.date(2020, 1, 1)):
    return do_set_sharing_period(
        world.staff(world.provider_admin), provider=world.provider, starts_on=day, ends_on=None, mode="shared"
    )


def stored_json() -> str:
    return json.dumps([row.document for row in NationalSummaryDocument.objects.all()], ensure_ascii=False)


def docs_for(person: Person) -> list[SummaryDocument]:
    return [stored.document for stored in national_store().documents_for(person)]


@pytest.mark.rule("REC-3")
def test_rec3_lists_exactly_four_kinds_of_item_and_a_document_carries_nothing_else():
    assert {ItemKind.CONTACT, ItemKind.CONTACT_DATE, ItemKind.SUMMARY_NOTE, ItemKind.DIAGNOSIS} == SHARED_KINDS
    carried = {kind for kind in SummaryDocument.fields_by_kind().values() if kind is not None}
    assert carried == SHARED_KINDS
    fields = set(SummaryDocument.__dataclass_fields__)
    assert fields == set(SummaryDocument.fields_by_kind())  # no field outside the list


@pytest.mark.rule("REC-3")
@pytest.mark.rule("PRIV-5")
def test_every_kind_of_item_is_checked_and_only_contact_date_summary_and_diagnosis_go(world):
    share_from(world)
    provider_admin = world.staff(world.provider_admin)
    assert provider_admin.provider_id == world.provider.pk
    # Ordinary care: answers, conversation, an internal note, and the summary with a diagnosis.
    care = handled(world, submit(world), reply="SVAR-I-DIALOGEN")
    do_send_resident_message(world.resident(world.resident_a), care, body="CHATT-FRÅN-INVÅNAREN")
    do_sign_note(handler(world), care, body="INTERN-ANTECKNING")
    shared = summary(world, care, body="SAMMANFATTNING-SOM-DELAS", codes="J06.9")
    # Contacts of kinds that never go, each with a summary of its own.
    withheld_bodies = {}
    for category in (
        ContactCategory.VACCINATION_ADVICE,
        ContactCategory.PRIVATE_INSURANCE,
        ContactCategory.OCCUPATIONAL_HEALTH,
    ):
        case = handled(world, submit(world))
        do_classify_contact(handler(world), case, category=category)
        withheld_bodies[category] = summary(world, case, body=f"SAMMANFATTNING-{category}").pk
    vaccination_unit = make_unit(world.provider, "Vaccinationsmottagningen", "SE2321000016-VAC1", kind="vaccination")
    grant(world.handler_x, vaccination_unit, "handler")
    nurse = world.staff(world.handler_x, vaccination_unit, "handler")
    clinic_case = submit(world, service=world.open_service, unit=vaccination_unit)
    clinic_note = do_sign_note(nurse, clinic_case, body="VACCINATIONSBESÖK", kind="summary")
    protected_case = submit(world, world.protected, service=world.open_service, unit=world.unit_x)
    protected_note = summary(world, protected_case, body="SKYDDAD-SAMMANFATTNING")

    result = export_national_summary.call()

    assert result == {"published": 1, "withheld": 5, "withdrawn": 0}
    (document,) = docs_for(world.resident_a)
    assert document.summary_note == "SAMMANFATTNING-SOM-DELAS"
    assert [d.code for d in document.diagnoses] == ["J06.9"] and document.diagnoses[0].title
    assert document.contact.unit == world.unit_x.name and document.contact.provider == world.provider.name
    assert document.contact_date == care.submitted_at.astimezone(STOCKHOLM).date()
    everything = stored_json()
    for kind, text in {
        ItemKind.CONVERSATION: "SVAR-I-DIALOGEN",
        ItemKind.CONVERSATION.value + "-resident": "CHATT-FRÅN-INVÅNAREN",
        ItemKind.QUESTIONNAIRE_ANSWERS: "Ont i halsen",
        ItemKind.RECORD_NOTE: "INTERN-ANTECKNING",
        ItemKind.VACCINATION_CLINIC_VISIT: "VACCINATIONSBESÖK",
        ItemKind.VACCINATION_ADVICE: "SAMMANFATTNING-vaccination_advice",
        ItemKind.PRIVATE_INSURANCE_CASE: "SAMMANFATTNING-private_insurance",
        ItemKind.OCCUPATIONAL_HEALTH_CASE: "SAMMANFATTNING-occupational_health",
        "protected identity (PRIV-5)": "SKYDDAD-SAMMANFATTNING",
    }.items():
        assert text not in everything, f"{kind} reached the national summary"
    # Images, referrals and test results have no field in a document (see the test above), and every
    # kind of item is accounted for: shared through its field, or decided against.
    reasons = dict(NationalExport.objects.values_list("note_id", "reason"))
    assert reasons[shared.pk] == ""
    assert reasons[clinic_note.pk] == national.Reason.VACCINATION_CLINIC
    assert reasons[protected_note.pk] == national.Reason.PROTECTED_IDENTITY
    assert {reasons[pk] for pk in withheld_bodies.values()} == {
        national.Reason.VACCINATION_ADVICE,
        national.Reason.PRIVATE_INSURANCE,
        national.Reason.OCCUPATIONAL_HEALTH,
    }
    for kind in ItemKind:
        assert (kind in SHARED_KINDS) == (kind in SummaryDocument.fields_by_kind().values())
    assert not docs_for(world.protected)


@pytest.mark.rule("REC-3")
@pytest.mark.parametrize(
    ("day", "mode", "goes"),
    [
        (dt.date(2019, 8, 1), SharingMode.PRINCIPAL, False),  # the last day as a subcontractor
        (dt.date(2019, 8, 2), SharingMode.NOT_SHARED, False),
        (dt.date(2022, 11, 21), SharingMode.NOT_SHARED, False),  # the day before sharing began
        (dt.date(2022, 11, 22), SharingMode.SHARED, True),  # the day sharing began
        (dt.date(2026, 3, 1), SharingMode.SHARED, True),
    ],
)
def test_a_contact_goes_only_if_the_provider_shared_on_its_date_three_periods_as_the_seeds_give(world, day, mode, goes):
    admin = world.staff(world.provider_admin)
    do_set_sharing_period(
        admin,
        provider=world.provider,
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2019, 8, 1),
        mode="principal",
        principal_name="Region Jönköpings län",
    )
    do_set_sharing_period(
        admin, provider=world.provider, starts_on=dt.date(2019, 8, 2), ends_on=dt.date(2022, 11, 21), mode="not_shared"
    )
    share_from(world, dt.date(2022, 11, 22))
    # Late in the evening in Sweden: the contact's date is the Swedish date, not UTC's.
    with time_machine.travel(dt.datetime.combine(day, dt.time(23, 30), tzinfo=STOCKHOLM), tick=False):
        case = handled(world, submit(world))
    note = summary(world, case)
    assert national.sharing_mode_on(list(world.provider.national_sharing_periods.all()), day) == mode

    do_export_national_summary()

    assert bool(docs_for(world.resident_a)) is goes
    expected = {
        SharingMode.SHARED: "",
        SharingMode.NOT_SHARED: national.Reason.NOT_SHARED_PERIOD,
        SharingMode.PRINCIPAL: national.Reason.PRINCIPAL_SHARES,
    }[mode]
    assert NationalExport.objects.get(note=note).reason == expected


@pytest.mark.rule("REC-3")
def test_without_a_policy_nothing_is_shared(world):
    summary(world, handled(world, submit(world)))
    assert do_export_national_summary().withheld == 1
    assert not NationalSummaryDocument.objects.exists()


@pytest.mark.rule("REC-3")
def test_the_export_runs_through_the_task_worker_and_a_second_run_sends_nothing_twice(world):
    share_from(world)
    summary(world, handled(world, submit(world)))
    summary(world, handled(world, submit(world)))

    first = export_national_summary.enqueue()
    run_tasks()
    first.refresh()
    again = export_national_summary.enqueue()
    run_tasks()
    again.refresh()

    assert first.return_value == {"published": 2, "withheld": 0, "withdrawn": 0}
    assert again.return_value == {"published": 0, "withheld": 0, "withdrawn": 0}
    assert NationalSummaryDocument.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditEvent.NATIONAL_SUMMARY_PUBLISH).count() == 2


@pytest.mark.rule("REC-3")
def test_publishing_the_same_document_again_replaces_it(world):
    share_from(world)
    note = summary(world, handled(world, submit(world)))
    document = national.build_document(note)
    store = national_store()
    store.publish(document)
    store.publish(document)
    store.withdraw("no-such-document")
    assert NationalSummaryDocument.objects.filter(document_id=document.document_id).count() == 1


@pytest.mark.rule("PRIV-5")
def test_a_resident_who_gets_a_protected_identity_is_taken_out_of_the_national_summary(world):
    share_from(world)
    summary(world, handled(world, submit(world)))
    do_export_national_summary()
    assert docs_for(world.resident_a)

    Person.objects.filter(pk=world.resident_a.pk).update(protected_identity=True)
    result = do_export_national_summary()

    assert result.withdrawn == 1
    assert docs_for(world.resident_a) == []
    entry = AuditEntry.objects.get(action=AuditEvent.NATIONAL_SUMMARY_WITHDRAW)
    assert entry.subject_person_id == world.resident_a.pk
    assert NationalExport.objects.get().status == ExportStatus.WITHDRAWN
    assert do_export_national_summary().total == 0


@pytest.mark.rule("REC-3")
def test_classifying_a_published_contact_as_insurance_withdraws_it(world):
    share_from(world)
    case = handled(world, submit(world))
    summary(world, case)
    do_export_national_summary()
    do_classify_contact(handler(world), case, category="private_insurance")
    assert do_export_national_summary().withdrawn == 1
    assert docs_for(world.resident_a) == []


def test_classifying_needs_a_care_relation_and_a_known_category(world):
    case = handled(world, submit(world))
    with pytest.raises(NotFound):
        do_classify_contact(world.staff(world.handler_y, world.unit_y, "handler"), case, category="care")
    with pytest.raises(DomainError) as refused:
        do_classify_contact(handler(world), case, category="lottery")
    assert refused.value.code == "invalid-contact-category"


def test_sharing_periods_never_overlap_and_only_the_provider_admin_sets_them(world):
    share_from(world, dt.date(2022, 11, 22))
    admin = world.staff(world.provider_admin)
    with pytest.raises(DomainError) as overlap:
        do_set_sharing_period(
            admin, provider=world.provider, starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2023, 1, 1), mode="shared"
        )
    assert overlap.value.code == "sharing-period-overlaps"
    with pytest.raises(DomainError) as backwards:
        do_set_sharing_period(
            admin, provider=world.provider, starts_on=dt.date(2020, 2, 1), ends_on=dt.date(2020, 1, 1), mode="shared"
        )
    assert backwards.value.code == "sharing-period-ends-before-start"
    with pytest.raises(DomainError):
        do_set_sharing_period(
            world.staff(world.provider_admin_other),
            provider=world.provider,
            starts_on=dt.date(2010, 1, 1),
            ends_on=dt.date(2010, 12, 31),
            mode="shared",
        )


def test_staff_see_what_became_of_a_summary_and_set_the_kind_of_contact_on_the_notes_page(world, client):
    from tests.sessions import log_in_client, staff_identity

    share_from(world)
    case = handled(world, submit(world))
    summary(world, case)
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    page = client.get(f"/personal/arenden/{case.pk}/journal/").content.decode()
    assert "väntar på nästa överföring" in page
    do_export_national_summary()
    assert "Delas i sammanhållen journalföring" in client.get(f"/personal/arenden/{case.pk}/journal/").content.decode()

    refused = client.post(f"/personal/arenden/{case.pk}/journal/kontakt/", {"category": "lottery"})
    assert refused.status_code == 422 and "Välj vilken sorts kontakt" in refused.content.decode()
    saved = client.post(f"/personal/arenden/{case.pk}/journal/kontakt/", {"category": "occupational_health"})
    assert saved.status_code == 302
    do_export_national_summary()
    page = client.get(f"/personal/arenden/{case.pk}/journal/").content.decode()
    assert "företagshälsovård delas inte" in page


def test_the_api_sets_the_kind_of_contact(world, client):
    from tests.sessions import log_in_client, staff_identity

    case = handled(world, submit(world))
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    url = f"/api/v1/records/cases/{case.pk}/contact-category"
    ok = client.post(url, {"category": "vaccination_advice"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["category"] == "vaccination_advice"
    bad = client.post(url, {"category": "x"}, content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
