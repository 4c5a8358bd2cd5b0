"""Integration tokens (CASE-7): stored only as a hash, shown once, scoped to a provider, revocable."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.sessions import log_in_client, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.integrations.actions import do_create_integration_token, hash_token
from vardnav.integrations.models import IntegrationToken
from vardnav.organizations.models import CareProvider

pytestmark = pytest.mark.django_db


def client_for(staff) -> Client:
    return log_in_client(Client(), staff_identity(staff))


def _authenticates(secret: str) -> bool:
    response = Client().post(
        "/api/v1/integrations/cases",
        data=json.dumps({}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    return response.status_code != 401


@pytest.mark.rule("CASE-7")
def test_case_7_the_operator_command_prints_a_secret_that_is_stored_only_as_a_hash(provider):
    out = io.StringIO()
    call_command("create_integration_token", provider=provider.slug, name="1177", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()

    token = IntegrationToken.objects.get(provider=provider, name="1177")
    assert token.token_hash == hash_token(secret) != secret
    assert secret not in json.dumps(list(IntegrationToken.objects.values()), default=str)
    assert token.scopes == ["cases:register"]
    assert _authenticates(secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_two_active_tokens_of_a_provider_cannot_share_a_name(provider):
    do_create_integration_token(Actor.system(), provider, name="1177")
    with pytest.raises(Exception, match="redan"):
        do_create_integration_token(Actor.system(), provider, name="1177")


TOKENS = "/personal/installningar/api-nycklar/"


@pytest.mark.rule("CASE-7")
def test_case_7_a_provider_admin_makes_a_token_in_the_settings_and_sees_the_secret_once(provider_admin_other):
    admin = client_for(provider_admin_other)
    assert TOKENS in admin.get("/personal/installningar/").content.decode()

    response = admin.post(TOKENS, {"name": "Journalsystemet", "scopes": ["cases:register"]})

    assert response.status_code == 201
    token = IntegrationToken.objects.get(name="Journalsystemet")
    assert (token.provider_id, token.created_by_staff_id) == (provider_admin_other.provider_id, provider_admin_other.pk)
    secrets = [found for found in re.findall(r"vnv_[A-Za-z0-9_-]+", response.content.decode()) if len(found) > 12]
    assert len(secrets) == 1 and hash_token(secrets[0]) == token.token_hash
    assert _authenticates(secrets[0])
    page = admin.get(TOKENS).content.decode()
    assert secrets[0] not in page and token.prefix in page and "Journalsystemet" in page
    assert AuditEntry.objects.filter(action="integration_token.create", object_id=str(token.pk)).exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_name_or_scope_missing_is_refused_at_its_field(provider_admin_other):
    admin = client_for(provider_admin_other)
    no_name = admin.post(TOKENS, {"name": " ", "scopes": ["cases:register"]})
    assert no_name.status_code == 422 and 'href="#token-name"' in no_name.content.decode()
    no_scope = admin.post(TOKENS, {"name": "Journalen"})
    assert no_scope.status_code == 422 and 'href="#token-scopes' in no_scope.content.decode()
    assert not IntegrationToken.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_provider_admin_revokes_a_token_and_it_stops_working(provider_admin_other):
    token, secret = do_create_integration_token(
        Actor.system(), CareProvider.objects.get(pk=provider_admin_other.provider_id), name="Gammalt"
    )
    assert _authenticates(secret)
    admin = client_for(provider_admin_other)
    response = admin.post(f"{TOKENS}{token.pk}/aterkalla/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not _authenticates(secret)
    assert "Gammalt är återkallad" in admin.get(TOKENS).content.decode()


def test_another_providers_token_does_not_exist_for_the_provider_admin(provider_admin_other, provider):
    token, _ = do_create_integration_token(Actor.system(), provider, name="Grannens journalsystem")
    admin = client_for(provider_admin_other)
    assert admin.post(f"{TOKENS}{token.pk}/aterkalla/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Grannens journalsystem" not in admin.get(TOKENS).content.decode()
    api = admin.delete(f"/api/v1/staff/settings/integration-tokens/{token.pk}")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/problem+json")


@pytest.mark.rule("CASE-7")
def test_case_7_the_settings_api_makes_lists_and_revokes_tokens_with_the_same_actions(provider_admin_other):
    api = client_for(provider_admin_other)
    made = api.post(
        "/api/v1/staff/settings/integration-tokens",
        {"name": "Labbet", "scopes": ["labs:results"]},
        content_type="application/json",
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    listed = api.get("/api/v1/staff/settings/integration-tokens").json()
    assert [(t["name"], t["scopes"]) for t in listed] == [("Labbet", ["labs:results"])]
    assert "secret" not in listed[0]
    bad = api.post(
        "/api/v1/staff/settings/integration-tokens", {"name": "X", "scopes": ["all"]}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert api.delete(f"/api/v1/staff/settings/integration-tokens/{made.json()['id']}").status_code == 204
    assert hash_token(secret) == IntegrationToken.objects.get(name="Labbet").token_hash
    assert IntegrationToken.objects.get(name="Labbet").revoked_at is not None


def test_staff_who_keep_no_settings_are_refused_the_token_pages(handler_x):
    staff = client_for(handler_x)
    assert staff.get(TOKENS).status_code == 403
    assert staff.get("/api/v1/staff/settings/integration-tokens").status_code == 403


def test_the_django_admin_still_makes_tokens_for_the_platform_superuser(client, platform_superuser, provider):
    client.force_login(platform_superuser)
    response = client.post(
        reverse("admin:integrations_integrationtoken_add"),
        {"provider": provider.pk, "name": "Plattformen", "scopes": ["cases:register"]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    token = IntegrationToken.objects.get(name="Plattformen")
    assert any(token.prefix in text for text in texts)
