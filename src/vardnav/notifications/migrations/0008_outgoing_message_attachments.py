"""OutgoingMessage.calendar_ics becomes one case of OutgoingMessage.attachments (files sent with an e-mail);
notices of a resident's answer about a video meeting and of a new lab result (staff)."""

import base64

from django.db import migrations, models

import vardnav.core.fields

ICS_MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def calendar_to_attachments(apps, schema_editor):
    OutgoingMessage = apps.get_model("notifications", "OutgoingMessage")
    for message in OutgoingMessage.objects.exclude(status="sent").iterator():
        if message.calendar_ics:
            content = base64.b64encode(message.calendar_ics.encode()).decode("ascii")
            message.attachments = [{"filename": "invite.ics", "mimetype": ICS_MIMETYPE, "content": content}]
            message.save(update_fields=["attachments"])


def attachments_to_calendar(apps, schema_editor):
    OutgoingMessage = apps.get_model("notifications", "OutgoingMessage")
    for message in OutgoingMessage.objects.exclude(status="sent").iterator():
        for each in message.attachments or []:
            if each.get("filename") == "invite.ics":
                message.calendar_ics = base64.b64decode(each["content"]).decode()
                message.save(update_fields=["calendar_ics"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0007_notice_kinds_bookings"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmessage",
            name="attachments",
            field=vardnav.core.fields.EncryptedJSONField(blank=True, default=list, help_text="Files sent with the e-mail"),
        ),
        migrations.RunPython(calendar_to_attachments, attachments_to_calendar),
        migrations.RemoveField(model_name="outgoingmessage", name="calendar_ics"),
        migrations.AlterField(
            model_name='notice',
            name='kind',
            field=models.CharField(choices=[('partial_reply', 'Delsvar'), ('question', 'Motfråga'), ('reply', 'Svar'), ('closed', 'Avslutat ärende'), ('overdue', 'Passerad svarstid'), ('fee_changed', 'Ändrad avgift'), ('vaccination_reminder', 'Vaccinationspåminnelse'), ('invoice', 'Faktura'), ('invoice_reminder', 'Påminnelse om faktura'), ('invoice_collection', 'Faktura till inkasso'), ('invoice_credited', 'Krediterad faktura'), ('booking_confirmed', 'Bokad tid'), ('booking_cancelled', 'Avbokad tid'), ('booking_summons', 'Kallelse'), ('booking_offer', 'Ledig tid från väntelistan'), ('meeting_answer', 'Svar om videomöte'), ('lab_result', 'Nytt provsvar')], max_length=20),
        ),
    ]
