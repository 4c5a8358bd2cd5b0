"""Trigram search for the drug register's type-ahead, on PostgreSQL only.

Why vendor-conditional: SQLite has neither pg_trgm nor GIN indexes; there the
search uses the plain index on search_name (prefix and contains) and a
close-spelling fallback in Python (prescriptions.register).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "prescriptions_product_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON prescriptions_product USING gin (search_name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("prescriptions", "0001_drug_register")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
