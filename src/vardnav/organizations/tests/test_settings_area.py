"""The staff settings area (issue 11, item 13): heads of unit and provider administrators keep
roles, "Övrig information", opening hours, e-services, policies and questionnaires without the
Django admin; everyone else gets a 403 page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, UnitService
from vardnav.organizations.models import Role, RoleGrant
from vardnav.prescriptions.actions import get_renewal_policy
from vardnav.prescriptions.models import NarcoticsPolicy

pytestmark = pytest.mark.django_db


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


@pytest.fixture
def head_x(unit_admin_x, unit_x):
    return client_for(unit_admin_x, unit_x, "unit_admin")


@pytest.fixture
def admin(provider_admin):
    """The provider's administrator, who holds no role at any unit."""
    return client_for(provider_admin)


# --- who gets in --------------------------------------------------------------------


def test_a_provider_administrator_without_a_role_lands_in_the_settings_not_on_no_permission(admin):
    response = admin.get("/personal/valj-enhet/")

    assert response.status_code == 302
    assert response["Location"] == "/personal/installningar/"
    page = admin.get("/personal/installningar/").content.decode()
    assert "ingen behörighet" not in page.lower()
    assert "Testcentralen 1" in page and "Testcentralen 2" in page
    assert "/personal/installningar/vardgivare/" in page


def test_a_head_of_unit_sees_only_their_units_and_no_provider_settings(head_x, unit_y):
    page = head_x.get("/personal/installningar/").content.decode()

    assert "Testcentralen 1" in page
    assert "Testcentralen 2" not in page
    assert "/personal/installningar/vardgivare/" not in page
    assert head_x.get(f"/personal/installningar/mottagningar/{unit_y.pk}/roller/").status_code == 404
    assert head_x.get("/personal/installningar/vardgivare/").status_code == 403


def test_the_staff_menu_offers_settings_to_heads_and_administrators_only(head_x, admin, receiver_x, unit_x):
    receiver = client_for(receiver_x, unit_x, "receiver")

    assert 'href="/personal/installningar/"' in head_x.get("/personal/").content.decode()
    assert 'href="/personal/installningar/"' in admin.get("/personal/installningar/").content.decode()
    assert 'href="/personal/installningar/"' not in receiver.get("/personal/").content.decode()
    refused = receiver.get("/personal/installningar/")
    assert refused.status_code == 403
    assert "Du har inte behörighet till inställningarna" in refused.content.decode()


def test_another_providers_administrator_gets_the_same_404_for_our_unit(provider_admin_other, unit_x):
    other = client_for(provider_admin_other)

    assert other.get(f"/personal/installningar/mottagningar/{unit_x.pk}/").status_code == 404


# --- roles (ORG-4) --------------------------------------------------------------------


@pytest.mark.rule("ORG-4")
def test_the_head_of_unit_grants_and_revokes_a_role_in_the_settings_area(head_x, unit_x, handler_y):
    page = head_x.get(f"/personal/installningar/mottagningar/{unit_x.pk}/roller/").content.decode()
    assert "Ulla" in page and "Verksamhetschef" in page

    response = head_x.post(
        f"/personal/installningar/mottagningar/{unit_x.pk}/roller/",
        {"staff": str(handler_y.pk), "role": Role.RECEIVER, "submission_key": "grant-key-0001"},
    )

    assert response.status_code == 302
    grant = RoleGrant.objects.get(staff=handler_y, unit=unit_x, role=Role.RECEIVER)
    assert AuditEntry.objects.filter(action=AuditEvent.ROLE_GRANT_RECEIVER, object_id=str(handler_y.pk)).count() == 1
    assert "Yusuf" in head_x.get(response["Location"]).content.decode()

    revoked = head_x.post(f"/personal/installningar/mottagningar/{unit_x.pk}/roller/{grant.pk}/ta-bort/")

    assert revoked.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action=AuditEvent.ROLE_REVOKE_RECEIVER, object_id=str(handler_y.pk)).count() == 1


@pytest.mark.rule("ORG-4")
def test_only_the_head_of_unit_or_the_administrator_may_grant_roles(receiver_x, unit_x, handler_y):
    receiver = client_for(receiver_x, unit_x, "receiver")

    response = receiver.post(
        f"/personal/installningar/mottagningar/{unit_x.pk}/roller/",
        {"staff": str(handler_y.pk), "role": Role.UNIT_ADMIN},
    )

    assert response.status_code == 403
    assert not RoleGrant.objects.filter(staff=handler_y, unit=unit_x).exists()


def test_a_grant_without_a_choice_is_refused_at_its_fields(head_x, unit_x):
    response = head_x.post(f"/personal/installningar/mottagningar/{unit_x.pk}/roller/", {"staff": "", "role": ""})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Välj vem som ska få rollen." in page
    assert "Välj vilken roll medarbetaren ska få." in page
    assert 'href="#grant-staff"' in page


def test_the_head_cannot_take_away_their_own_head_role(head_x, unit_x, unit_admin_x):
    own = RoleGrant.objects.get(staff=unit_admin_x, unit=unit_x, role=Role.UNIT_ADMIN)

    response = head_x.post(f"/personal/installningar/mottagningar/{unit_x.pk}/roller/{own.pk}/ta-bort/")

    assert response.status_code == 422
    assert "Du kan inte ta bort din egen roll som verksamhetschef." in response.content.decode()
    assert RoleGrant.objects.filter(pk=own.pk).exists()


# --- Övrig information (ORG-5) ----------------------------------------------------------

ORG5_TOOLBAR = ["undo", "redo", "h2", "h3", "plain-paste", "bold", "italic", "bullet", "ordered", "link"]


@pytest.mark.rule("ORG-5")
def test_the_editor_offers_exactly_the_rules_toolbar_and_a_link_dialog_with_its_four_fields(head_x, unit_x):
    page = head_x.get(f"/personal/installningar/mottagningar/{unit_x.pk}/ovrig-information/").content.decode()
    toolbar = page.split('role="toolbar"', 1)[1].split("</div>", 1)[0]

    assert re.findall(r'data-action="([a-z0-9-]+)"', toolbar) == ORG5_TOOLBAR
    dialog = page.split("<dialog", 1)[1].split("</dialog>", 1)[0]
    assert re.findall(r'name="(link-[a-z-]+)"', dialog) == ["link-href", "link-text", "link-title", "link-new-window"]
    # Without JavaScript it is a plain text area; the vendored editor is served from our own static files.
    assert re.search(r"<textarea[^>]*name=\"other_information_html\"", page)
    assert "/static/vendor/quill/quill.js" in page
    assert "cdn" not in page.lower()


@pytest.mark.rule("ORG-5")
def test_saved_text_is_sanitised_and_the_preview_shows_only_the_saved_text(head_x, unit_x):
    url = f"/personal/installningar/mottagningar/{unit_x.pk}/ovrig-information/"
    html = (
        "<h2>Parkering</h2><p>Gratis <strong>2 timmar</strong>.<script>alert(1)</script></p>"
        '<p><a href="https://www.1177.se" title="1177" target="_blank">Läs mer</a>'
        '<img src="x" onerror="alert(1)"></p>'
    )

    response = head_x.post(url, {"other_information_html": html})

    assert response.status_code == 302
    unit_x.refresh_from_db()
    saved = unit_x.other_information_html
    assert "<h2>Parkering</h2>" in saved and "<strong>2 timmar</strong>" in saved
    assert 'title="1177"' in saved and 'target="_blank"' in saved and "noopener" in saved
    assert "script" not in saved and "<img" not in saved and "onerror" not in saved
    page = head_x.get(url).content.decode()
    preview = page.split("data-saved-preview", 1)[1].split("</section>", 1)[0]
    assert "<h2>Parkering</h2>" in preview
    assert AuditEntry.objects.filter(action=AuditEvent.UNIT_OTHER_INFORMATION_SET, unit_id=unit_x.pk).count() == 1


@pytest.mark.rule("ORG-5")
def test_text_too_long_is_refused_at_the_field_and_nothing_is_saved(head_x, unit_x):
    url = f"/personal/installningar/mottagningar/{unit_x.pk}/ovrig-information/"

    response = head_x.post(url, {"other_information_html": "<p>" + "a" * 20_001 + "</p>"})

    assert response.status_code == 422
    assert 'href="#info-other_information_html"' in response.content.decode()
    unit_x.refresh_from_db()
    assert unit_x.other_information_html == ""


# --- opening hours and e-services --------------------------------------------------------


def test_the_head_sets_opening_hours_shown_on_the_unit_page(head_x, unit_x):
    url = f"/personal/installningar/mottagningar/{unit_x.pk}/oppettider/"

    response = head_x.post(url, {"days_0": "mån–fre", "hours_0": "08–17", "days_1": "lör", "hours_1": ""})

    assert response.status_code == 422
    assert "Skriv tiderna för ”lör”" in response.content.decode()
    head_x.post(url, {"days_0": "mån–fre", "hours_0": "08–17", "days_1": "lör", "hours_1": "10–14"})
    unit_x.refresh_from_db()
    assert unit_x.opening_hours == [{"days": "mån–fre", "hours": "08–17"}, {"days": "lör", "hours": "10–14"}]
    assert "10–14" in Client().get(f"/mottagningar/{unit_x.slug}/").content.decode()


def test_a_per_unit_providers_unit_chooses_its_services(provider_admin_other, other_unit, other_provider):
    from tests.personas import make_service
    from vardnav.catalog.models import ServiceKind

    service = make_service(other_provider, ServiceKind.CERTIFICATE_NEW)
    other = client_for(provider_admin_other)
    url = f"/personal/installningar/mottagningar/{other_unit.pk}/e-tjanster/"

    other.post(url, {"offered": [str(service.pk)], "attachments": [str(service.pk)]})

    assert UnitService.objects.get(unit=other_unit, service=service).attachments_allowed is True
    other.post(url, {"offered": []})
    assert not UnitService.objects.filter(unit=other_unit, service=service).exists()


# --- the provider's policies (RX-5) --------------------------------------------------------


@pytest.mark.rule("RX-5")
def test_the_provider_administrator_sets_the_narcotics_renewal_policy_in_the_settings(admin, provider):
    assert get_renewal_policy(provider.pk).narcotics == NarcoticsPolicy.REFUSE

    response = admin.post(
        "/personal/installningar/vardgivare/",
        {"service_offering": provider.service_offering, "case_retention_days": "365", "narcotics": "allow_with_flag"},
    )

    assert response.status_code == 302
    assert get_renewal_policy(provider.pk).narcotics == NarcoticsPolicy.ALLOW_WITH_FLAG
    provider.refresh_from_db()
    assert provider.case_retention_days == 365
    assert AuditEntry.objects.filter(action=AuditEvent.RENEWAL_POLICY_SET).count() == 1


@pytest.mark.rule("RX-5")
def test_a_bad_policy_is_refused_at_its_field_and_nothing_is_half_saved(admin, provider):
    before = provider.case_retention_days

    response = admin.post(
        "/personal/installningar/vardgivare/",
        {"service_offering": provider.service_offering, "case_retention_days": "5", "narcotics": "allow_with_flag"},
    )

    assert response.status_code == 422
    assert "Gallringstiden måste vara 30–3650 dagar." in response.content.decode()
    provider.refresh_from_db()
    assert provider.case_retention_days == before
    assert get_renewal_policy(provider.pk).narcotics == NarcoticsPolicy.REFUSE


# --- the questionnaire builder (ORG-3) --------------------------------------------------------


def test_building_a_conditional_questionnaire_and_publishing_it_as_a_new_version(admin, open_service):
    base = f"/personal/installningar/formular/{open_service.pk}/"
    first = Questionnaire.objects.get(service=open_service, status=QuestionnaireStatus.PUBLISHED)
    first_items = list(first.items)

    admin.post(
        base + "ny-fraga/",
        {"type": "boolean", "text": "Har du feber?", "required": "on", "submission_key": "k-add-00001"},
    )
    admin.post(
        base + "ny-fraga/",
        {
            "type": "text",
            "text": "Hur hög?",
            "condition": f"fraga_{len(first_items) + 1}=ja",
            "submission_key": "k-add-00002",
        },
    )
    # The same form sent twice (a double click) adds the question once.
    admin.post(
        base + "ny-fraga/",
        {
            "type": "text",
            "text": "Hur hög?",
            "condition": f"fraga_{len(first_items) + 1}=ja",
            "submission_key": "k-add-00002",
        },
    )
    draft = Questionnaire.objects.get(service=open_service, status=QuestionnaireStatus.DRAFT)
    assert [item["text"] for item in draft.items][-2:] == ["Har du feber?", "Hur hög?"]
    assert len(draft.items) == len(first_items) + 2
    fever, how_high = draft.items[-2], draft.items[-1]
    assert how_high["enableWhen"] == [{"question": fever["linkId"], "operator": "=", "answer": True}]

    # The dependent question can't move above the one it depends on; the other way it can.
    refused = admin.post(base + f"fragor/{how_high['linkId']}/flytta/", {"direction": "up"})
    assert refused.status_code == 422
    assert "visas beroende av ett svar" in refused.content.decode()
    admin.post(base + f"fragor/{fever['linkId']}/flytta/", {"direction": "up"})
    draft.refresh_from_db()
    assert draft.items[-3]["text"] == "Har du feber?"

    preview = admin.get(base + "forhandsvisning/").content.decode()
    assert "Har du feber?" in preview and "data-enable-when" in preview

    published = admin.post(base + "publicera/")

    assert published.status_code == 302
    draft.refresh_from_db()
    first.refresh_from_db()
    assert draft.status == QuestionnaireStatus.PUBLISHED and draft.version == first.version + 1
    assert first.status == QuestionnaireStatus.RETIRED and first.items == first_items


def test_a_question_others_depend_on_cannot_be_removed(admin, open_service):
    base = f"/personal/installningar/formular/{open_service.pk}/"
    admin.post(base + "ny-fraga/", {"type": "choice", "text": "Vilken arm?", "options": "Vänster\nHöger"})
    draft = Questionnaire.objects.get(service=open_service, status=QuestionnaireStatus.DRAFT)
    arm = draft.items[-1]
    assert [option["code"] for option in arm["answerOption"]] == ["vanster", "hoger"]
    admin.post(
        base + "ny-fraga/", {"type": "string", "text": "Var på vänster arm?", "condition": f"{arm['linkId']}=vanster"}
    )

    refused = admin.post(base + f"fragor/{arm['linkId']}/ta-bort/")

    assert refused.status_code == 422
    assert "Var på vänster arm?" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.items[-2]["linkId"] == arm["linkId"]


def test_a_choice_question_needs_two_options_and_the_message_is_at_the_field(admin, open_service):
    response = admin.post(
        f"/personal/installningar/formular/{open_service.pk}/ny-fraga/",
        {"type": "choice", "text": "Vad?", "options": "Ett"},
    )

    assert response.status_code == 422
    assert 'href="#item-options"' in response.content.decode()
    assert not Questionnaire.objects.filter(service=open_service, status=QuestionnaireStatus.DRAFT).exists()


def test_a_head_of_unit_cannot_open_the_questionnaires(head_x, open_service):
    assert head_x.get(f"/personal/installningar/formular/{open_service.pk}/").status_code == 403


# --- English ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_with_english_chosen_every_settings_page_is_in_english(request, persona, unit_x, open_service):
    """Every page of the settings area the persona reaches by links from its start, in English."""
    from tests.test_english import data_texts, english_pages, swedish_on

    staff = request.getfixturevalue("unit_admin_x" if persona == "head" else "provider_admin")
    client = client_for(staff, unit_x, "unit_admin") if persona == "head" else client_for(staff)
    client.cookies["django_language"] = "en"
    client.post(f"/personal/installningar/formular/{open_service.pk}/ny-fraga/", {"type": "boolean", "text": "Feber?"})

    pages = {
        name: page
        for name, page in english_pages(client, "/personal/installningar/").items()
        if name.startswith("staffsettings:")
    }

    expected = {"staffsettings:home", "staffsettings:roles", "staffsettings:other_information"}
    if persona == "admin":
        expected |= {"staffsettings:policies", "staffsettings:questionnaire", "staffsettings:questionnaire_preview"}
        expected |= {"staffsettings:services", "staffsettings:service", "staffsettings:staff", "staffsettings:unit_add"}
    assert expected <= set(pages)
    data = data_texts()
    swedish = {name: found for name, (url, html) in pages.items() if (found := swedish_on(html, data))}
    assert not swedish, swedish
    assert all('<html lang="en">' in html for url, html in pages.values())


def test_the_served_editor_is_the_quill_version_package_json_names():
    """The editor is vendored from npm (package.json, `make vendor`), not fetched from a CDN."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    version = json.loads((root / "package.json").read_text())["dependencies"]["quill"]
    served = root / "src/vardnav/organizations/static/vendor/quill"
    licence = (served / "quill.js.LICENSE.txt").read_text()

    assert f"Quill Editor v{version}" in licence
    assert "sourceMappingURL" not in (served / "quill.js").read_text()
