"""What an organiser sees about one group: the last 12 weeks, week by week."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from evidence.models import DailyCount, Metric

WEEKS = 12
GROUP_METRICS = [
    Metric.GROUP_VIEW,
    Metric.SHORTLIST_OPEN,
    Metric.REFERRAL_PRINT,
    Metric.CALENDAR_DOWNLOAD,
    Metric.HELPFUL_YES,
    Metric.HELPFUL_NO,
    Metric.FOUND_GROUP,
    Metric.FOUND_TIMES,
    Metric.FOUND_DIRECTIONS,
]


@dataclass
class Week:
    starts_on: datetime.date
    counts: dict = field(default_factory=dict)

    def count(self, metric):
        return self.counts.get(metric, 0)

    @property
    def views(self):
        return self.count(Metric.GROUP_VIEW)

    @property
    def shortlisted(self):
        return self.count(Metric.SHORTLIST_OPEN)

    @property
    def printed(self):
        return self.count(Metric.REFERRAL_PRINT)

    @property
    def referral_uses(self):
        return self.shortlisted + self.printed

    @property
    def calendar_downloads(self):
        return self.count(Metric.CALENDAR_DOWNLOAD)

    @property
    def helpful_yes(self):
        return self.count(Metric.HELPFUL_YES)

    @property
    def helpful_no(self):
        return self.count(Metric.HELPFUL_NO)


def first_week_start(today):
    """The Monday that starts the first of the last WEEKS weeks (this week is the last)."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - datetime.timedelta(weeks=WEEKS - 1)


def group_weeks(group, today=None):
    """The last WEEKS weeks of counts for `group`, oldest first, this week (so far) last."""
    today = today or timezone.localdate()
    first = first_week_start(today)
    weeks = [Week(first + datetime.timedelta(weeks=n)) for n in range(WEEKS)]
    rows = DailyCount.objects.filter(
        metric__in=GROUP_METRICS, key=str(group.pk), day__gte=first, day__lte=today
    ).values_list("day", "metric", "count")
    for day, metric, number in rows:
        week = weeks[(day - first).days // 7]
        week.counts[metric] = week.counts.get(metric, 0) + number
    return weeks


def totals(weeks):
    """Each metric added up over `weeks`."""
    summed = {metric: 0 for metric in GROUP_METRICS}
    for week in weeks:
        for metric, number in week.counts.items():
            summed[metric] += number
    return summed


def organisation_views(organisation, first_day, last_day):
    return (
        DailyCount.objects.filter(
            metric=Metric.ORGANISATION_VIEW,
            key=str(organisation.pk),
            day__gte=first_day,
            day__lte=last_day,
        ).aggregate(total=Sum("count"))["total"]
        or 0
    )
