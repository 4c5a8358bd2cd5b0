"""ContactSharingConsent now belongs to people (people.0003); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0002_create_cache_table"),
        ("people", "0003_contact_sharing_consent_from_identity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ContactSharingConsent")],
        ),
    ]
