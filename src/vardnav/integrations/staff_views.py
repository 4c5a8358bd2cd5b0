"""Integration tokens in the staff settings area (issue 11, item 13; CASE-7): the provider administrator
makes a token for one of the provider's systems, sees its secret once, lists tokens without secrets and
revokes them. The secret is shown on the response to the POST only: never stored, never in a redirect."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.identity.staff.views import StaffRequest
from vardnav.integrations import access as token_access
from vardnav.integrations.actions import do_create_integration_token, do_revoke_integration_token
from vardnav.integrations.forms import NewTokenForm
from vardnav.integrations.models import IntegrationScope
from vardnav.organizations import access
from vardnav.organizations.staff_views import saved_redirect, settings_context, settings_page


@never_cache
@require_http_methods(["GET", "POST"])
@settings_page
def tokens(request: StaffRequest) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    posted = request.POST if request.method == "POST" else None
    form = NewTokenForm(posted, initial={"scopes": [IntegrationScope.CASES_REGISTER]})
    secret, created, status = "", None, 200
    if posted is not None and form.is_valid():
        try:
            created, secret = do_create_integration_token(
                request.actor, provider, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"] or []
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            status = 201
            form = NewTokenForm(initial={"scopes": [IntegrationScope.CASES_REGISTER]})
    scope_labels = dict(IntegrationScope.choices)
    rows = [
        {"token": token, "scopes": [scope_labels.get(scope, scope) for scope in token.scopes]}
        for token in token_access.provider_tokens(provider.pk)
    ]
    return render(
        request,
        "integrations/settings/tokens.html",
        settings_context(request, provider=provider, form=form, rows=rows, secret=secret, created=created),
        status=422 if form.errors else status,
    )


@require_POST
@settings_page
def revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    token = do_revoke_integration_token(request.actor, token_access.access_provider_token(provider.pk, token_id))
    message = _("Nyckeln för %(name)s är återkallad och fungerar inte längre.") % {"name": token.name}
    return saved_redirect(request, message, reverse("tokensettings:tokens"))
