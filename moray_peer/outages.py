"""A dependency that stops answering, told in the log in a few lines however long it lasts.

An outage of Redis or the database touches nearly every request; a warning with a traceback
for each would fill the disk (megabytes a second) and bury what matters. Each process tells
the first failure with its traceback, then at most one line every OUTAGE_LOG_SECONDS while it
goes on, and one line when the dependency answers again.
"""

import logging
import sys
import threading
import time

from django.conf import settings


class Outage:
    def __init__(self, what, logger):
        self.what = what
        self.logger = logging.getLogger(logger) if isinstance(logger, str) else logger
        self._lock = threading.Lock()
        self.down_since = None  # time.monotonic() of the first failure, None while answering
        self.last = None  # (began, ended) of the last outage that ended
        self.failures = 0
        self._told_at = 0.0
        self._told_failures = 0

    @property
    def is_down(self):
        return self.down_since is not None

    def failed(self, exc=None):
        """Note one failure (call it inside `except`, or pass the exception)."""
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            if self.down_since is None:
                self.down_since = self._told_at = now
                self._told_failures = self.failures
                self.logger.warning(
                    "%s is not answering; carrying on without it", self.what, exc_info=exc or True
                )
                return
            if now - self._told_at < settings.OUTAGE_LOG_SECONDS:
                return
            since_told = self.failures - self._told_failures
            self._told_at, self._told_failures = now, self.failures
        self.logger.warning(
            "%s is still not answering after %.0fs (%d more failures: %s)",
            self.what,
            now - self.down_since,
            since_told,
            _describe(exc),
        )

    def answered(self):
        """Note a success; tells the recovery once. Costs nothing while all is well."""
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            lasted, failures = now - self.down_since, self.failures
            self.last = (self.down_since, now)
            self.down_since, self.failures = None, 0
        self.logger.warning(
            "%s is answering again after %.1fs (%d failures)", self.what, lasted, failures
        )


class OutageToldFilter(logging.Filter):
    """Keeps django.request from logging the traceback of every request an outage fails:
    moray_peer.health's `database_outage` has told it (once, then once a minute)."""

    def filter(self, record):
        return not getattr(getattr(record, "request", None), "database_outage_told", False)


def _describe(exc):
    if exc is None:
        exc = sys.exception()
    return f"{type(exc).__name__}: {exc}" if exc is not None else "no detail"
