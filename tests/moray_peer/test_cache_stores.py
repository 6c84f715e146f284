"""Rate limits and sign-in lockouts live in a store page caching never writes to, so no
number of page visits can push one out (moray_peer.settings, CACHES)."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from directory.page_cache import keeps_query, page_key
from moray_peer import settings as site_settings
from tests.accounts.organiser_world import verified
from tests.factories import PASSWORD, AreaFactory, UserFactory

# On PostgreSQL the cache tables are reached through their own "cache" connection (settings).
pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.fixture
def production_caches(settings):
    """The caches a site without Redis runs on: the database's cache tables."""
    settings.CACHES = {
        "default": site_settings.cache_store(
            "CACHE_URL", "db://", table="cache_table", key_prefix="t", max_entries=1_000_000
        ),
        "pages": site_settings.cache_store(
            "PAGE_CACHE_URL", "db://", table="page_cache_table", key_prefix="t", max_entries=300
        ),
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    for alias in settings.CACHES:
        caches[alias].clear()


def lock_out(client, email):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": email, "password": "wrong"})


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_a_flood_of_page_visits_leaves_a_sign_in_lockout_in_place(client, production_caches):
    verified(UserFactory(email="eilidh@example.org"))
    lock_out(client, "eilidh@example.org")
    for number in range(450):
        client.get(reverse("help"), {"from": number})
    response = sign_in(client, "eilidh@example.org")
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.text


def test_filling_the_page_cache_past_its_size_leaves_a_lockout_in_place(client, production_caches):
    verified(UserFactory(email="eilidh@example.org"))
    lock_out(client, "eilidh@example.org")
    pages = caches["pages"]
    for number in range(400):
        pages.set(f"page-{number}", "<p>page</p>", 60)
    assert "Too many failed login attempts" in sign_in(client, "eilidh@example.org").text


def test_the_page_and_limit_stores_are_separate_on_every_kind_of_cache():
    for url in ("db://", "locmem://", "redis://cache:6379/0"):
        limits = site_settings.cache_store(
            "CACHE_URL", url, table="cache_table", key_prefix="m", max_entries=10
        )
        pages = site_settings.cache_store(
            "PAGE_CACHE_URL", url, table="page_cache_table", key_prefix="m-pages", max_entries=10
        )
        assert limits != pages
    assert site_settings.CACHES["default"] != site_settings.CACHES["pages"]


def test_it_keeps_pages_for_addresses_made_of_offered_choices():
    AreaFactory(slug="forres")
    assert keeps_query("")
    assert keeps_query("area=forres")
    assert keeps_query("q=&area=forres&format=online&page=2")


@pytest.mark.parametrize(
    "query",
    [
        "from=1",  # a name no form sends
        "q=sleep",  # a search's free text
        "area=nowhere",  # an area we do not have
        "format=carrier-pigeon",
        "page=9999",
        "page=two",
        "start=1999-01-01",
        "area=forres&area=forres",
        "&".join(f"format={f}" for f in ("in-person", "online", "phone", "drop-in", "booking"))
        + "&practical=free&practical=bus&practical=pram&practical=parking",
        "area",  # not name=value
    ],
)
def test_it_never_keeps_pages_for_made_up_query_strings(query):
    AreaFactory(slug="forres")
    assert not keeps_query(query)


def test_a_made_up_query_string_is_served_fresh_and_not_kept(client, rf, production_caches):
    for query in ("?from=flood-1", "?from=flood-2", ""):
        assert client.get(reverse("help") + query).status_code == 200
    pages = caches["pages"]
    assert pages.get(page_key(rf.get(reverse("help")))) is not None
    assert pages.get(page_key(rf.get(reverse("help") + "?from=flood-1"))) is None
    assert pages.get(page_key(rf.get(reverse("help") + "?from=flood-2"))) is None
