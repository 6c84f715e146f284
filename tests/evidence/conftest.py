import pytest
from django.test import Client

from evidence.models import DailyCount

# What a parent's phone sends; counting leaves out requests that name no browser at all.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


@pytest.fixture
def visitor():
    """A parent's browser: no account, no cookie."""
    return Client(HTTP_USER_AGENT=PHONE_BROWSER)


def counts():
    """{(metric, key): count} for every stored row, whatever the day."""
    totals = {}
    for row in DailyCount.objects.all():
        totals[row.metric, row.key] = totals.get((row.metric, row.key), 0) + row.count
    return totals
