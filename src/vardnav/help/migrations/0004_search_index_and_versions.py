"""The full-text index (help.search_index) and Vårdnav's own articles with their first version."""

from __future__ import annotations

from django.db import migrations


def create_index(apps, schema_editor):
    from vardnav.help.search_index import ensure_search_index

    ensure_search_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from vardnav.help.search_index import drop_search_index

    drop_search_index(schema_editor.connection)


def load_articles(apps, schema_editor):
    from vardnav.help.content import load_articles as write_articles

    write_articles(apps.get_model("help", "HelpArticle"), apps.get_model("help", "HelpArticleVersion"))


class Migration(migrations.Migration):
    dependencies = [("help", "0003_provider_articles_versions")]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(load_articles, migrations.RunPython.noop),
    ]
