"""Reading help articles: who sees which, by audience, by slug, by search, and their history.

Help articles are public product content (no personal data). What differs by
reader is which providers' entries they see (`HelpReader`):

- Vårdnav's own articles (provider None): everyone.
- A provider's entries for residents: on the provider's own help page (linked
  from each of its units' pages) for anyone, and on /hjalp/ and in search for
  residents listed at one of its units (their providers).
- A provider's entries for staff: only that provider's staff.

"Not published", "not yours" and "does not exist" are the same 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Q, QuerySet

from vardnav.core.actor import Actor
from vardnav.core.errors import CoreError
from vardnav.help.errors import HelpError
from vardnav.help.models import CATEGORY_ORDER, Audience, HelpArticle, HelpArticleVersion
from vardnav.help.search_index import FTS_TABLE, has_index
from vardnav.organizations.models import CareProvider, Listing, Unit

MAX_QUERY_LENGTH = 100
MAX_RESULTS = 20


@dataclass(frozen=True)
class HelpReader:
    """Whose entries a reader sees besides Vårdnav's own."""

    resident_provider_ids: frozenset[int] = field(default_factory=frozenset)
    staff_provider_id: int | None = None

    @property
    def provider_ids(self) -> frozenset[int]:
        ids = set(self.resident_provider_ids)
        if self.staff_provider_id is not None:
            ids.add(self.staff_provider_id)
        return frozenset(ids)


ANONYMOUS = HelpReader()


def help_reader(actor: Actor) -> HelpReader:
    """A resident's providers are those of the units they (or the child they act for) are listed at; one query."""
    if actor.is_staff:
        return HelpReader(staff_provider_id=actor.provider_id)
    person_id = actor.subject_person_id if actor.is_resident else None
    if person_id is None:
        return ANONYMOUS
    providers = Listing.objects.filter(person_id=person_id, ended_at__isnull=True).values_list(
        "unit__provider_id", flat=True
    )
    return HelpReader(resident_provider_ids=frozenset(providers))


def visible_articles(reader: HelpReader = ANONYMOUS) -> QuerySet[HelpArticle]:
    condition = Q(provider__isnull=True)
    if reader.resident_provider_ids:
        condition |= Q(provider_id__in=reader.resident_provider_ids, audience=Audience.RESIDENT)
    if reader.staff_provider_id is not None:
        condition |= Q(provider_id=reader.staff_provider_id)
    return HelpArticle.objects.filter(condition, published=True)


def published_articles() -> QuerySet[HelpArticle]:
    """Vårdnav's own published articles (what an anonymous reader sees)."""
    return visible_articles(ANONYMOUS)


def access_article(slug: str, reader: HelpReader = ANONYMOUS) -> HelpArticle:
    """The published article the reader may see, or the one 404.

    A provider's resident entry is public on its own page (the provider's help page links it), like its units' pages.
    """
    visible = visible_articles(reader) | HelpArticle.objects.filter(published=True, audience=Audience.RESIDENT)
    article = visible.select_related("provider").filter(slug=slug).first()
    if article is None:
        raise CoreError.NOT_FOUND.error()
    return article


def _grouped(articles: list[HelpArticle]) -> list[tuple[str, list[HelpArticle]]]:
    ordered = sorted(
        articles, key=lambda a: (CATEGORY_ORDER.index(a.category), a.provider_id is not None, a.position, a.title)
    )
    return [(category, list(group)) for category, group in groupby(ordered, key=lambda a: a.category)]


def articles_by_category(
    audience: str = Audience.RESIDENT, reader: HelpReader = ANONYMOUS
) -> list[tuple[str, list[HelpArticle]]]:
    """(category value, its articles) in the categories' fixed order, Vårdnav's first in each; one query."""
    return _grouped(list(visible_articles(reader).filter(audience=audience).select_related("provider")))


def provider_articles_by_category(provider: CareProvider) -> list[tuple[str, list[HelpArticle]]]:
    """A provider's published entries for residents, by topic (its public help page); one query."""
    articles = HelpArticle.objects.filter(provider=provider, published=True, audience=Audience.RESIDENT)
    return _grouped(list(articles.select_related("provider")))


def access_provider(slug: str) -> CareProvider:
    provider = CareProvider.objects.filter(slug=slug).first()
    if provider is None:
        raise CoreError.NOT_FOUND.error()
    return provider


def provider_contact_units(provider_id: int) -> list[Unit]:
    """HELP-2: the provider's units with a phone number, for "how to reach support" under its answers."""
    return list(Unit.objects.filter(provider_id=provider_id).exclude(phone="").order_by("name")[:10])


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


POSTGRES_QUERY = "(websearch_to_tsquery('swedish'::regconfig, %s) || websearch_to_tsquery('english'::regconfig, %s))"


def _fts5_query(query: str) -> str:
    """Each word as a quoted FTS5 prefix term (all must match): user input never reaches FTS5's own syntax."""
    return " ".join('"{}"*'.format(word.replace('"', "")) for word in re.findall(r"\w+", query))


def search_articles(raw: str, reader: HelpReader = ANONYMOUS) -> list[HelpArticle]:
    """At most MAX_RESULTS articles the reader may see matching the query, best first; one query, from the index.

    PostgreSQL: the GIN-indexed `search_vector` (help.search_index): the Swedish
    configuration on the Swedish text (so "recepten" finds "recept"), English on
    the English; websearch syntax ("a phrase", -word). SQLite: the FTS5 table, each
    word a prefix; without FTS5 in the SQLite build, word-by-word matching.
    """
    query = clean_query(raw)
    articles = visible_articles(reader)
    # .extra(): the index (a column and a table Django does not model) in SQL made of constants only;
    # the words always go as parameters.
    if connection.vendor == "postgresql":
        found = articles.extra(  # noqa: S610
            select={"search_rank": f"ts_rank(help_helparticle.search_vector, {POSTGRES_QUERY})"},
            select_params=[query, query],
            where=[f"help_helparticle.search_vector @@ {POSTGRES_QUERY}"],
            params=[query, query],
        ).order_by("-search_rank", "slug")
        return list(found[:MAX_RESULTS])
    if has_index(connection):
        found = articles.extra(  # noqa: S610
            select={"search_rank": f"{FTS_TABLE}.rank"},
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = help_helparticle.id", f"{FTS_TABLE} MATCH %s"],
            params=[_fts5_query(query)],
        ).order_by("search_rank", "slug")
        return list(found[:MAX_RESULTS])
    condition = Q()
    for word in re.findall(r"\w+", query):
        condition &= (
            Q(title_sv__icontains=word)
            | Q(body_sv__icontains=word)
            | Q(title_en__icontains=word)
            | Q(body_en__icontains=word)
        )
    return list(articles.filter(condition).order_by("category", "position", "slug")[:MAX_RESULTS])


def may_read_history(actor: Actor, article: HelpArticle) -> bool:
    """Staff read an entry's earlier versions: Vårdnav's own, and their own provider's."""
    return actor.is_staff and (article.provider_id is None or article.provider_id == actor.provider_id)


def article_versions(actor: Actor, slug: str) -> tuple[HelpArticle, list[HelpArticleVersion]]:
    """HELP-1: every saved version of an entry, newest first (staff only); two queries."""
    article = HelpArticle.objects.select_related("provider").filter(slug=slug).first()
    if article is None or not may_read_history(actor, article):
        raise CoreError.NOT_FOUND.error()
    versions = list(HelpArticleVersion.objects.filter(article=article).order_by("-number"))
    return article, versions


# --- provider administrators (the settings area) ------------------------------------------------


def provider_entries(provider: CareProvider) -> list[HelpArticle]:
    """All of a provider's entries, published or not, for its administrators' list; one query."""
    return list(HelpArticle.objects.filter(provider=provider).order_by("audience", "category", "title_sv"))


def access_provider_entry(provider: CareProvider, article_id: int) -> HelpArticle:
    article = HelpArticle.objects.filter(provider=provider, pk=article_id).first()
    if article is None:
        raise CoreError.NOT_FOUND.error()
    return article
