"""Pages for signed-in people are never stored, and sessions end when left idle."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.accounts.organiser_world import make_world

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_tells_browsers_and_proxies_not_to_keep_it(client):
    world = make_world()
    client.force_login(world.admin)
    for url in (reverse("dashboard"), reverse("group_list"), "/api/openreferral/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
        assert "public" not in cache_control


def test_a_parents_page_may_still_be_kept(client):
    assert "no-store" not in client.get(reverse("help")).get("Cache-Control", "")


def test_a_session_left_idle_ends_and_one_in_use_goes_on(client):
    world = make_world()
    client.force_login(world.admin)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start + idle * 0.75, tick=False):
        assert client.get(reverse("dashboard")).status_code == 200
    with time_machine.travel(start + idle * 1.5, tick=False):
        assert client.get(reverse("dashboard")).status_code == 200  # in use: still signed in
    with time_machine.travel(start + idle * 2.6, tick=False):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_session_lasts_no_more_than_an_hour_idle_by_default():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
