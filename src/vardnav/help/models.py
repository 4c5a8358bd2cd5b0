"""Help articles: the product's own answers to what residents and staff ask.

Why two language columns instead of rows per language: every article exists in
both languages, the active language picks the column, and search runs on the
Swedish text (the primary language) plus the English one, so an article can
never be missing in one language while present in the other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class HelpCategory(models.TextChoices):
    LOGIN = "login", _("Logga in och ombud")
    CASES = "cases", _("Ärenden och e-tjänster")
    MEDICINES = "medicines", _("Läkemedel och recept")
    BOOKINGS = "bookings", _("Bokningar")
    JOURNAL = "journal", _("Journalen")
    ACCOUNT = "account", _("Kontaktuppgifter och aviseringar")
    FEEDBACK = "feedback", _("Synpunkter och support")


CATEGORY_ORDER = list(HelpCategory.values)


class Audience(models.TextChoices):
    RESIDENT = "resident", _("Invånare")
    STAFF = "staff", _("Personal")


class HelpArticle(models.Model):
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
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["category", "position", "slug"]
        indexes = [models.Index(fields=["published", "audience", "category", "position"])]

    def __str__(self) -> str:
        return self.title_sv

    def _english(self) -> bool:
        return (get_language() or "sv").startswith("en")

    @property
    def title(self) -> str:
        return self.title_en if self._english() else self.title_sv

    @property
    def body(self) -> str:
        return self.body_en if self._english() else self.body_sv

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
