"""REC-9 in the staff settings area: the provider admin keeps the provider's insurers (add, rename,
deactivate, tie an integration token to one) and marks which e-services are insurance ones.

Thin like the rest of the settings area: records.actions checks who may and
what is valid; a refusal is shown at its field with the page re-rendered.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.identity.staff.settings_pages import provider_admin_page
from vardnav.identity.staff.views import StaffRequest
from vardnav.integrations.models import IntegrationScope, IntegrationToken
from vardnav.organizations.models import CareProvider
from vardnav.records import access, actions
from vardnav.records.forms import InsurerForm, InsurerTokenForm
from vardnav.records.models import Insurer

SAVED_SESSION_KEY = "records-settings-saved"


def _insurer_tokens(provider: CareProvider) -> list[IntegrationToken]:
    """The provider's active tokens that may post insurer requests."""
    return [
        token
        for token in IntegrationToken.objects.filter(provider=provider, revoked_at__isnull=True).order_by("name")
        if IntegrationScope.INSURER_REQUESTS in (token.scopes or [])
    ]


def _page(
    request: StaffRequest,
    provider: CareProvider,
    *,
    add_form: InsurerForm | None = None,
    forms: dict[int, InsurerForm] | None = None,
    token_forms: dict[int, InsurerTokenForm] | None = None,
    status: int = 200,
    service_errors: dict[int, list[str]] | None = None,
) -> HttpResponse:
    settings = access.insurer_settings(request.actor)
    tokens = _insurer_tokens(provider)
    names = {token.pk: token.name for token in tokens}

    def row(insurer: Insurer) -> dict[str, Any]:
        initial = {"name": insurer.name, "active": insurer.active}
        return {
            "insurer": insurer,
            "form": (forms or {}).get(insurer.pk) or InsurerForm(prefix=f"bolag-{insurer.pk}", initial=initial),
            "token_form": (token_forms or {}).get(insurer.pk)
            or InsurerTokenForm(prefix=f"nyckel-{insurer.pk}", tokens=tokens),
            "tokens": [names.get(token_id, "") for token_id in settings.tokens.get(insurer.pk, [])],
        }

    return render(
        request,
        "records/settings/insurance.html",
        {
            "provider": provider,
            "shared": [row(insurer) for insurer in settings.shared],
            "own": [row(insurer) for insurer in settings.own],
            "services": [
                (service, marked, (service_errors or {}).get(service.pk, [])) for service, marked in settings.services
            ],
            "add_form": add_form or InsurerForm(prefix="ny"),
            "has_tokens": bool(tokens),
            "saved": str(request.session.pop(SAVED_SESSION_KEY, "")),
        },
        status=status,
    )


def _saved(request: StaffRequest, message: str) -> HttpResponse:
    request.session[SAVED_SESSION_KEY] = message
    return redirect("recordsettings:insurance")


@never_cache
@require_GET
@provider_admin_page
def insurance(request: StaffRequest, provider: CareProvider) -> HttpResponse:
    return _page(request, provider)


@require_POST
@provider_admin_page
def add_insurer(request: StaffRequest, provider: CareProvider) -> HttpResponse:
    form = InsurerForm(request.POST, prefix="ny")
    form.is_valid()
    try:
        actions.do_add_provider_insurer(request.actor, provider, name=form.cleaned_data.get("name", ""))
    except DomainError as error:
        apply_domain_error(form, error)
        return _page(request, provider, add_form=form, status=422)
    return _saved(request, _("Försäkringsbolaget är tillagt."))


@require_POST
@provider_admin_page
def change_insurer(request: StaffRequest, provider: CareProvider, insurer_id: int) -> HttpResponse:
    insurer = access.access_insurer_for_admin(request.actor, insurer_id)
    form = InsurerForm(request.POST, prefix=f"bolag-{insurer.pk}")
    form.is_valid()
    try:
        actions.do_change_provider_insurer(
            request.actor, insurer, name=form.cleaned_data.get("name", ""), active=form.cleaned_data.get("active")
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _page(request, provider, forms={insurer.pk: form}, status=422)
    return _saved(request, _("Försäkringsbolaget är sparat."))


@require_POST
@provider_admin_page
def link_insurer_token(request: StaffRequest, provider: CareProvider, insurer_id: int) -> HttpResponse:
    insurer = access.access_insurer_for_admin(request.actor, insurer_id, own_only=False)
    tokens = _insurer_tokens(provider)
    form = InsurerTokenForm(request.POST, prefix=f"nyckel-{insurer.pk}", tokens=tokens)
    form.is_valid()
    chosen = str(form.cleaned_data.get("token") or "")
    token = next((each for each in tokens if str(each.pk) == chosen), None)
    try:
        actions.do_link_insurer_token(request.actor, provider, insurer, token=token)
    except DomainError as error:
        apply_domain_error(form, error)
        return _page(request, provider, token_forms={insurer.pk: form}, status=422)
    return _saved(request, _("API-nyckeln är kopplad till försäkringsbolaget."))


@require_POST
@provider_admin_page
def mark_service(request: StaffRequest, provider: CareProvider, service_id: int) -> HttpResponse:
    service = access.access_service_for_insurance(request.actor, service_id)
    try:
        if request.POST.get("insurance") == "1":
            actions.do_mark_insurance_service(request.actor, service)
            return _saved(request, _("E-tjänsten frågar nu efter försäkringsbolag och fullmakt."))
        actions.do_unmark_insurance_service(request.actor, service)
    except DomainError as error:
        if error.status == 404:
            raise
        return _page(request, provider, status=422, service_errors={service.pk: error_lines(error)})
    return _saved(request, _("E-tjänsten är inte längre kopplad till vårdförsäkring."))
