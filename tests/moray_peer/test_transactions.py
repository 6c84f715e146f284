"""A POST's writes are kept together: all of them, or none if the request fails."""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.test import Client

from directory.models import Area
from moray_peer.transactions import CacheRouter

FAILING_URLS = pytest.mark.urls("tests.moray_peer.urls_with_failures")


@pytest.mark.django_db
@FAILING_URLS
def test_a_post_that_fails_halfway_leaves_nothing_written():
    response = Client(raise_request_exception=False).post("/write-then-fail/")
    assert response.status_code == 500
    assert not Area.objects.filter(slug="half-written").exists()


@pytest.mark.django_db
@FAILING_URLS
def test_a_post_that_succeeds_keeps_its_writes():
    assert Client().post("/write/").status_code == 200
    assert Area.objects.filter(slug="written").exists()


def settings_with(env):
    """The DATABASES aliases and routers the settings give under `env` (a fresh process)."""
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "moray_peer.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_postgresql_the_database_cache_writes_outside_the_requests_transaction():
    postgres = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/moray"}
    assert settings_with(postgres) == [
        ["cache", "default"],
        ["moray_peer.transactions.CacheRouter"],
    ]
    assert settings_with({**postgres, "CACHE_URL": "redis://127.0.0.1:6379/0"}) == [["default"], []]
    assert settings_with({"DATABASE_URL": "sqlite:///x.sqlite3"}) == [["default"], []]


def test_the_router_sends_only_the_database_cache_to_its_connection():
    router = CacheRouter()
    assert router.db_for_write(DatabaseCache("cache_table", {}).cache_model_class) == "cache"
    assert router.db_for_read(DatabaseCache("cache_table", {}).cache_model_class) == "cache"
    assert router.db_for_write(Area) is None
