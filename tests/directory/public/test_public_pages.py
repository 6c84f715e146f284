"""What holds for every public page at once: no cookie for a visitor, and no odd query string
or address ever gives a server error."""

import pytest

from tests.factories import AreaFactory, TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "area=nowhere",
    "area=%00",
    "area=" + "x" * 5000,
    "format=teleport",
    "practical=%F0%9F%98%80",
    "topic=%F0%9F%98%80",
    "audience=' OR 1=1 --",
    "when=yesterday&when=" + "x" * 5000,
    "page=999999999999999999999999",
    "page=-1",
    "page=abc",
    "page=1e9",
    "q=" + "ä€😀" * 3000,
    "q=%00%01drop",
    "q=%E2%80%AE%E2%80%8Bbaby",  # right-to-left override and a zero-width space
    "q=' OR 1=1 --",
    "q=%25_%5C",  # the LIKE wildcards and escape
    "q[]=a&area[]=b",
    "start=2026-02-30",
    "start=0000-00-00",
    "start=" + "9" * 400,
    "%FF%FE=%FF",
    "area=elgin&area=elgin&area=elgin",
]


@pytest.fixture
def public_pages():
    AreaFactory(name="Elgin")
    TopicFactory(name="Anxiety")
    group = group_with_schedule()
    return [
        "/",
        group.get_absolute_url(),
        f"/groups/{group.slug}/calendar.ics",
        "/whats-on/",
        "/organisations/",
        group.organisation.get_absolute_url(),
        "/help/",
    ]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_query_strings_give_a_normal_page(client, public_pages, query):
    for url in public_pages:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/groups/%00/",
        "/groups/" + "a" * 2000 + "/",
        "/groups/%F0%9F%98%80/",
        "/groups/no-such-group/calendar.ics",
        "/organisations/no-such-organisation/",
    ],
)
def test_odd_addresses_are_simply_not_found(client, url):
    assert client.get(url).status_code == 404


def test_no_public_page_sets_a_cookie(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.cookies == {}, url
        assert "Set-Cookie" not in response.headers, url
