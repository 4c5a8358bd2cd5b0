"""Signed record notes, and the database triggers that keep them unchanged below the application.

Why triggers: the model refuses updates and deletes, but raw SQL, a shell or a
future bug would not go through the model. The database refuses DELETE, and
UPDATE of anything but clearing the case link (the purge of an expired case,
CASE-8, keeps the record). The test runner and the demo reset lift the guard on
SQLite only to empty the whole database (vardnav.demo.reset).
"""

import django.db.models.deletion
import vardnav.core.crypto
import vardnav.core.fields
from django.db import migrations, models


# Every column but case_id: none may change. case_id may only become NULL.
_FROZEN = [
    "id", "case_number", "subject_id", "unit_id", "provider_id", "kind", "body", "diagnosis_codes",
    "shared_with_resident", "amends_id", "author_id", "author_profession", "signed_at",
]
_PG_CHANGED = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in _FROZEN)
_SQLITE_CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in _FROZEN)

POSTGRESQL_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION records_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'signed record notes never change: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER records_note_no_delete BEFORE DELETE ON records_recordnote
    FOR EACH ROW EXECUTE FUNCTION records_refuse_change()
    """,
    f"""
    CREATE TRIGGER records_note_no_update BEFORE UPDATE ON records_recordnote
    FOR EACH ROW WHEN (NEW.case_id IS NOT NULL OR {_PG_CHANGED})
    EXECUTE FUNCTION records_refuse_change()
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS records_note_no_update ON records_recordnote",
    "DROP TRIGGER IF EXISTS records_note_no_delete ON records_recordnote",
    "DROP FUNCTION IF EXISTS records_refuse_change()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER records_note_no_delete BEFORE DELETE ON records_recordnote
    BEGIN SELECT RAISE(ABORT, 'signed record notes never change: DELETE on records_recordnote refused'); END
    """,
    f"""
    CREATE TRIGGER records_note_no_update BEFORE UPDATE ON records_recordnote
    WHEN NEW.case_id IS NOT NULL OR {_SQLITE_CHANGED}
    BEGIN SELECT RAISE(ABORT, 'signed record notes never change: UPDATE on records_recordnote refused'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS records_note_no_update",
    "DROP TRIGGER IF EXISTS records_note_no_delete",
]
STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, index: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"no immutability triggers written for {vendor}")
    for statement in STATEMENTS[vendor][index]:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def backward(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0001_initial'),
        ('organizations', '0002_care_provider_retention_days'),
        ('people', '0003_contact_sharing_consent_from_identity'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('case_number', models.CharField(max_length=12)),
                ('kind', models.CharField(choices=[('note', 'Journalanteckning'), ('summary', 'Sammanfattning')], default='note', max_length=10)),
                ('body', vardnav.core.crypto.EncryptedTextField()),
                ('diagnosis_codes', vardnav.core.fields.EncryptedJSONField(blank=True, default=list)),
                ('shared_with_resident', models.BooleanField(default=False)),
                ('author_profession', models.CharField(choices=[('doctor', 'Läkare'), ('nurse', 'Sjuksköterska'), ('psychologist', 'Psykolog'), ('physiotherapist', 'Fysioterapeut'), ('midwife', 'Barnmorska'), ('sexologist', 'Sexolog'), ('assistant_nurse', 'Undersköterska'), ('administrative', 'Administrativ personal')], max_length=20)),
                ('signed_at', models.DateTimeField()),
                ('amends', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='amendments', to='records.recordnote')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.staff')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='record_notes', to='cases.case')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.careprovider')),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.unit')),
            ],
            options={
                'verbose_name': 'journalanteckning',
                'verbose_name_plural': 'journalanteckningar',
                'indexes': [models.Index(fields=['case', 'signed_at', 'id'], name='record_note_case_time'), models.Index(condition=models.Q(('shared_with_resident', True)), fields=['subject', '-signed_at', '-id'], name='record_note_shared_by_time')],
                'constraints': [models.CheckConstraint(condition=models.Q(('shared_with_resident', False), ('kind', 'summary'), _connector='OR'), name='record_note_only_summaries_shared')],
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
