"""Lists stop counting at a few hundred (directory.pagination): "More than 500 groups"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import pagination
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_three(monkeypatch, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 3)


def test_a_list_under_the_cap_gives_the_exact_count(client, cap_of_three):
    for _ in range(3):
        group_with_schedule()
    response = client.get("/")
    assert "3 groups" in response.text
    assert "More than" not in response.text


def test_a_list_over_the_cap_says_more_than_and_counts_no_further(client, cap_of_three):
    for _ in range(5):
        group_with_schedule()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert "More than 3 groups" in response.text
    # The list is counted by reading at most cap + 1 of its groups (their ids, kept for a
    # short list to be sorted by: pagination.SoonestFirst); the filter choices' counts
    # (FILTER (WHERE ...)) are one query a generation, kept.
    sql = [q["sql"] for q in captured.captured_queries if "FILTER (WHERE" not in q["sql"]]
    assert not [query for query in sql if "COUNT(" in query]
    assert [query for query in sql if query.endswith("LIMIT 4")]


def test_whats_on_over_the_cap_says_more_than(client, cap_of_three):
    for _ in range(4):
        group_with_schedule()  # weekly, so four groups meet at least four times in 8 days
    assert "More than 3 sessions" in client.get("/whats-on/").text
