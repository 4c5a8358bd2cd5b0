"""The help centre's pages: the start page, an article, search, a provider's page, an entry's history.

Public (no login needed) except the history, which is for staff. A logged-in
resident also sees their providers' entries, staff their own provider's
(help.access.help_reader).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.help import access
from vardnav.help.forms import HelpSearchForm
from vardnav.help.models import Audience, HelpArticle, HelpCategory
from vardnav.identity.staff.views import StaffRequest, staff_required


def _labelled(groups: list[tuple[str, list[HelpArticle]]]) -> list[tuple[str, list[HelpArticle]]]:
    return [(str(HelpCategory(category).label), articles) for category, articles in groups]


@require_GET
def index(request: ActorRequest) -> HttpResponse:
    """HELP-1: common questions, every resident article by topic, and a section for staff."""
    reader = access.help_reader(request.actor)
    return render(
        request,
        "help/index.html",
        {
            "form": HelpSearchForm(),
            "common": access.common_articles(),
            "resident_groups": _labelled(access.articles_by_category(Audience.RESIDENT, reader)),
            "staff_groups": _labelled(access.articles_by_category(Audience.STAFF, reader)),
        },
    )


@require_GET
def provider(request: ActorRequest, slug: str) -> HttpResponse:
    """HELP-1: a care provider's own questions and answers for residents (linked from its units' pages)."""
    try:
        found = access.access_provider(slug)
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "help/provider.html",
        {
            "provider": found,
            "form": HelpSearchForm(),
            "groups": _labelled(access.provider_articles_by_category(found)),
            "contact_units": access.provider_contact_units(found.pk),
        },
    )


@require_GET
def article(request: ActorRequest, slug: str) -> HttpResponse:
    """HELP-2: the answer, then how to reach support (the template's last section), with the provider's contacts."""
    try:
        found = access.access_article(slug, access.help_reader(request.actor))
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "help/article.html",
        {
            "article": found,
            "form": HelpSearchForm(),
            "provider": found.provider,
            "contact_units": access.provider_contact_units(found.provider_id) if found.provider_id else [],
            "may_read_history": access.may_read_history(request.actor, found),
        },
    )


@require_GET
def search(request: ActorRequest) -> HttpResponse:
    form = HelpSearchForm(request.GET)
    results: list[HelpArticle] | None = None
    status = 200
    if form.is_valid():
        try:
            results = access.search_articles(form.cleaned_data["q"], access.help_reader(request.actor))
        except DomainError as error:
            apply_domain_error(form, error)
            status = 422
    else:
        status = 422
    return render(
        request,
        "help/search.html",
        {"form": form, "results": results, "max_results": access.MAX_RESULTS},
        status=status,
    )


@require_GET
@staff_required
def history(request: StaffRequest, slug: str) -> HttpResponse:
    """HELP-1: an entry's saved versions, newest first, each as it was shown (staff only)."""
    try:
        found, versions = access.article_versions(request.actor, slug)
    except DomainError:
        raise Http404 from None
    return render(request, "help/history.html", {"article": found, "versions": versions})
