"""`manage.py import_places --onspd ONSPD.csv --open-names NJ.csv NH.csv …` adds Moray's
postcodes (with their sectors and districts) and villages from the official open datasets a
deployer downloads (directory.place_import says where). Places already there stay as they are.
"""

from django.core.management.base import BaseCommand

from directory import place_import


class Command(BaseCommand):
    help = (
        "Add Moray's postcodes from the ONS Postcode Directory and its towns and villages from "
        "OS Open Names; never changes a place already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--onspd", nargs="*", default=[], help="ONS Postcode Directory CSV")
        parser.add_argument(
            "--open-names", nargs="*", default=[], help="OS Open Names CSV files (no header row)"
        )

    def handle(self, *args, onspd, open_names, **options):
        for path in onspd:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                self.report(path, place_import.onspd_places(lines), place_import.ONSPD_SOURCE)
        for path in open_names:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                rows = place_import.open_names_places(lines)
                self.report(path, rows, place_import.OPEN_NAMES_SOURCE)

    def report(self, path, rows, source):
        places, aliases = place_import.add_places(rows, source)
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {places} places and {aliases} other names added.")
        )
