"""Pages of no single app: the start page and the resident's "Mina sidor" hub.

Thin by design: fetch the providers and their units in a fixed number of
queries (and, for a logged-in resident, a bounded list of new answers), hand
them to the template.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from vardnav.cases.access import resident_unread_cases
from vardnav.identity.decorators import resident_required
from vardnav.identity.session import get_actor
from vardnav.organizations.access import providers_with_units
from vardnav.organizations.models import CareProvider


def get_providers_with_units() -> QuerySet[CareProvider]:
    """Providers that have units, each with its units: two queries however many there are."""
    return providers_with_units()


def start(request: HttpRequest) -> HttpResponse:
    """Logged out: what Vårdnav is and how to log in. Logged in: new answers and the common tasks first."""
    # In demo mode the demo app's context processor adds the demo identities.
    actor = getattr(request, "actor", None) or get_actor(request)
    context: dict[str, object] = {"providers": get_providers_with_units()}
    if actor.is_resident and actor.person_id is not None:
        context["new_answers"] = resident_unread_cases(actor)
        return render(request, "web/start_resident.html", context)
    return render(request, "web/start.html", context)


@require_GET
@resident_required
def my_pages(request: HttpRequest) -> HttpResponse:
    """ "Mina sidor": the hub that links the resident's own pages (profile, notices, log extract, settings)."""
    return render(request, "web/my_pages.html")


# The accessibility statement's dates (DOS-lagen: date of assessment and of last update).
# Move them when the statement is reviewed: the crawl in tests/browser/test_accessibility_crawl.py
# is the assessment it describes.
STATEMENT_ASSESSED = dt.date(2026, 12, 6)
STATEMENT_UPDATED = dt.date(2026, 12, 6)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse) under DOS-lagen (2018:1937), linked from every footer.

    One template per language: a statement is prose, kept whole in each language
    rather than cut into catalogue entries.
    """
    language = "en" if get_language() == "en" else "sv"
    return render(
        request,
        f"web/accessibility_statement_{language}.html",
        {
            "providers": [provider.name for provider in get_providers_with_units()],
            "assessed": STATEMENT_ASSESSED,
            "updated": STATEMENT_UPDATED,
        },
    )


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
