import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.client import Client

LONDON = ZoneInfo("Europe/London")


def chosen_now(raw):
    """The instant named by TEST_NOW: ISO 8601, read in Europe/London unless it has an offset
    (`2027-03-27T23:30`, `2026-12-31 23:30`, `2027-01-04T07:55+00:00`)."""
    try:
        instant = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise pytest.UsageError(f"TEST_NOW must be an ISO 8601 date and time, not {raw!r}") from exc
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LONDON)
    return instant


def pytest_configure(config):
    """TEST_NOW runs the whole suite as if started at that instant (the clock then ticks on
    from there), so a test that passes only on some days or at some hours shows itself. Set
    before collection, so dates worked out when a test module is imported move too. CI runs
    the suite at a few awkward instants (.ci/run)."""
    raw = os.environ.get("TEST_NOW", "")
    if raw:
        traveller = time_machine.travel(chosen_now(raw), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    raw = os.environ.get("TEST_NOW", "")
    if raw:
        return f"TEST_NOW: running as if it were {chosen_now(raw).isoformat()} (Europe/London)"
    return None


@pytest.fixture(autouse=True)
def fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "pages")
    }
    settings.EVIDENCE_BUFFER_URL = ""
    settings.EVIDENCE_PUSH_SECONDS = 0
    # Every kept page checked against the shared cache (tests/directory/test_page_cache.py
    # covers the pages a worker keeps in its own memory).
    settings.PUBLIC_PAGE_RECHECK_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def fresh_demo_flag():
    from directory.context_processors import forget_demo_flag

    forget_demo_flag()
    yield
    forget_demo_flag()


def on_commit_marks():
    return {c.alias: len(c.run_on_commit) for c in connections.all(initialized_only=True)}


def run_on_commit_since(marks):
    """Run the on-commit work (emails) queued in the test's transaction since `marks`."""
    for connection in connections.all(initialized_only=True):
        before = marks.get(connection.alias, 0)
        waiting = connection.run_on_commit[before:]
        del connection.run_on_commit[before:]
        for _savepoints, work, _robust in waiting:
            work()


@pytest.fixture(autouse=True)
def on_commit_work_runs_as_each_request_ends(monkeypatch):
    """A test runs in a transaction that never commits, so emails sent on commit would never
    leave. A request or command that returns has left its own transaction, which would have
    committed by then: run what it queued, as that commit would. Work queued in a block that
    rolled back is already gone (Django drops it with the savepoint)."""
    for cls, name in ((Client, "request"), (BaseCommand, "execute")):
        original = getattr(cls, name)

        def then_commit(self, *args, _original=original, **kwargs):
            marks = on_commit_marks()
            result = _original(self, *args, **kwargs)
            run_on_commit_since(marks)
            return result

        monkeypatch.setattr(cls, name, then_commit)


@pytest.fixture(autouse=True)
def no_outage_carried_between_tests():
    """An outage one test provokes (a read-only database, a stopped cache) must not make the
    next test's requests start on fresh connections: each test starts with every service
    answering."""
    from moray_peer import health

    def forget():
        outage = health.database_outage
        outage.down_since, outage.last, outage.failures = None, None, 0

    forget()
    yield
    forget()
