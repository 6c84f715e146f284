"""One structured log line per request, with nothing that identifies a parent."""

import json
import logging

import pytest

from moray_peer.request_logging import JsonFormatter, path_from_route
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "moray_peer.requests"]


def test_each_request_is_logged_once_with_method_path_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    client.get("/whats-on/")
    client.get("/no-such-page/")
    records = request_lines(caplog)
    assert [(r.fields["method"], r.fields["path"], r.fields["status"]) for r in records] == [
        ("GET", "/whats-on/", 200),
        ("GET", "/no-such-page/", 404),
    ]
    assert all(r.fields["duration_ms"] >= 0 for r in records)


def test_it_never_logs_the_query_string_or_the_visitors_address(client, caplog):
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    client.get("/?q=postnatal+depression&area=elgin", REMOTE_ADDR="203.0.113.9")
    line = JsonFormatter().format(request_lines(caplog)[0])
    assert "postnatal" not in line
    assert "elgin" not in line
    assert "203.0.113.9" not in line
    assert json.loads(line)["path"] == "/"


def test_secrets_in_a_path_are_replaced_by_their_name(client, caplog):
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    client.get("/accounts/password/reset/key/4-set-password-secret/")
    logged = request_lines(caplog)[0].fields["path"]
    assert "set-password-secret" not in logged
    assert logged == "/accounts/password/reset/key/{uidb36}-{key}/"


def test_the_formatter_writes_one_json_object_per_line():
    record = logging.LogRecord("moray_peer.requests", logging.INFO, __file__, 1, "x", (), None)
    record.fields = {"method": "GET", "path": "/", "status": 200, "duration_ms": 3.2}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["status"] == 200
    assert entry["duration_ms"] == 3.2


def test_a_reset_key_containing_the_user_id_is_never_logged(client, caplog):
    # A one-character user id appears inside the key: replacing text would leave the key.
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    client.get("/accounts/password/reset/key/1-c1b1a1-0123456789abcdef1/")
    logged = request_lines(caplog)[0].fields["path"]
    assert logged == "/accounts/password/reset/key/{uidb36}-{key}/"
    assert "c1b1a1" not in logged


def test_an_invitation_token_is_logged_by_its_name(client, caplog):
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    client.get("/manage/invitations/abc-token-xyz/")
    logged = request_lines(caplog)[0].fields["path"]
    assert "abc-token-xyz" not in logged
    assert logged.endswith("/invitations/{token}/")


def test_arguments_that_are_not_secrets_are_logged_as_they_are(client, caplog):
    caplog.set_level(logging.INFO, logger="moray_peer.requests")
    group = GroupFactory(slug="forres-bumps", status="published")
    client.get(f"/groups/{group.slug}/")
    assert request_lines(caplog)[0].fields["path"] == "/groups/forres-bumps/"


def test_a_route_it_cannot_fill_is_logged_without_its_values():
    assert path_from_route("a/(.+)/", {}) == "a/(.+)/"
    assert path_from_route("a/<str:token>/b/", {"token": "s3cret"}) == "a/{token}/b/"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/key/1b-c1b1a1-0123456789abcdef1/",
        "/manage/invitations/Wq3-secret-invitation-token/",
    ],
)
def test_a_refused_form_is_logged_without_the_secret_in_its_address(path, settings):
    import io
    import logging

    from django.test import Client

    from moray_peer.request_logging import SecretsOutOfPathsFilter

    assert "secrets_out_of_paths" in settings.LOGGING["handlers"]["console"]["filters"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretsOutOfPathsFilter())
    csrf_logger = logging.getLogger("django.security.csrf")
    csrf_logger.addHandler(handler)
    try:
        response = Client(enforce_csrf_checks=True).post(path, {"password1": "x"})
    finally:
        csrf_logger.removeHandler(handler)
    assert response.status_code == 403
    logged = stream.getvalue()
    assert "Forbidden (CSRF" in logged
    assert "0123456789abcdef1" not in logged and "secret-invitation-token" not in logged
