"""The help centre in /api/v1 (registered in vardnav/api/main.py): public, like the pages.

The language follows the request (Accept-Language or the language cookie), as on the pages.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vardnav.core.actor import Actor
from vardnav.help import access
from vardnav.help.models import HelpArticle

router = Router(tags=["help"])

# A letter or digit somewhere in q. Written as explicit ranges, not \w, so that the schema's (ECMAScript)
# regex and the server's (pydantic) regex accept exactly the same strings.
QUERY_PATTERN = "[0-9A-Za-zÀ-ÖØ-öø-ÿ]"


class HelpArticleSummaryOut(Schema):
    slug: str
    title: str
    category: str
    audience: str
    updated_at: datetime


class HelpArticleOut(HelpArticleSummaryOut):
    paragraphs: list[str]
    html: str  # the answer as sanitised HTML (a provider's rich text, or the paragraphs)
    provider: str | None  # the care provider's name for its own entries; None for Vårdnav's


def _reader(request: HttpRequest) -> access.HelpReader:
    """Whose entries the caller sees: a logged-in session's resident or staff member, else Vårdnav's own."""
    actor = getattr(request, "actor", None)
    return access.help_reader(actor) if isinstance(actor, Actor) else access.ANONYMOUS


def _summary(article: HelpArticle) -> HelpArticleSummaryOut:
    return HelpArticleSummaryOut(
        slug=article.slug,
        title=article.title,
        category=article.category,
        audience=article.audience,
        updated_at=article.updated_at,
    )


@router.get("/help/articles", response=list[HelpArticleSummaryOut], auth=None, summary="Search the help articles")
def search_articles(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=access.MAX_QUERY_LENGTH, pattern=QUERY_PATTERN),
) -> list[HelpArticleSummaryOut]:
    """At most 20 matches, best first; q needs a letter or digit and at most 100 characters (else a 422 problem).

    The schema says so, so a client (and the API fuzzing) knows which queries are valid.
    """
    return [_summary(article) for article in access.search_articles(q, _reader(request))]


@router.get("/help/articles/{slug}", response=HelpArticleOut, auth=None, summary="One help article")
def get_article(request: HttpRequest, slug: str) -> HelpArticleOut:
    article = access.access_article(slug, _reader(request))
    return HelpArticleOut(
        **_summary(article).dict(),
        paragraphs=article.paragraphs,
        html=str(article.html),
        provider=article.provider.name if article.provider else None,
    )
