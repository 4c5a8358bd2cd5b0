"""The outpatient cost ceiling as dated configuration (HSL 17 kap. 6 §: 0.025 × prisbasbelopp,
rounded down to the nearest 50 kr; a region may set less). 2024 is confirmed (1 400 kr);
2025 and 2026 are derived from prisbasbelopp 58 800 and 59 200 (1 470 and 1 480, rounded
down to 1 450 kr) and confirmed by 1177's "högst 1 450 kronor"."""

from django.db import migrations

AMOUNTS = [
    ("2024-01-01", 140000, "1177 Västerbotten, Vårdgivarguiden: 1 400 kr (prisbasbelopp 57 300)"),
    ("2025-01-01", 145000, "0,025 × prisbasbelopp 58 800 = 1 470, nedrundat till 1 450 kr"),
    ("2026-01-01", 145000, "0,025 × prisbasbelopp 59 200 (SFS 2025:872) = 1 480, nedrundat till 1 450 kr"),
]


def load(apps, schema_editor):
    CeilingAmount = apps.get_model("billing", "CeilingAmount")
    for valid_from, amount_ore, source in AMOUNTS:
        CeilingAmount.objects.update_or_create(
            valid_from=valid_from, defaults={"amount_ore": amount_ore, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_cost_ceiling_and_free_cards")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
