"""Endpoints of the demo IdP: discovery, JWKS, the login page (authorization) and token.

Why a login page that lists staff: in the demo nobody has a SITHS card; picking a
staff member (or typing any HSA-id) is what the card and PIN would prove.
"""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vardnav.demo_idp.access import card_holder_number, demo_staff, staff_by_hsa
from vardnav.demo_idp.forms import DemoLoginForm
from vardnav.demo_idp.models import DemoSubject
from vardnav.demo_idp.server import build_server, discovery_document, public_jwks


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(discovery_document(request))


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(public_jwks())


def _staff_context() -> dict[str, object]:
    units, without_role = demo_staff()
    return {"units": units, "without_role": without_role}


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    server = build_server(request)
    try:
        grant = server.get_consent_grant(request)
    except OAuth2Error as error:
        # Redirects back to the client when the redirect URI is trusted, else a plain 400.
        return server.handle_error_response(request, error)

    if request.method == "POST":
        if "cancel" in request.POST:
            return server.create_authorization_response(request, grant_user=None, grant=grant)
        form = DemoLoginForm(request.POST)
        if form.is_valid():
            hsa_id = form.cleaned_data["hsa_id"]
            staff = staff_by_hsa(hsa_id)
            subject = DemoSubject(
                hsa_id=hsa_id,
                given_name=staff.given_name if staff else "",
                family_name=staff.surname if staff else "",
                personal_number=card_holder_number(hsa_id),
            )
            return server.create_authorization_response(request, grant_user=subject, grant=grant)
        status = 400
    else:
        form = DemoLoginForm()
        status = 200
    return render(request, "demo_idp/authorize.html", {"form": form, **_staff_context()}, status=status)


@csrf_exempt  # called server-to-server by the client, authenticated with its secret
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    try:
        response = build_server(request).create_token_response(request)
    except OAuth2Error as error:
        # Raised before authlib's own error handling (e.g. a request that is not over https
        # and not from the loopback address): the OAuth error answer, not a 500.
        response = JsonResponse(dict(error.get_body()), status=error.status_code)
    response["Cache-Control"] = "no-store"
    return response
