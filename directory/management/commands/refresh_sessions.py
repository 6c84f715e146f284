"""Roll every group's stored sessions forward to the horizon. Run daily from cron.

Each group's sessions from today onwards are rebuilt from its schedules, breaks,
cancellations and extra dates, so lists keep showing dates months ahead and each group's
"next session" moves on; each group's search text follows the venues it meets at from today.
Running it twice, or more often, does no harm.
"""

from django.core.management.base import BaseCommand

from directory import search
from directory.models import Group
from directory.timetable import refresh_all


class Command(BaseCommand):
    help = "Rebuild every group's upcoming sessions from its schedules (run daily)."

    def handle(self, *args, **options):
        count = refresh_all()
        search.refresh(Group.objects.all())
        self.stdout.write(f"Refreshed the sessions of {count} group{'s' if count != 1 else ''}.")
