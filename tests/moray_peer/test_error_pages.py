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
        "/groups/anything/report/",
        {"details": "Call 0800 FAKE now"},
        headers={"Origin": "https://evil.example", "Referer": "https://evil.example/x"},
    )
    assert response.status_code == 403
    assert "Your changes were not saved" in response.text
    assert "0800 FAKE" not in response.text
    assert "evil.example" not in response.text
