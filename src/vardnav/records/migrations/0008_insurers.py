"""The list of insurers residents choose from in an insurance e-service (REC-9): the large Swedish health insurers."""

from django.db import migrations

INSURERS = [
    ("euro-accident", "Euro Accident"),
    ("folksam", "Folksam"),
    ("if", "If Skadeförsäkring"),
    ("lansforsakringar", "Länsförsäkringar"),
    ("skandia", "Skandia"),
    ("trygg-hansa", "Trygg-Hansa"),
]


def add(apps, schema_editor):
    Insurer = apps.get_model("records", "Insurer")
    for code, name in INSURERS:
        Insurer.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("records", "0007_early_access_and_insurance")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
