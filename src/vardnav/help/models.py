"""Help articles: the product's own answers to what residents and staff ask.

Why two language columns instead of rows per language: every article exists in
both languages, the active language picks the column, and search runs on the
Swedish text (the primary language) plus the English one, so an article can
never be missing in one language while present in the other.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class HelpCategory(models.TextChoices):
    LOGIN = "login", _("Logga in och ombud")
    CASES = "cases", _("Ärenden och e-tjänster")
    MEDICINES = "medicines", _("Läkemedel och recept")
    BOOKINGS = "bookings", _("Bokningar")
    JOURNAL = "journal", _("Journalen")
    ACCOUNT = "account", _("Kontaktuppgifter och aviseringar")
    FEES = "fees", _("Avgifter och betalning")
    VACCINATIONS = "vaccinations", _("Vaccinationer")
    FEEDBACK = "feedback", _("Synpunkter och support")
    ROLES = "roles", _("Roller och behörigheter")


CATEGORY_ORDER = list(HelpCategory.values)


class Audience(models.TextChoices):
    RESIDENT = "resident", _("Invånare")
    STAFF = "staff", _("Personal")


class HelpArticle(models.Model):
    """The current text of one question and answer; each saved text is also a HelpArticleVersion.

    `provider` None: Vårdnav's own article (from content.py, the same for everyone).
    Otherwise the care provider's own, written by its administrators in the
    settings area: rich text (sanitised HTML in body_html_*) with a plain-text
    copy in body_* for the search index. An empty English column falls back to
    the Swedish one.
    """

    provider = models.ForeignKey(
        "organizations.CareProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="help_articles"
    )
    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=20, choices=HelpCategory.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.RESIDENT)
    # Display order inside a category; the lowest ones are shown as common questions on /hjalp/.
    position = models.PositiveSmallIntegerField(default=100)
    common = models.BooleanField(default=False)
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    # Plain text: paragraphs separated by a blank line, rendered escaped (no HTML to sanitise).
    body_sv = models.TextField()
    body_en = models.TextField()
    # Sanitised rich text (the same allow-list as a unit's "Övrig information"); empty for plain-text articles.
    body_html_sv = models.TextField(blank=True, default="")
    body_html_en = models.TextField(blank=True, default="")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["category", "position", "slug"]
        indexes = [
            models.Index(fields=["published", "audience", "category", "position"]),
            models.Index(fields=["provider", "published"], name="help_article_provider"),
        ]

    def __str__(self) -> str:
        return self.title_sv

    def _english(self) -> bool:
        return (get_language() or "sv").startswith("en")

    @property
    def title(self) -> str:
        return (self.title_en if self._english() else "") or self.title_sv

    @property
    def body(self) -> str:
        return (self.body_en if self._english() else "") or self.body_sv

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def html(self) -> SafeString:
        """The answer as HTML: the saved rich text (sanitised when it was saved), or the plain paragraphs escaped."""
        rich = self.body_html_en if self._english() and self.body_en else self.body_html_sv
        if rich:
            return mark_safe(rich)  # noqa: S308 - sanitised by help.actions on the way in
        return format_html_join("", "<p>{}</p>", ((paragraph,) for paragraph in self.paragraphs))


class HelpArticleVersion(models.Model):
    """One saved text of an article, never changed afterwards (HELP-1: earlier versions are kept).

    The article row carries the latest one for listing and search; this table is the history.
    """

    article = models.ForeignKey(HelpArticle, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    category = models.CharField(max_length=20, choices=HelpCategory.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    title_sv = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    body_sv = models.TextField()
    body_en = models.TextField(blank=True)
    body_html_sv = models.TextField(blank=True, default="")
    body_html_en = models.TextField(blank=True, default="")
    published = models.BooleanField()
    saved_at = models.DateTimeField()
    # Who saved it: a provider administrator; None for Vårdnav's own content loaded by a migration.
    saved_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="help_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A help article version is never changed; save a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("A help article version is never deleted.")

    def _english(self) -> bool:
        return (get_language() or "sv").startswith("en") and bool(self.body_en)

    @property
    def title(self) -> str:
        return (self.title_en if self._english() else "") or self.title_sv

    @property
    def html(self) -> SafeString:
        """The version's answer in the active language (English falls back to Swedish), as the page showed it."""
        english = self._english()
        rich = self.body_html_en if english else self.body_html_sv
        if rich:
            return mark_safe(rich)  # noqa: S308 - sanitised when it was saved
        body = self.body_en if english else self.body_sv
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        return format_html_join("", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs))
