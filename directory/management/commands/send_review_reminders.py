"""Ask organisers to check listings nobody has confirmed for a while. Run daily from cron.

A listing gets one reminder 60 days after it was last confirmed and one more at 85 days, before
it shows parents "may be out of date" at 90. Each group's reminder count is claimed with a
conditional UPDATE before the email goes, so running the command twice (or twice at once)
never sends a reminder twice; "Still correct" resets the count.
"""

import datetime
from itertools import groupby

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from directory import emails
from directory.models import Group


def reminders():
    """(reminder number, days since the listing was last confirmed): settings'
    REVIEW_REMINDER_DAYS, the same rule the dashboard's "Check by" badge follows."""
    return tuple(enumerate(settings.REVIEW_REMINDER_DAYS, start=1))


class Command(BaseCommand):
    help = "Email organisation members about listings not confirmed for 60 or 85 days."

    def handle(self, *args, **options):
        today = timezone.localdate()
        cutoffs = {level: today - datetime.timedelta(days=days) for level, days in reminders()}
        due = Q()
        for level, cutoff in cutoffs.items():
            due |= Q(confirmed_on__lte=cutoff, stale_reminders_sent__lt=level)
        groups = (
            Group.objects.published()
            .annotate(confirmed_on=Coalesce("last_confirmed", TruncDate("created")))
            .filter(due)
            .select_related("organisation")
            .order_by("organisation_id", "name")
        )
        sent_count = listings = 0
        for _, org_groups in groupby(groups, key=lambda g: g.organisation_id):
            sent = self.remind(list(org_groups), cutoffs)
            sent_count += sent[0]
            listings += sent[1]
        self.stdout.write(f"Sent {sent_count} reminder email(s) about {listings} listing(s).")

    @transaction.atomic
    def remind(self, groups, cutoffs):
        organisation = groups[0].organisation
        recipients = sorted(
            set(
                organisation.memberships.filter(user__is_active=True).values_list(
                    "user__email", flat=True
                )
            )
        )
        if not recipients:
            return 0, 0
        claimed = []
        for group in groups:
            level = max(lvl for lvl, cutoff in cutoffs.items() if group.confirmed_on <= cutoff)
            # Only one run can move the count up to this level; the others update nothing.
            if Group.objects.filter(pk=group.pk, stale_reminders_sent__lt=level).update(
                stale_reminders_sent=level
            ):
                claimed.append(group)
        if not claimed:
            return 0, 0
        sent = emails.review_reminder(organisation, claimed, recipients)
        return sent, len(claimed)
