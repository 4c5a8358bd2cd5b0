"""Step 3 of 3: drop the foreign keys to cases and index the owner ids the queries use."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0003_copy_owner_ids"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="attachment", name="attachment_message"),
        migrations.RemoveIndex(model_name="attachment", name="attachment_case_state"),
        migrations.RemoveField(model_name="attachment", name="case"),
        migrations.RemoveField(model_name="attachment", name="message"),
        migrations.AlterField(
            model_name="attachment",
            name="folder_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="attachment",
            index=models.Index(fields=["owner_type", "owner_id", "id"], name="attachment_owner"),
        ),
        migrations.AddIndex(
            model_name="attachment",
            index=models.Index(
                fields=["owner_type", "folder_id", "state", "created_at"], name="attachment_folder_state"
            ),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.CheckConstraint(
                condition=models.Q(("state", "staged"), ("owner_id__isnull", False), _connector="OR"),
                name="attachment_sent_has_owner",
            ),
        ),
    ]
