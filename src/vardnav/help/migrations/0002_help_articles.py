"""Loaded Vårdnav's own articles; that moved to 0004, which also writes each article's first version.

Kept (empty) so that databases which ran it keep a consistent history.
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("help", "0001_articles")]

    operations: list[migrations.operations.base.Operation] = []
