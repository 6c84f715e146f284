"""/healthz: what a load balancer asks before sending traffic."""

from unittest import mock

import pytest
from django.db import OperationalError

from moray_peer import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_migration_state():
    health.forget_migration_state()
    yield
    health.forget_migration_state()


def test_it_answers_200_with_json_when_the_database_is_ready(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_it_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_it_answers_503_while_migrations_are_unapplied(client):
    with mock.patch.object(health, "unapplied_migrations", return_value=["0002_something"]):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied"


def test_it_answers_503_when_the_database_is_unreachable(client):
    with mock.patch.object(
        health.connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_it_costs_one_query_once_migrations_are_known_to_be_applied(
    client, django_assert_num_queries
):
    client.get("/healthz")
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_it_answers_a_probe_with_any_host_header_and_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_it_says_when_the_database_takes_no_writes_and_keeps_serving(client):
    with mock.patch.object(health, "database_is_writable", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "read-only", "migrations": "ok"}


def test_on_postgresql_a_read_only_connection_is_reported_and_dropped(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("read-only transactions are PostgreSQL's (set DATABASE_URL)")
    closed = []
    monkeypatch.setattr(connection, "close", lambda: closed.append(True))
    assert health.database_is_writable() is True
    assert not closed
    with connection.cursor() as cursor:
        cursor.execute("SET transaction_read_only = on")  # as a replica or full disk answers
    assert health.database_is_writable() is False
    assert closed  # the next probe asks a fresh connection


@pytest.fixture
def redis_stopped(settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "moray_peer.redis_cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def test_it_says_when_redis_is_not_answering_and_keeps_serving(client, redis_stopped):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "migrations": "ok",
        "cache": "not answering",
    }


def test_a_hung_redis_is_reported_not_waited_on(client, settings):
    import socket

    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(4)  # takes connections, never answers
    settings.CACHES = {
        "default": {
            "BACKEND": "moray_peer.redis_cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung.getsockname()[1]}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    try:
        assert client.get("/healthz").json()["cache"] == "not answering"
    finally:
        hung.close()
