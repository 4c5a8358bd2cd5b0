"""Import products from an NPL XML export (a file or a directory of one XML file per product)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vardnav.core.actor import Actor
from vardnav.prescriptions.actions import do_load_products, do_retire_curated_products
from vardnav.prescriptions.models import ProductSource
from vardnav.prescriptions.npl import read_npl


class Command(BaseCommand):
    help = "Importerar läkemedel från NPL:s XML-export (fil eller katalog)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="NPL XML file or directory")
        parser.add_argument(
            "--retire-curated", action="store_true", help="Stop offering the curated demo products afterwards"
        )

    def handle(self, *args, path: str, retire_curated: bool, **options) -> None:
        source = Path(path)
        if not source.exists():
            raise CommandError(f"Hittar inte {source}.")
        actor = Actor.system()
        try:
            rows = list(read_npl(source))
        except Exception as exc:  # noqa: BLE001 - any parse error is reported, nothing is imported
            raise CommandError(f"Kunde inte läsa NPL-filen: {exc}") from None
        result = do_load_products(actor, rows, source=ProductSource.NPL)
        if retire_curated:
            result.retired = do_retire_curated_products(actor)
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(f"NPL-import: {result}")
