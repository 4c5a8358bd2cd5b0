"""The legal maximum reminder and collection fees as dated configuration: lag (1981:739) 4 § as
amended by SFS 2013:56, in force 16 March 2013: 60 kr for a written payment reminder and 180 kr
for a collection demand (the earlier förordning 1981:1057 was repealed the same day)."""

from django.db import migrations

AMOUNTS = [
    ("2013-03-16", 6000, 18000, "Lag (1981:739) om ersättning för inkassokostnader m.m. 4 §, SFS 2013:56"),
]


def load(apps, schema_editor):
    ReminderFeeMaximum = apps.get_model("billing", "ReminderFeeMaximum")
    for valid_from, reminder_ore, collection_ore, source in AMOUNTS:
        ReminderFeeMaximum.objects.update_or_create(
            valid_from=valid_from,
            defaults={"reminder_ore": reminder_ore, "collection_ore": collection_ore, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_invoices")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
