"""Public pages: the start page.

Thin by design: fetch the providers and their units in a fixed number of
queries, hand them to the template.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from vardnav.organizations.access import providers_with_units
from vardnav.organizations.models import CareProvider


def get_providers_with_units() -> QuerySet[CareProvider]:
    """Providers that have units, each with its units: two queries however many there are."""
    return providers_with_units()


def start(request: HttpRequest) -> HttpResponse:
    # In demo mode the demo app's context processor adds the demo identities.
    return render(request, "web/start.html", {"providers": get_providers_with_units()})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to; send them to the static icon."""
    return HttpResponsePermanentRedirect(static("vardnav/favicon.ico"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without context processors or database queries.

    Why not Django's default: we want the support address and the request id
    (so support can find the log lines), and nothing that could fail again
    while the site is already failing.
    """
    context = {
        "SUPPORT_EMAIL": getattr(settings, "SUPPORT_EMAIL", ""),
        "request_id": getattr(request, "request_id", ""),
    }
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 - the last resort must not raise
        body = (
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Tekniskt fel</title></head>'
            "<body><main><h1>Ett tekniskt fel har uppstått</h1></main></body></html>"
        )
    return HttpResponseServerError(body)
