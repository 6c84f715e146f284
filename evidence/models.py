"""Evidence without surveillance: every count is (day, what, which, how many), and nothing more.

No IP address, user agent, cookie, fingerprint or typed search text is ever stored: a row
cannot be traced back to a visitor, only added up.
"""

from django.db import models


class Metric(models.TextChoices):
    GROUP_VIEW = "group_view", "Group page views"
    ORGANISATION_VIEW = "organisation_view", "Organisation page views"
    SHORTLIST_OPEN = "shortlist_open", "On a shortlist someone opened"
    REFERRAL_PRINT = "referral_print", "Printed on a referral sheet"
    CALENDAR_DOWNLOAD = "calendar_download", "Calendar downloads"
    HELPFUL_YES = "helpful_yes", "Said the page helped"
    HELPFUL_NO = "helpful_no", "Said the page did not help"
    FOUND_GROUP = "found_group", "Found a group to go to"
    FOUND_TIMES = "found_times", "Found when it meets"
    FOUND_DIRECTIONS = "found_directions", "Found how to get there"
    SEARCH = "search", "Searches"
    SEARCH_EMPTY = "search_empty", "Searches that found nothing"
    # Keyed by the embed ("organisation:12", "area:elgin", "groups:topic=anxiety"), never by
    # the site that framed it.
    EMBED_VIEW = "embed_view", "Views on partners' websites"


# A search's key is its filter combination; longer than this and it is not worth a row.
KEY_MAX_LENGTH = 1000


class DailyCount(models.Model):
    day = models.DateField()
    metric = models.CharField(max_length=40, choices=Metric.choices)
    # A group's or organisation's id, or a search's filter combination
    # ("area=keith;topic=anxiety"): never anything a visitor typed.
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "metric", "key"], name="one_count_per_day")
        ]
        indexes = [models.Index(fields=["metric", "key", "day"])]

    def __str__(self):
        return f"{self.day} {self.metric} {self.key}: {self.count}"
