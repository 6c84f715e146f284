"""Made-up evidence counts for the demo listings, so a new install shows organisers and
moderators what their evidence pages look like. Only demo groups and organisations get them;
they are made again from nothing on each load (the same numbers for the same day), and go with
the demo data when it is removed."""

import datetime
import random

from evidence.group_evidence import WEEKS
from evidence.models import DailyCount, Metric
from evidence.organisation_evidence import embed_key

# (metric, the most on one day): a quiet group gets a fraction of these.
GROUP_DAILY_MOST = [
    (Metric.GROUP_VIEW, 14),
    (Metric.SHORTLIST_OPEN, 3),
    (Metric.REFERRAL_PRINT, 2),
    (Metric.CALENDAR_DOWNLOAD, 2),
    (Metric.HELPFUL_YES, 2),
    (Metric.HELPFUL_NO, 1),
]
ORGANISATION_DAILY_MOST = [(Metric.ORGANISATION_VIEW, 6), (Metric.EMBED_VIEW, 8)]


def demo_keys(organisations, groups):
    """(metric, key) pairs the demo counts may use, to replace or remove them."""
    pairs = [(str(metric), str(group.pk)) for group in groups for metric, _ in GROUP_DAILY_MOST]
    for organisation in organisations:
        pairs += [
            (Metric.ORGANISATION_VIEW, str(organisation.pk)),
            (Metric.EMBED_VIEW, embed_key(organisation)),
        ]
    return pairs


def remove_demo_evidence(organisations, groups):
    pairs = demo_keys(organisations, groups)
    by_metric = {}
    for metric, key in pairs:
        by_metric.setdefault(metric, set()).add(key)
    for metric, keys in by_metric.items():
        DailyCount.objects.filter(metric=metric, key__in=keys).delete()


def load_demo_evidence(organisations, groups, today):
    """The last WEEKS weeks of counts, up to `today`, for the published demo groups and every
    demo organisation (what earlier loads wrote replaced); returns how many rows were written."""
    remove_demo_evidence(organisations, groups)
    first = today - datetime.timedelta(weeks=WEEKS)
    rows = []
    for group in groups.published():
        rows += daily_rows(f"group:{group.slug}", str(group.pk), GROUP_DAILY_MOST, first, today)
    for organisation in organisations:
        seed = f"organisation:{organisation.slug}"
        own, embedded = ORGANISATION_DAILY_MOST
        rows += daily_rows(seed, str(organisation.pk), [own], first, today)
        rows += daily_rows(seed + ":embed", embed_key(organisation), [embedded], first, today)
    DailyCount.objects.bulk_create(rows)
    return len(rows)


def daily_rows(seed, key, metrics, first, last):
    chance = random.Random(seed)
    busy = chance.uniform(0.2, 1)
    rows = []
    day = first
    while day <= last:
        for metric, most in metrics:
            number = round(chance.random() * most * busy)
            if number:
                rows.append(DailyCount(day=day, metric=metric, key=key, count=number))
        day += datetime.timedelta(days=1)
    return rows
