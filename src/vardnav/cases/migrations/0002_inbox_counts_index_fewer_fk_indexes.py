"""Fewer indexes on cases_case, and one the inbox counts read alone (issue 13).

- case_inbox_open_counts: (unit, status, staff_unread, due_at) over open cases, so
  the inbox's new / unread / overdue counts are an index-only scan;
- no single-column index on foreign keys that no query filters on alone (subject is
  covered by case_resident_by_activity and case_subject_service_time; the others are
  never looked up by their id and their rows are never deleted), none on
  content_fingerprint (compared inside one person's cases of one service), and on
  PostgreSQL none for LIKE on the case number (numbers are only matched exactly).
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_number_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case' "
            "AND indexdef LIKE '%%(number varchar_pattern_ops)%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_number_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS cases_case_number_like ON cases_case (number varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("catalog", "0001_initial"),
        ("organizations", "0002_care_provider_retention_days"),
        ("people", "0003_contact_sharing_consent_from_identity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assigned_cases",
                to="organizations.staff",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="content_fingerprint",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="case",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.careprovider",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="questionnaire",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="catalog.questionnaire",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="registered_by_staff",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.staff",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="service",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="cases", to="catalog.service"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="subject",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="cases", to="people.person"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="submitted_by",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.person"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["unit", "status", "staff_unread", "due_at"],
                name="case_inbox_open_counts",
            ),
        ),
        migrations.RunPython(drop_number_pattern_index, restore_number_pattern_index),
    ]
