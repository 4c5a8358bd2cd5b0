"""Reading help articles: published ones only, by audience, by slug, and by search.

Help articles are public product content (no personal data), so there is no
per-person check; "not published" and "does not exist" are the same 404.
"""

from __future__ import annotations

import re
from itertools import groupby

from django.db import connection
from django.db.models import Q, QuerySet

from vardnav.core.errors import CoreError
from vardnav.help.errors import HelpError
from vardnav.help.models import CATEGORY_ORDER, Audience, HelpArticle

MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20


def published_articles() -> QuerySet[HelpArticle]:
    return HelpArticle.objects.filter(published=True)


def access_article(slug: str) -> HelpArticle:
    """The published article, or the one 404 for missing and unpublished."""
    article = published_articles().filter(slug=slug).first()
    if article is None:
        raise CoreError.NOT_FOUND.error()
    return article


def articles_by_category(audience: str = Audience.RESIDENT) -> list[tuple[str, list[HelpArticle]]]:
    """(category value, its articles) in the categories' fixed order; one query."""
    articles = sorted(
        published_articles().filter(audience=audience), key=lambda a: (CATEGORY_ORDER.index(a.category), a.position)
    )
    return [(category, list(group)) for category, group in groupby(articles, key=lambda a: a.category)]


def common_articles() -> list[HelpArticle]:
    return list(published_articles().filter(audience=Audience.RESIDENT, common=True).order_by("category", "position"))


def clean_query(raw: str) -> str:
    """The query to search for; refuses an empty, punctuation-only or too long one with a message for the field."""
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise HelpError.QUERY_TOO_LONG.error(field="q", max=MAX_QUERY_LENGTH)
    if not re.search(r"\w", query):
        raise HelpError.QUERY_EMPTY.error(field="q")
    return query


def search_articles(raw: str) -> list[HelpArticle]:
    """At most MAX_RESULTS published articles matching the query, best first; one query.

    PostgreSQL: full-text search with the Swedish configuration on the Swedish text
    (so "recepten" finds "recept") and the English configuration on the English text.
    SQLite (development and tests): every word must occur in the title or body.
    """
    query = clean_query(raw)
    articles = published_articles()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title_sv", weight="A", config="swedish")
            + SearchVector("body_sv", weight="B", config="swedish")
            + SearchVector("title_en", weight="A", config="english")
            + SearchVector("body_en", weight="B", config="english")
        )
        search = SearchQuery(query, config="swedish", search_type="websearch") | SearchQuery(
            query, config="english", search_type="websearch"
        )
        found = (
            articles.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "slug")[:MAX_RESULTS]
        )
        return list(found)
    words = re.findall(r"\w+", query)
    condition = Q()
    for word in words:
        condition &= (
            Q(title_sv__icontains=word)
            | Q(body_sv__icontains=word)
            | Q(title_en__icontains=word)
            | Q(body_en__icontains=word)
        )
    return list(articles.filter(condition).order_by("category", "position", "slug")[:MAX_RESULTS])
