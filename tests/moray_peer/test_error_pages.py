"""Friendly 404 and 500 pages, each with the "Need help now?" panel and the quick exit."""

import pytest
from django.template import loader
from django.test import Client

pytestmark = pytest.mark.django_db


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
