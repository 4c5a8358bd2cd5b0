"""The help centre's pages: the start page, an article, search. Public: no login needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.help import access
from vardnav.help.forms import HelpSearchForm
from vardnav.help.models import Audience, HelpArticle, HelpCategory


def _labelled(groups: list[tuple[str, list[HelpArticle]]]) -> list[tuple[str, list[HelpArticle]]]:
    return [(str(HelpCategory(category).label), articles) for category, articles in groups]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """HELP-1: common questions, every resident article by topic, and a section for staff."""
    return render(
        request,
        "help/index.html",
        {
            "form": HelpSearchForm(),
            "common": access.common_articles(),
            "resident_groups": _labelled(access.articles_by_category(Audience.RESIDENT)),
            "staff_groups": _labelled(access.articles_by_category(Audience.STAFF)),
        },
    )


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """HELP-2: the answer, then how to reach support (the template's last section)."""
    try:
        found = access.access_article(slug)
    except DomainError:
        raise Http404 from None
    return render(request, "help/article.html", {"article": found, "form": HelpSearchForm()})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = HelpSearchForm(request.GET)
    results: list[HelpArticle] | None = None
    status = 200
    if form.is_valid():
        try:
            results = access.search_articles(form.cleaned_data["q"])
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
