"""Load the help centre's own articles (vardnav.help.content): product content, present in every installation."""

from __future__ import annotations

from django.db import migrations


def load_articles(apps, schema_editor):
    from vardnav.help.content import load_articles as write_articles

    write_articles(apps.get_model("help", "HelpArticle"))


class Migration(migrations.Migration):
    dependencies = [("help", "0001_articles")]

    operations = [migrations.RunPython(load_articles, migrations.RunPython.noop)]
