"""The short-lived cache of public pages for visitors without a session (directory.page_cache)."""

import gzip
import time
from types import SimpleNamespace

import pytest
from csp.middleware import CSPMiddleware
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from directory import page_cache
from directory.models import Group
from directory.page_cache import GENERATION_KEY, RecentPages, cache_public_page, recent_pages
from evidence.models import DailyCount, Metric
from tests.evidence.conftest import PHONE_BROWSER
from tests.factories import TopicFactory, UserFactory, group_with_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    page_cache._unretired.clear()


def rename_without_saving(group, name):
    """A change the cache is not told about (a bulk update), to see which page is served."""
    Group.objects.filter(pk=group.pk).update(name=name)


def test_a_visitor_without_a_session_is_served_the_kept_page(client):
    group = group_with_schedule(name="Cuppa and Chat")
    assert "Cuppa and Chat" in client.get("/").text
    rename_without_saving(group, "Renamed Quietly")
    assert "Cuppa and Chat" in client.get("/").text


def test_a_kept_page_is_sent_compressed_once_made_with_the_same_etag(client):
    group_with_schedule(name="Cuppa and Chat")
    made = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    kept = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert kept["Content-Encoding"] == "gzip"
    assert gzip.decompress(kept.content) == gzip.decompress(made.content)
    assert kept["ETag"] == made["ETag"]
    plain = client.get("/")
    assert "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(kept.content)


def test_each_address_is_kept_apart(client):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    rename_without_saving(group, "Renamed Quietly")
    assert "Renamed Quietly" in client.get("/?q=cuppa").text


def test_saving_directory_data_retires_the_kept_pages(client):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    client.get(group.get_absolute_url())
    group.name = "Tea and Talk"
    group.save()
    assert "Tea and Talk" in client.get("/").text
    assert "Tea and Talk" in client.get(group.get_absolute_url()).text


def test_changing_a_groups_topics_retires_the_kept_pages(client):
    group = group_with_schedule()
    client.get(group.get_absolute_url())
    group.topics.add(TopicFactory(name="Feeding"))
    assert "Feeding" in client.get(group.get_absolute_url()).text


def test_a_signed_in_organiser_always_gets_a_fresh_page(client):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    rename_without_saving(group, "Renamed Quietly")
    client.force_login(UserFactory())
    assert "Renamed Quietly" in client.get("/").text


def test_nothing_is_kept_when_the_cache_time_is_zero(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    rename_without_saving(group, "Renamed Quietly")
    assert "Renamed Quietly" in client.get("/").text


def test_a_kept_page_counts_a_visit_for_every_visitor_it_is_served_to():
    group = group_with_schedule()
    visitor = Client(HTTP_USER_AGENT=PHONE_BROWSER)
    for _ in range(3):
        assert visitor.get(group.get_absolute_url()).status_code == 200
    row = DailyCount.objects.get(metric=Metric.GROUP_VIEW, key=str(group.pk))
    assert row.count == 3


def test_a_page_first_made_for_a_crawler_still_counts_people_served_from_the_cache():
    group = group_with_schedule()
    Client(HTTP_USER_AGENT="Googlebot/2.1").get(group.get_absolute_url())
    Client(HTTP_USER_AGENT=PHONE_BROWSER).get(group.get_absolute_url())
    row = DailyCount.objects.get(metric=Metric.GROUP_VIEW, key=str(group.pk))
    assert row.count == 1


class CacheServerDown:
    def get_many(self, *args, **kwargs):
        raise ConnectionError("the cache server is down")

    set = get_many


def test_a_cache_that_is_down_costs_speed_not_pages_or_saves(client, monkeypatch):
    monkeypatch.setattr("directory.page_cache.page_store", CacheServerDown)
    monkeypatch.setattr("directory.facets.page_store", CacheServerDown)
    group = group_with_schedule(name="Cuppa and Chat")
    group.name = "Tea and Talk"
    group.save()
    assert "Tea and Talk" in client.get("/?area=elgin").text


def test_pages_kept_before_a_save_made_while_the_cache_was_down_are_not_served_after(
    client, monkeypatch
):
    group = group_with_schedule(name="Cuppa and Chat")
    assert "Cuppa and Chat" in client.get(group.get_absolute_url()).text  # kept
    with monkeypatch.context() as down:
        down.setattr("directory.page_cache.page_store", CacheServerDown)
        group.name = "Tea and Talk"
        group.save()  # could not retire the kept pages
    # The cache answers again, still holding the page from before the save.
    assert "Tea and Talk" in client.get(group.get_absolute_url()).text


def served_twice(view_body):
    """How many times the view ran for two identical requests from a visitor."""
    calls = []

    @cache_public_page
    def view(request):
        calls.append(request)
        return view_body(request)

    for _ in range(2):
        CSPMiddleware(view)(RequestFactory().get("/somewhere/"))
    return len(calls)


def test_a_plain_page_is_made_once():
    assert served_twice(lambda request: HttpResponse("same for everyone")) == 1


def test_a_page_that_sets_a_cookie_is_not_kept():
    def body(request):
        response = HttpResponse("personal")
        response.set_cookie("flavour", "ginger")
        return response

    assert served_twice(body) == 2


def test_a_page_with_a_csrf_token_is_not_kept():
    assert served_twice(lambda request: HttpResponse(get_token(request))) == 2


def test_a_page_with_a_csp_nonce_is_not_kept():
    assert served_twice(lambda request: HttpResponse(f"<script nonce='{request.csp_nonce}'>")) == 2


def test_an_answer_other_than_200_is_not_kept():
    assert served_twice(lambda request: HttpResponseNotFound("not here yet")) == 2


def test_a_page_marked_private_is_not_kept():
    def body(request):
        response = HttpResponse("mine")
        response["Cache-Control"] = "private"
        return response

    assert served_twice(body) == 2


# The pages a worker keeps in its own memory


@pytest.fixture
def worker_memory(settings):
    settings.PUBLIC_PAGE_RECHECK_SECONDS = 60
    recent_pages.forget()
    yield
    recent_pages.forget()


class SharedCacheReads:
    """The shared cache, counting the pages read from it."""

    def __init__(self, monkeypatch):
        self.reads = 0
        monkeypatch.setattr("directory.page_cache.page_store", lambda: self)

    def get_many(self, keys):
        self.reads += 1
        return caches["pages"].get_many(keys)

    def set(self, *args):
        return caches["pages"].set(*args)


def test_a_worker_sends_a_page_it_served_lately_without_asking_the_shared_cache(
    client, worker_memory, monkeypatch
):
    group_with_schedule(name="Cuppa and Chat")
    made = client.get("/")
    shared = SharedCacheReads(monkeypatch)
    again = client.get("/")
    assert shared.reads == 0
    assert again.content == made.content


def test_each_visitor_gets_a_copy_of_their_own(client, worker_memory):
    group_with_schedule(name="Cuppa and Chat")
    made = gzip.decompress(client.get("/", HTTP_ACCEPT_ENCODING="gzip").content)
    kept = client.get("/", HTTP_ACCEPT_ENCODING="gzip").content
    assert gzip.decompress(kept) == made
    plain = client.get("/")
    assert "Content-Encoding" not in plain
    assert plain.content == made
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip").content == kept


def test_a_save_through_this_worker_shows_at_once(client, worker_memory):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    group.name = "Tea and Talk"
    group.save()
    assert "Tea and Talk" in client.get("/").text


def test_a_save_through_another_worker_shows_once_the_shared_cache_is_asked_again(
    client, worker_memory, settings
):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    rename_without_saving(group, "Tea and Talk")
    caches["pages"].set(GENERATION_KEY, "after a save in another worker", None)
    assert "Cuppa and Chat" in client.get("/").text  # within PUBLIC_PAGE_RECHECK_SECONDS
    settings.PUBLIC_PAGE_RECHECK_SECONDS = 0  # as if that time had passed
    assert "Tea and Talk" in client.get("/").text


def test_a_worker_keeps_a_page_no_longer_than_the_shared_cache_does(
    client, worker_memory, monkeypatch
):
    group = group_with_schedule(name="Cuppa and Chat")
    client.get("/")
    rename_without_saving(group, "Tea and Talk")
    later = time.time() + 61
    monkeypatch.setattr(
        "directory.page_cache.time", SimpleNamespace(time=lambda: later, monotonic=time.monotonic)
    )
    caches["pages"].clear()  # the shared copy has expired too
    assert "Tea and Talk" in client.get("/").text


def test_a_worker_keeps_only_its_most_recently_served_pages(worker_memory):
    pages = RecentPages(size=2)
    pages.saw_generation("current")
    for key in ("first", "second", "third"):
        pages.keep(key, {"generation": "current", "expires": time.time() + 60, "page": key})
    assert pages.get("first") is None
    assert pages.get("third")["page"] == "third"


def test_a_worker_keeps_no_page_made_before_the_latest_save(worker_memory):
    pages = RecentPages(size=2)
    pages.saw_generation("after the save")
    pages.keep("page", {"generation": "before the save", "expires": time.time() + 60})
    assert pages.get("page") is None
