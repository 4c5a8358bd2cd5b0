"""A nullable `extra` column for structured detail on audit entries.

Why it is safe for the append-only log: a nullable column without a default is
a plain `ALTER TABLE … ADD COLUMN` on both SQLite and PostgreSQL, so SQLite does
not rebuild the table (a rebuild would drop the triggers of 0002). Existing rows
get NULL, and the chain payload leaves a null `extra` out, so every entry
written before this migration still verifies (audit/tests/test_migration.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="extra",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
