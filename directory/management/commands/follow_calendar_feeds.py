"""`manage.py follow_calendar_feeds` reads every group's linked calendar and brings its dates
in step (directory.feeds); run it every 30 minutes."""

from django.core.management.base import BaseCommand

from directory import feeds


class Command(BaseCommand):
    help = "Read each group's linked calendar feed and make its coming dates match."

    def handle(self, *args, **options):
        read, failed = feeds.follow_all()
        self.stdout.write(f"Read {read} calendar feed(s); {failed} could not be read.")
