"""ContactSharingConsent moves from identity to people; its table stays as it is.

State only: identity.0001 created the table `identity_contactsharingconsent`,
which the model keeps through Meta.db_table, so no row is copied or touched.
identity.0003 removes the model from identity's state after this one.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_personal_number_blind_index_field"),
        ("identity", "0002_create_cache_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ContactSharingConsent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("share_email", models.BooleanField(default=False)),
                        ("share_phone", models.BooleanField(default=False)),
                        ("given_at", models.DateTimeField()),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contact_sharing_consents",
                                to="people.person",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "samtycke till delning av kontaktuppgifter",
                        "verbose_name_plural": "samtycken till delning av kontaktuppgifter",
                        "db_table": "identity_contactsharingconsent",
                        "indexes": [models.Index(fields=["person", "-given_at"], name="contact_consent_history")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("withdrawn_at__isnull", True)),
                                fields=("person",),
                                name="one_active_contact_consent",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("share_email", True), ("share_phone", True), _connector="OR"),
                                name="contact_consent_shares_something",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
