"""A POST's writes are kept together: all of them, or none if the request fails."""

import pytest
from django.test import Client

from directory.models import Area

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.moray_peer.urls_with_failures")]


def test_a_post_that_fails_halfway_leaves_nothing_written():
    response = Client(raise_request_exception=False).post("/write-then-fail/")
    assert response.status_code == 500
    assert not Area.objects.filter(slug="half-written").exists()


def test_a_post_that_succeeds_keeps_its_writes():
    assert Client().post("/write/").status_code == 200
    assert Area.objects.filter(slug="written").exists()
