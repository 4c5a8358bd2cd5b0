"""Step 2 of 3: every existing file belongs to a case's message, so its owner is ("cases.message", message id)
in the folder of its case, and its subject is the case's subject. Reversible: the ids go back into the keys."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

MESSAGE_FILES = "cases.message"


def copy_owner_ids(apps, schema_editor):
    Attachment = apps.get_model("attachments", "Attachment")
    Case = apps.get_model("cases", "Case")
    Message = apps.get_model("cases", "Message")
    case_of_message = Message.objects.filter(pk=OuterRef("message_id")).values("case_id")[:1]
    Attachment.objects.update(
        owner_type=MESSAGE_FILES,
        folder_id=Coalesce(F("case_id"), Subquery(case_of_message)),
        owner_id=F("message_id"),
    )
    subject_of_case = Case.objects.filter(pk=OuterRef("folder_id")).values("subject_id")[:1]
    Attachment.objects.update(subject_person_id=Subquery(subject_of_case))


def copy_back(apps, schema_editor):
    Attachment = apps.get_model("attachments", "Attachment")
    Attachment.objects.filter(owner_type=MESSAGE_FILES).update(case_id=F("folder_id"), message_id=F("owner_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0002_owner_ids"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_owner_ids, copy_back)]
