"""Free-text search finds its groups through an index on PostgreSQL: the words and the
vocabulary's meanings alike, through the full-text index of each group's stored reading
(migrations 0017 and 0018)."""

import pytest
from django.db import connection

from directory.models import Group, SearchWord
from tests.factories import (
    AreaFactory,
    AudienceFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db


def search_plan(text):
    sql, params = Group.objects.search(text).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # With a handful of rows a scan is cheapest; forbid it to see which indexes can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_a_search_can_use_the_full_text_index():
    if connection.vendor != "postgresql":
        pytest.skip("full-text indexes (tsvector) are a PostgreSQL feature")
    group_with_schedule(name="Sleep Swap", summary="Sharing what helps with broken nights.")
    assert "directory_group_search_vector" in search_plan("sleep")
    assert "directory_group_search_vector" in search_plan("dads forres")


@pytest.mark.postgres
def test_everyday_words_are_found_in_the_index_without_reading_topics_or_venues():
    if connection.vendor != "postgresql":
        pytest.skip("full-text indexes (tsvector) are a PostgreSQL feature")
    anxiety = TopicFactory(name="Anxiety")
    SearchWord.objects.create(words="worried", topic=anxiety)
    AudienceFactory(name="Dads")
    forres = VenueFactory(area=AreaFactory(name="Forres"))
    group = group_with_schedule(name="Calm Corner", schedule_kwargs={"venue": forres})
    group.topics.add(anxiety)
    assert list(Group.objects.search("worried dads in forres")) == []
    plan = search_plan("worried in forres")
    assert "directory_group_search_vector" in plan
    for table in ("directory_group_topics", "directory_schedule", "directory_extrasession"):
        assert table not in plan
    assert list(Group.objects.search("worried in forres")) == [group]


def test_the_indexed_search_finds_what_it_always_found():
    group_with_schedule(name="Sleep Swap")
    group_with_schedule(name="Tea Time", description="We talk about SLEEP and feeding.")
    group_with_schedule(name="Dads Den")
    found = Group.objects.published().search("sleep")
    assert sorted(found.values_list("name", flat=True)) == ["Sleep Swap", "Tea Time"]
