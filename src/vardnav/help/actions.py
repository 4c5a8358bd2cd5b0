"""Writing the help centre: the only code that changes a provider's questions and answers.

HELP-1: provider administrators keep their provider's entries. Every save is
a new, immutable HelpArticleVersion; the article row carries the latest text
(what pages and search show) and when it was last updated. Vårdnav's own
articles are product content (content.py, loaded by a migration) and are not
edited here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import CoreError
from vardnav.help import checks
from vardnav.help.models import HelpArticle, HelpArticleVersion
from vardnav.organizations.access import access_administered_provider
from vardnav.organizations.models import CareProvider

LANGUAGES = ("sv", "en")


def _free_slug(provider: CareProvider, title: str) -> str:
    base = f"{provider.slug}-{slugify(title)}"[:70].strip("-") or provider.slug
    slug, n = base, 1
    while HelpArticle.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _snapshot(article: HelpArticle, actor: Actor) -> HelpArticleVersion:
    return HelpArticleVersion.objects.create(
        article=article,
        number=article.version,
        category=article.category,
        audience=article.audience,
        title_sv=article.title_sv,
        title_en=article.title_en,
        body_sv=article.body_sv,
        body_en=article.body_en,
        body_html_sv=article.body_html_sv,
        body_html_en=article.body_html_en,
        published=article.published,
        saved_at=article.updated_at,
        saved_by_id=actor.staff_id,
    )


def do_save_help_article(
    actor: Actor,
    article: HelpArticle | None = None,
    *,
    language: str = "sv",
    title: Any = "",
    body_html: Any = "",
    category: Any = None,
    audience: Any = None,
    published: Any = True,
) -> HelpArticle:
    """HELP-1: create an entry of the administrator's provider, or save a new version of one.

    Swedish ("sv"): the question, the answer, topic, audience and whether it is
    published, all required. English ("en"): the question and answer only, both
    or neither (an empty English text shows the Swedish one).
    """
    provider = access_administered_provider(actor)
    if article is not None and article.provider_id != provider.pk:
        raise CoreError.NOT_FOUND.error()
    if language not in LANGUAGES or (article is None and language != "sv"):
        raise CoreError.NOT_FOUND.error()
    text = checks.check_entry_text(title, body_html, required=language == "sv")
    if language == "sv":
        fields: dict[str, Any] = {
            "category": checks.check_category(category),
            "audience": checks.check_audience(audience),
            "title_sv": text.title,
            "body_sv": text.body,
            "body_html_sv": text.body_html,
            "published": bool(published),
        }
    else:
        fields = {"title_en": text.title, "body_en": text.body, "body_html_en": text.body_html}
    now = clock.now()
    with transaction.atomic():
        if article is None:
            article = HelpArticle.objects.create(
                provider=provider,
                slug=_free_slug(provider, text.title),
                title_en="",
                body_en="",
                updated_at=now,
                version=1,
                **fields,
            )
            event = AuditEvent.HELP_ARTICLE_CREATE
        else:
            article = HelpArticle.objects.select_for_update().get(pk=article.pk)
            if all(getattr(article, name) == value for name, value in fields.items()):
                return article  # nothing changed: no new version
            for name, value in fields.items():
                setattr(article, name, value)
            article.version += 1
            article.updated_at = now
            article.save()
            event = AuditEvent.HELP_ARTICLE_UPDATE
        _snapshot(article, actor)
        do_record(actor, event, article, extra={"version": article.version, "language": language})
    return article
