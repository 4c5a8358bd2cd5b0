"""Load the help centre's own articles (vardnav.help.content): product content, present in every installation."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def load_articles(apps, schema_editor):
    from vardnav.help.content import ARTICLES

    HelpArticle = apps.get_model("help", "HelpArticle")
    now = timezone.now()
    for slug, category, audience, position, common, title_sv, title_en, body_sv, body_en in ARTICLES:
        HelpArticle.objects.update_or_create(
            slug=slug,
            defaults={
                "category": category,
                "audience": audience,
                "position": position,
                "common": common,
                "title_sv": title_sv,
                "title_en": title_en,
                "body_sv": body_sv,
                "body_en": body_en,
                "published": True,
                "updated_at": now,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("help", "0001_articles")]

    operations = [migrations.RunPython(load_articles, migrations.RunPython.noop)]
