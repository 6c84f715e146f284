"""The facet terms (areas, topics, audiences) come from the cache, not a query per request."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AreaFactory, TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db

FACET_TABLES = ("directory_area", "directory_topic", "directory_audience")


def queries_for(client, path):
    client.get(path)  # the first visit reads the terms into the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_filter_form_reads_no_facet_table(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    AreaFactory(name="Elgin")
    TopicFactory(name="Anxiety")
    group_with_schedule()
    for path in ("/", "/?area=elgin&topic=anxiety", "/whats-on/?area=elgin"):
        sql = queries_for(client, path)
        assert not [q for q in sql if any(f'FROM "{t}"' in q for t in FACET_TABLES)], path


def test_a_new_area_is_offered_at_once(client):
    AreaFactory(name="Elgin")
    client.get("/")
    AreaFactory(name="Findhorn")
    assert 'value="findhorn"' in client.get("/").text


def test_a_new_nearby_area_is_suggested_at_once(client):
    elgin, keith = AreaFactory(name="Elgin"), AreaFactory(name="Keith")
    group_with_schedule()  # meets in Elgin
    client.get("/?area=keith")
    keith.nearby.add(elgin)
    labels = [s["label"] for s in client.get("/?area=keith").context["suggestions"]]
    assert "Also in nearby Elgin" in labels


def test_the_ways_to_widen_an_empty_search_are_counted_in_one_query(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    areas = [AreaFactory(name=name) for name in ("Elgin", "Keith", "Buckie", "Forres")]
    AreaFactory(name="Online", is_online=True)
    for area in areas[1:]:
        areas[0].nearby.add(area)
    TopicFactory(name="Feeding")
    group_with_schedule()
    sql = queries_for(client, "/?area=elgin&topic=feeding&format=drop-in&format=online&q=zz")
    assert len([q for q in sql if '"candidate_' in q]) == 1


class SharedCacheDown:
    def get_many(self, *args, **kwargs):
        raise ConnectionError("the cache server is down")

    set = get_many


@pytest.mark.parametrize("path", ["/", "/?q=worried+elgin", "/?q=blorp+florp+glorp&area=elgin"])
def test_with_the_shared_cache_down_a_page_reads_the_terms_once(client, monkeypatch, path):
    """The form's choices, the filters' checks and every suggestion of a search ask for the
    same terms: one read a request, not one each (49 to 173 queries a page before)."""
    call_command("load_terms", verbosity=0)
    group_with_schedule()
    monkeypatch.setattr("directory.facets.page_store", SharedCacheDown)
    monkeypatch.setattr("directory.page_cache.page_store", SharedCacheDown)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries.captured_queries) <= 12
