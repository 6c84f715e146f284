"""Friendly 404 and 500 pages, each with the "Need help now?" panel and the quick exit."""

import time

import pytest
from django.template import loader
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_outage_left_over():
    from moray_peer import health

    health.database_outage.answered()
    yield
    health.database_outage.answered()


def test_an_unknown_page_gets_a_friendly_404_with_the_help_panel(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.text
    assert 'id="need-help"' in response.text
    assert "116 123" in response.text
    assert "data-quick-exit" in response.text
    assert response.cookies == {}


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render({})
    assert "Sorry, something went wrong" in html
    assert 'id="need-help"' in html
    assert "Samaritans" in html


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_bug_gets_the_friendly_500_page_with_a_working_quick_exit(settings):
    settings.QUICK_EXIT_URL = "https://www.example.com/weather"
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html
    assert 'id="need-help"' in html
    assert 'href="https://www.example.com/weather"' in html


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_lost_database_connection_asks_to_try_again_shortly():
    response = Client(raise_request_exception=False).get("/database-away/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "back in a moment" in response.content.decode()


def test_a_page_someone_may_not_open_gets_a_friendly_403_with_a_way_back(client):
    from tests.accounts.organiser_world import make_world

    world = make_world()
    client.force_login(world.editor)
    response = client.get(f"/manage/organisations/{world.organisation.slug}/members/")
    assert response.status_code == 403
    assert "You can't open this page" in response.text
    assert 'href="/manage/"' in response.text
    assert 'id="need-help"' in response.text


def test_a_failed_form_check_says_the_changes_were_not_saved_and_leads_back_to_the_form():
    from tests.accounts.organiser_world import make_world

    world = make_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.editor)
    form_url = f"http://testserver/manage/groups/{world.group.pk}/edit/"
    response = client.post(
        f"/manage/groups/{world.group.pk}/edit/",
        {"summary": "Tea, chat and a warm welcome", "password": "hunter2", "version": "3"},
        headers={"Referer": form_url, "Origin": "http://testserver"},
    )
    assert response.status_code == 403
    assert "Your changes were not saved" in response.text
    assert f'href="{form_url}"' in response.text
    assert "Tea, chat and a warm welcome" in response.text  # to copy back in
    assert "hunter2" not in response.text
    assert "CSRF verification failed" not in response.text


def test_a_forged_post_from_another_site_is_not_shown_back():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/manage/groups/1/edit/",
        {"details": "Call 0800 FAKE now"},
        headers={"Origin": "https://evil.example", "Referer": "https://evil.example/x"},
    )
    assert response.status_code == 403
    assert "Your changes were not saved" in response.text
    assert "0800 FAKE" not in response.text
    assert "evil.example" not in response.text


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_change_a_read_only_database_refused_says_it_was_not_saved():
    response = Client(raise_request_exception=False).post("/database-read-only/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "back in a moment" in html
    assert "Your change was not saved" in html
    assert "This is our fault" not in html


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_page_the_database_could_not_give_does_not_speak_of_a_change():
    response = Client(raise_request_exception=False).get("/database-away/")
    assert "Your change was not saved" not in response.content.decode()


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path, dropped", [("/write/", False), ("/database-read-only/", True)])
def test_after_a_read_only_error_the_connection_is_dropped_as_the_request_ends(
    monkeypatch, path, dropped
):
    from django.db import close_old_connections, connection

    connection.ensure_connection()
    connection.close_at = None  # a persistent connection (CONN_MAX_AGE), as in production
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    Client(raise_request_exception=False).post(path)
    close_old_connections()  # what request_finished does (the test client leaves it out)
    assert bool(closed) is dropped


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_an_outage_logs_one_traceback_not_one_per_request(caplog, settings):
    import logging.config

    from moray_peer import health

    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger().addHandler(caplog.handler)
    health.database_outage.answered()
    with caplog.at_level(logging.WARNING):
        for _ in range(20):
            Client(raise_request_exception=False).post("/database-read-only/")
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1
    assert tracebacks[0].getMessage() == "The database is not answering; carrying on without it"
    assert not [r for r in caplog.records if r.name == "django.request"]
    health.database_outage.answered()


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_bug_is_still_logged_with_its_traceback_every_time(caplog, settings):
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger().addHandler(caplog.handler)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        for _ in range(2):
            Client(raise_request_exception=False).get("/broken/")
    assert len([r for r in caplog.records if r.exc_info]) == 2


@pytest.mark.django_db(transaction=True)
def test_during_an_outage_each_request_starts_on_a_fresh_connection(client, monkeypatch):
    from django.db import connection

    from moray_peer import health

    connection.ensure_connection()
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    client.get("/help/")
    assert not closed
    health.database_outage.failed(RuntimeError("read-only"))
    try:
        client.get("/help/")
        assert closed
    finally:
        health.database_outage.answered()


@pytest.mark.urls("tests.moray_peer.urls_with_failures")
def test_a_session_a_read_only_database_could_not_save_gets_the_503_not_a_400():
    response = Client(raise_request_exception=False).post("/session-not-saved/")
    assert response.status_code == 503
    assert "Your change was not saved" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_after_an_outage_a_connection_opened_during_it_is_replaced(client, monkeypatch):
    from django.db import connection

    from moray_peer import health

    connection.ensure_connection()
    before = connection.moray_opened_at
    health.database_outage.failed(RuntimeError("read-only"))
    connection.moray_opened_at = time.monotonic()  # opened while the database took no writes
    health.database_outage.answered()
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    client.get("/help/")
    assert closed
    closed.clear()
    connection.moray_opened_at = before  # opened before the outage: kept
    client.get("/help/")
    assert not closed


def test_a_session_that_cannot_be_saved_in_an_outage_asks_to_try_again(client, monkeypatch):
    from django.contrib.sessions.models import Session
    from django.db import OperationalError
    from django.urls import reverse

    from tests.accounts.organiser_world import make_world

    world = make_world()
    client.force_login(world.admin)

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", database_gone)
    # "Still correct" saves, then leaves a message in the session: the session save fails.
    response = client.post(reverse("group_confirm", args=[world.group.pk]))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "try again" in response.text.lower()


def test_a_real_bad_request_still_gets_a_400(client):
    response = client.get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},
        {"Origin": "null", "Referer": "/manage/"},
        {"Referer": "/manage/groups/1/edit/"},
        {"Origin": "http://testserver.evil.example"},
    ],
)
def test_a_post_from_a_sandboxed_frame_or_an_unknown_page_is_not_shown_back(headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/manage/groups/1/edit/",
        {"details": "Our number has changed: call 0906 000"},
        headers=headers,
    )
    assert response.status_code == 403
    assert "0906 000" not in response.text
