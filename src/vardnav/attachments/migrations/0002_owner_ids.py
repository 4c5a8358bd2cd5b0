"""Attachments name their owner by ids (owner_type, folder_id, owner_id) instead of foreign keys to cases.

Step 1 of 3: add the new columns, nullable, beside the old foreign keys; 0003 copies the data, 0004 drops the keys.
The old "sent has a message" check goes here, not in 0004, so that undoing the steps restores it only after
0003 has copied the message ids back.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0001_initial"),
        ("people", "0002_personal_number_blind_index_field"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="attachment", name="attachment_sent_has_message"),
        migrations.AddField(
            model_name="attachment",
            name="owner_type",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="attachment",
            name="folder_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="attachment",
            name="owner_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attachment",
            name="subject_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.person",
            ),
        ),
    ]
