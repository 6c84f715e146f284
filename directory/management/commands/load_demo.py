"""`manage.py load_demo` loads clearly-marked example listings; `--remove` takes them away."""

from django.core.management.base import BaseCommand

from directory.context_processors import forget_demo_flag
from directory.demo.loader import load_demo, remove_demo


class Command(BaseCommand):
    help = "Load clearly-marked demo organisations, venues and groups (or remove them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete every demo organisation with its groups and venues.",
        )

    def handle(self, *args, **options):
        try:
            message = remove_demo() if options["remove"] else load_demo()
        finally:
            forget_demo_flag()
        self.stdout.write(self.style.SUCCESS(message))
