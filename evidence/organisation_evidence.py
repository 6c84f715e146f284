"""What an organisation can show a funder: each of its groups over any dates, with the
organisation's own page and its listings on partners' websites."""

from dataclasses import dataclass, field

from django.db.models import Q, Sum

from evidence.group_evidence import GROUP_METRICS
from evidence.models import DailyCount, Metric


@dataclass
class GroupRow:
    group: object
    counts: dict = field(default_factory=dict)

    def count(self, metric):
        return self.counts.get(metric, 0)


def embed_key(organisation):
    """The key its embed is counted by (directory.public.embed)."""
    return f"organisation:{organisation.pk}"


def organisation_report(organisation, first_day, last_day):
    """(one row per group, the organisation's totals) between the two days, in three queries."""
    groups = list(organisation.groups.order_by("name"))
    rows = {str(group.pk): GroupRow(group) for group in groups}
    counted = (
        DailyCount.objects.filter(
            metric__in=GROUP_METRICS, key__in=rows, day__gte=first_day, day__lte=last_day
        )
        .values_list("key", "metric")
        .annotate(total=Sum("count"))
    )
    totals = {metric: 0 for metric in GROUP_METRICS}
    for key, metric, total in counted:
        rows[key].counts[metric] = total
        totals[metric] += total
    about_the_organisation = (
        DailyCount.objects.filter(day__gte=first_day, day__lte=last_day)
        .filter(
            Q(metric=Metric.ORGANISATION_VIEW, key=str(organisation.pk))
            | Q(metric=Metric.EMBED_VIEW, key=embed_key(organisation))
        )
        .values_list("metric")
        .annotate(total=Sum("count"))
    )
    totals |= {Metric.ORGANISATION_VIEW: 0, Metric.EMBED_VIEW: 0}
    totals |= dict(about_the_organisation)
    return list(rows.values()), totals
