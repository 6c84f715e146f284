import pytest
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.client import Client


@pytest.fixture(autouse=True)
def fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EVIDENCE_BUFFER_URL = ""
    settings.EVIDENCE_PUSH_SECONDS = 0
    # Every kept page checked against the shared cache (tests/directory/test_page_cache.py
    # covers the pages a worker keeps in its own memory).
    settings.PUBLIC_PAGE_RECHECK_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


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
