"""Add the evidence counts gathered in Redis to the database. Run every minute from cron.

Without Redis, counts are written to the database as they happen and there is nothing to do.
Two runs at once are safe: the second finds the first one's lock and leaves it be.
"""

from django.core.management.base import BaseCommand

from evidence.counting import flush_buffer


class Command(BaseCommand):
    help = "Move the evidence counts gathered in Redis into the database (run every minute)."

    def handle(self, *args, **options):
        moved = flush_buffer()
        if moved is None:
            self.stdout.write("Another flush is running; nothing done.")
        else:
            self.stdout.write(f"Moved {moved} count{'s' if moved != 1 else ''} to the database.")
