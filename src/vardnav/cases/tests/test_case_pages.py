"""The resident and staff pages for cases, through real requests."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Case, CaseStatus
from vardnav.catalog.models import Service

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def client_for(identity) -> Client:
    return log_in_client(Client(), identity)


@pytest.fixture
def resident(world):
    return client_for(resident_identity(world.resident_a))


def form_url(world, service=None, unit=None):
    return f"/e-tjanster/{(unit or world.unit_x).slug}/{(service or world.contact).pk}/"


def test_the_services_page_starts_at_the_listed_unit(world, resident):
    page = resident.get("/e-tjanster/").content.decode()
    assert "Hos Testcentralen 1" in page
    assert form_url(world) in page


def test_a_resident_fills_in_the_questionnaire_and_gets_a_receipt(world, resident):
    form = resident.get(form_url(world))
    assert form.status_code == 200
    assert "Vad gäller ditt ärende?" in form.content.decode()
    response = resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-000001"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/kvitto/"
    receipt = resident.get(response["Location"]).content.decode()
    assert case.number in receipt


def test_missing_answers_show_swedish_messages_and_save_nothing(world, resident):
    response = resident.post(form_url(world), {"subject": "", "details": "", "submission_key": "page-key-000002"})
    assert response.status_code == 422
    assert "Fyll i ”Vad gäller ditt ärende?”." in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-6")
def test_a_double_click_lands_on_the_same_case(world, resident):
    data = {**ANSWERS, "submission_key": "page-key-000003"}
    first, second = resident.post(form_url(world), data), resident.post(form_url(world), data)
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_a_service_the_unit_does_not_offer_is_404(world, resident):
    assert resident.get("/e-tjanster/testcentralen-1/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_bankid_login(world):
    response = Client().get("/arenden/")
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


def test_mina_arenden_lists_cases_with_a_fixed_number_of_queries(world, resident):
    def post_cases(numbers):
        for number in numbers:
            resident.post(
                form_url(world),
                {
                    "subject": f"Ämne {number}",
                    "details": f"Helt olika text nummer {number * 7919}",
                    "submission_key": f"page-key-10{number}000",
                },
            )

    post_cases(range(1))
    assert_same_query_count(lambda: resident.get("/arenden/"), lambda: post_cases(range(1, 6)))
    page = resident.get("/arenden/")
    assert page.content.decode().count('class="card__title"') == 6


def test_the_staff_inbox_and_case_pages_handle_a_case_end_to_end(world, resident, django_assert_max_num_queries):
    resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-000004"})
    case = Case.objects.get()
    receiver = client_for(staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    with django_assert_max_num_queries(12):
        inbox = receiver.get("/personal/inkorg/")
    assert case.number in inbox.content.decode()

    def more_cases() -> None:
        for number in range(1, 4):
            resident.post(
                form_url(world),
                {
                    "subject": f"Ämne {number}",
                    "details": f"Helt olika text nummer {number * 7919}",
                    "submission_key": f"page-key-20{number}000",
                },
            )

    assert_same_query_count(lambda: receiver.get("/personal/inkorg/"), more_cases)
    assert Case.objects.count() == 4
    reads = AuditEntry.objects.filter(action="read", subject_person_id=world.resident_a.pk).count()
    assert receiver.get(f"/personal/arenden/{case.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="read", subject_person_id=world.resident_a.pk).count() == reads + 1
    receiver.post(
        f"/personal/arenden/{case.pk}/fordela/", {"handler": world.handler_x.pk, "partial_reply": "Vi tittar på det."}
    )
    handler = client_for(staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    handler.post(
        f"/personal/arenden/{case.pk}/svara/",
        {"reply-reply": "Provsvaret är normalt.", "close": "1", "outcome": "answered"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    page = resident.get(f"/arenden/{case.pk}/").content.decode()
    assert "Provsvaret är normalt." in page and "Vi tittar på det." in page


def test_a_handler_at_another_unit_gets_404_on_the_case_page(world, resident):
    resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-000005"})
    case = Case.objects.get()
    other = client_for(staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    assert other.get(f"/personal/arenden/{case.pk}/").status_code == 404


def test_a_service_that_takes_files_still_accepts_a_submission_without_files(world, resident):
    from vardnav.catalog.actions import do_update_service
    from vardnav.core.actor import Actor

    do_update_service(Actor.system(), world.contact, attachments_allowed=True)
    response = resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-000006"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.count() == 1


@pytest.mark.rule("CASE-1")
def test_a_handler_takes_a_case_routed_to_handlers_from_its_page_and_answers_it(world, resident):
    Service.objects.filter(pk=world.contact.pk).update(routed_role="handler")
    resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-000006"})
    case = Case.objects.get()
    handler = client_for(staff_identity(world.handler_x, unit=world.unit_x, role="handler"))

    assert case.number in handler.get("/personal/inkorg/").content.decode()
    page = handler.get(f"/personal/arenden/{case.pk}/").content.decode()
    assert "Ta ärendet" in page and "Svara invånaren" not in page

    taken = handler.post(f"/personal/arenden/{case.pk}/ta/", follow=True).content.decode()

    assert "Du har tagit ärendet" in taken and "Svara invånaren" in taken
    case.refresh_from_db()
    assert case.assigned_to_id == world.handler_x.pk


@pytest.mark.rule("CASE-6")
def test_a_probable_duplicate_is_shown_before_it_is_sent_and_can_be_sent_anyway(world, resident):
    first = resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-dup-0001"})
    assert first.status_code == 302
    original = Case.objects.get()

    again = resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-dup-0002"})

    page = again.content.decode()
    assert again.status_code == 200
    assert "Du har redan skickat ett likadant ärende" in page
    assert f'href="/arenden/{original.pk}/"' in page
    assert 'name="send_anyway" value="1"' in page
    assert 'value="page-key-dup-0002"' in page, "the form keeps its key, so 'Skicka ändå' sends it once"
    assert Case.objects.count() == 1, "nothing is sent until the resident chooses to"

    anyway = resident.post(form_url(world), {**ANSWERS, "submission_key": "page-key-dup-0002", "send_anyway": "1"})

    assert anyway.status_code == 302
    second = Case.objects.exclude(pk=original.pk).get()
    assert second.duplicate_of_id == original.pk
    assert second.flags.filter(code="probable_duplicate").exists()


@pytest.mark.rule("CASE-1")
def test_a_listing_bound_service_at_another_unit_is_explained_before_anything_is_typed(world, resident):
    page = resident.get(form_url(world, unit=world.unit_y)).content.decode()

    assert "Du är listad på Testcentralen 1" in page
    assert f'href="{form_url(world)}"' in page, "a link to the same service at the resident's own unit"
    assert "<textarea" not in page and 'name="subject"' not in page, "no form to fill in only to be refused"
    listing = resident.get(f"/e-tjanster/{world.unit_y.slug}/").content.decode()
    assert f'href="{form_url(world)}"' in listing
    assert "Du skickar den till Testcentralen 1, där du är listad." in listing


@pytest.mark.rule("CASE-1")
def test_a_resident_listed_nowhere_is_told_so_before_typing(world):
    unlisted = client_for(resident_identity(world.guardian_2))
    page = unlisted.get(form_url(world)).content.decode()
    assert "och det är du inte" in page
    assert 'name="subject"' not in page
