"""Pages are gzipped for visitors without a session, never for signed-in organisers (BREACH)."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from moray_peer.compression import PublicGZipMiddleware
from tests.factories import UserFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def test_a_public_page_is_gzipped_for_a_browser_that_accepts_it(client):
    group_with_schedule(name="Cuppa and Chat")
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Cuppa and Chat" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]


def test_a_browser_that_does_not_accept_gzip_gets_plain_html(client):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert "<html" in response.text


def test_a_signed_in_organisers_pages_are_never_compressed(client):
    client.force_login(UserFactory())
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_a_response_that_sets_a_cookie_is_not_compressed():
    def view(request):
        response = HttpResponse("a page long enough to be worth compressing " * 20)
        response.set_cookie("csrftoken", "secret")
        return response

    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    response = PublicGZipMiddleware(view)(request)
    assert not response.has_header("Content-Encoding")


def test_a_compressed_page_still_answers_a_repeat_visit_with_304(client):
    group_with_schedule()
    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    again = client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
