"""Create the database cache table that rate limits use when REDIS_URL is unset.

Why a migration: settings fall back to DatabaseCache("vardnav_cache"), and a
missing table would make every rate-limited request (logins) fail. As a
migration it exists on every database `migrate` touches, tests included.
`createcachetable` does nothing for non-database caches and skips an existing
table, so running it again is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_contact_sharing_consent"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
