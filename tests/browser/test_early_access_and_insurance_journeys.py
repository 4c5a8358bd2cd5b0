"""Early access (REC-8) and insurance powers of attorney (REC-9) in the browser.

Early access: the nurse registers a 14-year-old's application on the case's
record page, the head of unit first forgets the reason (the message at the
field), then grants it; the child, logged in for the journal only, reads their
journal and is led back to it from any other page.

Insurance: the unit registers an insurer's request; the resident finds
"Fullmakter till försäkringsbolag" on Mina sidor, sees what was released and
revokes the power of attorney. Every page passes check_page (one h1, skip link, axe).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.browser.test_journal_journeys import _answers
from tests.sessions import resident_identity, staff_identity


def _staff(staff, unit, role):
    from vardnav.core.actor import Actor, ActorKind

    return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, provider_id=staff.provider_id, unit_id=unit.pk, role=role)


def _submit(person, unit, *, acting_for=None, service=None, extra=None):
    from vardnav.cases.actions import do_submit_case
    from vardnav.catalog.access import current_questionnaire
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind

    service = service or Service.objects.get(provider_id=unit.provider_id, kind=ServiceKind.CONTACT_UNIT)
    questionnaire = current_questionnaire(service)
    assert questionnaire is not None
    actor = Actor(kind=ActorKind.RESIDENT, person_id=person.pk, acting_for_id=acting_for.pk if acting_for else None)
    answers = _answers(questionnaire.items) | (extra or {})
    return do_submit_case(actor, service=service, unit=unit, answers=answers)


@pytest.mark.rule("REC-8")
def test_the_head_of_unit_grants_early_access_and_the_child_reads_the_journal_only(
    page,
    browser_context,
    live_server,
    demo,
    demo_guardian,
    demo_child_14,
    demo_unit_x,
    demo_receiver_x,
    demo_handler_x,
    demo_unit_admin_x,
    expected_console_errors,
):
    from vardnav.cases.actions import do_distribute_case
    from vardnav.people.models import GuardianRelation
    from vardnav.records.actions import do_sign_note

    expected_console_errors.append("the server responded with a status of 422")  # the missing reason, on purpose
    assert GuardianRelation.objects.filter(guardian=demo_guardian, child=demo_child_14).exists()
    case = _submit(demo_guardian, demo_unit_x, acting_for=demo_child_14)
    case = do_distribute_case(_staff(demo_receiver_x, demo_unit_x, "receiver"), case, handler=demo_handler_x)
    do_sign_note(
        _staff(demo_handler_x, demo_unit_x, "handler"),
        case,
        body="Ont i halsen, ingen feber. Åter vid behov.",
        kind="summary",
        diagnosis_codes="",
        shared_with_resident=True,
    )

    log_in(browser_context, live_server.url, staff_identity(demo_handler_x, unit=demo_unit_x, role="handler"))
    page.goto(f"/personal/arenden/{case.pk}/journal/")
    section = page.locator("section#tidig-atkomst")
    section.get_by_role("button", name="Registrera ansökan om tidig åtkomst").click()
    page.get_by_text("Ansökan om tidig åtkomst är registrerad.").wait_for()
    check_page(page, h1="Journalanteckningar")

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, staff_identity(demo_unit_admin_x, unit=demo_unit_x, role="unit_admin"))
    page.goto("/personal/")
    page.get_by_role("navigation", name="Personalmeny").get_by_role("link", name="Tidig åtkomst").click()
    page.wait_for_url(on_path("/personal/tidig-atkomst/"))
    check_page(page, h1="Tidig åtkomst till journalen")
    page.get_by_role("radio", name="Bevilja: barnet får läsa sin journal").check()
    page.get_by_role("button", name="Spara beslutet").click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    assert "Skriv skälet till beslutet." in page.locator(".error-summary").inner_text()
    check_page(page, h1="Tidig åtkomst till journalen")
    page.get_by_label("Skäl till beslutet").fill("Oskar förstår vad journalen innehåller och vill själv läsa den.")
    page.get_by_role("button", name="Spara beslutet").click()
    page.get_by_text("Beslutet är sparat.").wait_for()
    assert page.get_by_text("Beviljad").first.is_visible()

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_child_14) | {"journal_only": True})
    page.goto("/mina-sidor/journal/")
    check_page(page, h1="Min journal", screenshot_name="early-access-journal")
    assert page.get_by_text("Ont i halsen, ingen feber.").is_visible()
    page.goto("/mina-sidor/")
    page.wait_for_url(on_path("/mina-sidor/journal/"))


@pytest.mark.rule("REC-9")
def test_the_resident_sees_what_the_insurer_got_and_revokes_the_power_of_attorney(
    page, browser_context, live_server, demo, demo_resident_a, demo_unit_x, demo_handler_x, demo_provider_admin_other
):
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor
    from vardnav.records.actions import do_mark_insurance_service, do_register_insurer_request, do_sign_note
    from vardnav.records.insurance import INSURER_ITEM, POWER_OF_ATTORNEY_ITEM
    from vardnav.records.models import Insurer, PowerOfAttorney

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    # The insurers come from a data migration, which an earlier transactional test's flush may have emptied.
    insurer = Insurer.objects.get_or_create(code="skandia", defaults={"name": "Skandia"})[0]
    Insurer.objects.get_or_create(code="if", defaults={"name": "If"})
    do_mark_insurance_service(Actor.system(), service)
    case = _submit(
        demo_resident_a, demo_unit_x, service=service, extra={INSURER_ITEM: insurer.code, POWER_OF_ATTORNEY_ITEM: True}
    )
    handler = _staff(demo_handler_x, demo_unit_x, "handler")
    do_sign_note(handler, case, body="Ländryggssmärta.", kind="summary", diagnosis_codes="M54.5")
    do_register_insurer_request(handler, case, insurer_id=insurer.pk)

    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Fullmakter till försäkringsbolag").click()
    page.wait_for_url(on_path("/mina-sidor/forsakring/"))
    check_page(page, h1="Fullmakter till försäkringsbolag", screenshot_name="insurance-powers")
    assert "M54.5" in page.locator("main").inner_text()
    assert page.get_by_text("Uppgifter lämnades ut").is_visible()
    page.get_by_role("button", name="Återkalla fullmakten").click()
    page.get_by_text("Fullmakten är återkallad.").wait_for()
    check_page(page, h1="Fullmakter till försäkringsbolag")
    assert PowerOfAttorney.objects.get(case_number=case.number).revoked_at is not None
    assert page.get_by_role("button", name="Återkalla fullmakten").count() == 0


@pytest.mark.rule("REC-9")
def test_the_provider_admin_keeps_the_insurers_and_marks_an_insurance_e_service_from_the_settings_area(
    page, browser_context, live_server, demo, demo_provider_admin_other, expected_console_errors
):
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.records.models import InsuranceService, Insurer

    expected_console_errors.append("the server responded with a status of 422")  # the empty name, on purpose
    # The shared insurers come from a data migration, which an earlier transactional test's flush may have emptied.
    Insurer.objects.get_or_create(code="skandia", defaults={"name": "Skandia"})
    service = Service.objects.filter(
        provider_id=demo_provider_admin_other.provider_id, kind=ServiceKind.CONTACT_UNIT
    ).first()
    assert service is not None
    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))
    page.goto("/personal/installningar/")
    page.get_by_role("link", name="Försäkringsbolag och e-tjänster med vårdförsäkring").click()
    page.wait_for_url(on_path("/personal/installningar/forsakring/"))
    check_page(page, h1="Vårdförsäkring")

    adding = page.locator("form", has=page.get_by_role("button", name="Lägg till", exact=True))
    adding.get_by_role("button", name="Lägg till", exact=True).click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    field = adding.get_by_label("Namn")
    assert field.get_attribute("aria-invalid") == "true"
    check_page(page, h1="Vårdförsäkring")
    field.fill("Bygdens Sjukvårdsförsäkring")
    adding.get_by_role("button", name="Lägg till", exact=True).click()
    assert "Försäkringsbolaget är tillagt." in page.get_by_role("status").inner_text()
    assert Insurer.objects.filter(provider_id=demo_provider_admin_other.provider_id).count() == 1

    page.locator("li.card", has_text=service.name).get_by_role("button", name="Koppla till vårdförsäkring").click()
    assert "frågar nu efter försäkringsbolag" in page.get_by_role("status").inner_text()
    assert InsuranceService.objects.filter(service=service).exists()
    check_page(page, h1="Vårdförsäkring")
