"""The catalogue in the Django admin (ORG-2, ORG-3): the platform superuser's only; provider administrators
keep their e-services in the staff settings area (organizations/tests/test_service_settings.py)."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.personas import SYSTEM, make_service
from vardnav.audit.models import AuditEntry
from vardnav.catalog.actions import do_offer_service
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, ServiceKind, UnitService

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, platform_superuser):
    """Logged into the admin as the platform superuser."""
    client.force_login(platform_superuser)
    return client


@pytest.fixture
def own_service(other_provider, other_unit):
    """The other provider's contact service, offered at its unit."""
    service = make_service(other_provider, ServiceKind.CONTACT_UNIT)
    do_offer_service(SYSTEM, other_unit, service)
    return service


@pytest.fixture
def published(own_service):
    return Questionnaire.objects.get(service=own_service, status=QuestionnaireStatus.PUBLISHED)


def _change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _form(questionnaire, **overrides):
    items = overrides.pop("items", questionnaire.items)
    return {
        "title": questionnaire.title,
        "items": items if isinstance(items, str) else json.dumps(items, ensure_ascii=False),
        **overrides,
    }


@pytest.mark.rule("ORG-3")
def test_org_3_editing_a_published_questionnaire_makes_a_new_draft_and_leaves_the_published_one(
    admin_client, published, platform_superuser
):
    before = (published.version, published.title, published.items, published.status)
    new_items = [*published.items, {"linkId": "best_time", "type": "string", "text": "När passar det att vi ringer?"}]

    response = admin_client.post(_change(published), _form(published, items=new_items, title="Kontakta oss"))

    assert response.status_code == 302, response.content.decode()[:3000]
    published.refresh_from_db()
    assert (published.version, published.title, published.items, published.status) == before
    draft = Questionnaire.objects.get(service=published.service, status=QuestionnaireStatus.DRAFT)
    assert draft.version == published.version + 1
    assert draft.title == "Kontakta oss" and draft.items[-1]["linkId"] == "best_time"
    texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"version {draft.version}" in texts and "oförändrad" in texts
    assert AuditEntry.objects.filter(
        action="questionnaire.save", object_id=str(draft.pk), actor_user_id=platform_superuser.pk
    ).exists()

    # Editing again updates the same draft; the publish action makes it current and retires the old one.
    admin_client.post(_change(published), _form(published, items=new_items, title="Kontakta mottagningen"))
    assert Questionnaire.objects.filter(service=published.service).count() == 2
    response = admin_client.post(
        reverse("admin:catalog_questionnaire_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.title) == (QuestionnaireStatus.PUBLISHED, "Kontakta mottagningen")
    assert published.status == QuestionnaireStatus.RETIRED and published.items == before[2]


@pytest.mark.rule("ORG-3")
@pytest.mark.parametrize(
    ("items", "message"),
    [
        ('[{"linkId": "a", "type": "string", "text": "Fråga"', "inte giltig JSON"),
        ("[]", "minst en fråga"),
        (
            '[{"linkId": "a", "type": "string", "text": "A"}, {"linkId": "a", "type": "text", "text": "B"}]',
            "används av två frågor",
        ),
        ('[{"linkId": "a", "type": "choice", "text": "Välj", "answerOption": [{"code": "x"}]}]', "två svarsalternativ"),
    ],
)
def test_org_3_an_invalid_questionnaire_is_a_swedish_field_error_and_saves_nothing(
    admin_client, published, items, message
):
    count = Questionnaire.objects.count()
    response = admin_client.post(_change(published), _form(published, items=items))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors["items"]), errors
    assert Questionnaire.objects.count() == count
    published.refresh_from_db()
    assert published.status == QuestionnaireStatus.PUBLISHED


@pytest.mark.rule("ORG-3")
def test_org_3_a_new_questionnaire_for_a_service_starts_as_a_draft_version(admin_client, own_service):
    latest = Questionnaire.objects.filter(service=own_service).order_by("-version").first()
    items = [{"linkId": "q", "type": "text", "text": "Vad vill du fråga?", "required": True}]
    response = admin_client.post(
        reverse("admin:catalog_questionnaire_add"),
        {"service": own_service.pk, "title": "Ny fråga", "items": json.dumps(items)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Questionnaire.objects.get(service=own_service, status=QuestionnaireStatus.DRAFT)
    assert draft.version == latest.version + 1


def test_the_questionnaire_page_previews_the_items(admin_client, published):
    page = admin_client.get(_change(published)).content.decode()
    assert "Förhandsvisning" in page
    assert "Vad gäller ditt ärende?" in page and "obligatorisk" in page


@pytest.mark.rule("ORG-3")
def test_org_3_a_provider_admin_is_refused_by_the_admin_and_changes_nothing(client, provider_admin_other, published):
    """Issue 11, item 13: the provider administrator keeps questionnaires in the settings area, not the admin."""
    client.force_login(provider_admin_other.user)
    count = Questionnaire.objects.count()
    for url in (_change(published), reverse("admin:catalog_service_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    client.post(_change(published), _form(published, title="Kapad"))
    assert Questionnaire.objects.count() == count
    published.refresh_from_db()
    assert published.title != "Kapad"


def test_the_superuser_changes_a_services_handling_time_through_the_action(
    admin_client, own_service, platform_superuser
):
    response = admin_client.post(
        _change(own_service),
        {
            "name": own_service.name,
            "description": own_service.description,
            "handling_time_value": 3,
            "handling_time_unit": "working_days",
            "routed_role": "receiver",
            "attachments_allowed": "on",
            "is_active": "on",
            # Inline formset management form of the (read-only) questionnaire versions.
            "questionnaires-TOTAL_FORMS": 0,
            "questionnaires-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    own_service.refresh_from_db()
    assert own_service.handling_time_value == 3
    assert AuditEntry.objects.filter(action="service.update", actor_user_id=platform_superuser.pk).exists()


def test_a_handling_time_out_of_range_is_a_swedish_field_error(admin_client, own_service):
    response = admin_client.post(
        _change(own_service),
        {
            "name": own_service.name,
            "handling_time_value": 99,
            "handling_time_unit": "working_days",
            "routed_role": "receiver",
            "questionnaires-TOTAL_FORMS": 0,
            "questionnaires-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Hanteringstiden måste vara" in " ".join(response.context["adminform"].form.errors["handling_time_value"])


@pytest.mark.rule("ORG-2")
def test_org_2_the_superuser_chooses_a_per_unit_providers_units_services(
    admin_client, provider_admin_other, other_unit
):
    complaint = make_service(provider_admin_other.provider, ServiceKind.COMPLAINT)
    assert not UnitService.objects.filter(unit=other_unit, service=complaint).exists()
    form = admin_client.get(reverse("admin:catalog_unitservice_add")).context["adminform"].form
    assert other_unit in form.fields["unit"].queryset

    response = admin_client.post(
        reverse("admin:catalog_unitservice_add"), {"unit": other_unit.pk, "service": complaint.pk}
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    offering = UnitService.objects.get(unit=other_unit, service=complaint)
    assert AuditEntry.objects.filter(action="service.offer", object_id=str(offering.pk)).exists()
    response = admin_client.post(
        reverse("admin:catalog_unitservice_changelist"),
        {"action": "delete_selected", "_selected_action": [offering.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not UnitService.objects.filter(unit=other_unit, service=complaint).exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:catalog_service_changelist",
        "admin:catalog_service_add",
        "admin:catalog_questionnaire_changelist",
        "admin:catalog_questionnaire_add",
        "admin:catalog_unitservice_changelist",
        "admin:integrations_integrationtoken_changelist",
    ],
)
def test_the_superuser_opens_the_catalogue_and_integration_pages(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_the_service_page_lists_its_questionnaire_versions(admin_client, own_service, published):
    page = admin_client.get(_change(own_service)).content.decode()
    assert "frågeformulärets versioner" in page.lower() and _change(published) in page
