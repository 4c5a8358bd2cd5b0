"""Load the curated drug register (prescriptions/data/products.csv); running it again changes nothing."""

from django.core.management.base import BaseCommand

from vardnav.prescriptions.actions import do_load_curated_register


class Command(BaseCommand):
    help = "Läser in den kurerade läkemedelslistan (demo och test)."

    def handle(self, *args, **options) -> None:
        result = do_load_curated_register()
        self.stdout.write(f"Läkemedelsregistret: {result}")
