"""A count written on its own (a page view, outside any transaction) is stored in one write and
leaves the database connection as it found it."""

import pytest
from django.db import connection

from evidence import counting
from evidence.models import DailyCount, Metric


@pytest.mark.django_db(transaction=True)
def test_a_count_outside_a_transaction_is_stored_and_changes_no_setting():
    counting.record([(Metric.GROUP_VIEW, 7)])
    counting.record([(Metric.GROUP_VIEW, 7), (Metric.GROUP_VIEW, 8)])
    assert dict(DailyCount.objects.values_list("key", "count")) == {"7": 2, "8": 1}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
