"""What a load balancer asks, and what a visitor sees when the database is away.

`/healthz` answers 200 when the database answers and every migration is applied, 503 otherwise.
It is answered by a middleware near the top of the stack, so a probe needs no valid Host
header, gets no cookie and costs one query. It answers 200 with "status": "degraded" when the
site serves but not fully: the database takes no writes (read-only, as a replica or a full
disk leaves it), or the shared cache (Redis) is not answering. Keeping such a server in the
load balancer keeps parents' pages coming; the answer says what is wrong. Every check has a
timeout (settings), so a hung dependency is reported, not waited on.

A request that fails because the database is away or takes no writes gets the 503 "back in a
moment" page with Retry-After (saying, after a POST, that the change was not saved), and its
database connections are dropped when it ends, so the next request starts on a fresh one
rather than on a connection still stuck read-only.
"""

import logging
import sys
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.db.backends.signals import connection_created
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from moray_peer.outages import Outage

HEALTH_PATH = "/healthz"
# PostgreSQL's "cannot execute ... in a read-only transaction".
READ_ONLY_SQLSTATE = "25006"
# Connection exceptions, insufficient resources (a full disk), operator intervention (shutdown).
OUTAGE_SQLSTATE_CLASSES = ("08", "53", "57")
# SQLite calls a missing table an OperationalError too: that is a bug, not an outage.
SQLITE_SCHEMA_ERRORS = ("no such table", "no such column")

logger = logging.getLogger(__name__)
database_outage = Outage("The database", logger)

# Once every migration is applied it stays so for this code: check the graph only until then.
_migrations_applied = {"value": False}


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def check_health():
    """(status, details): "ok", "degraded" (serving, not fully) or "unavailable"."""
    try:
        writable = database_is_writable()
        if not _migrations_applied["value"]:
            pending = unapplied_migrations()
            if pending:
                return "unavailable", {
                    "database": "ok",
                    "migrations": f"{len(pending)} unapplied",
                }
            _migrations_applied["value"] = True
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return "unavailable", {"database": "unreachable"}
    if writable:
        database_outage.answered()
    details = {"database": "ok" if writable else "read-only", "migrations": "ok"}
    cache_state = shared_cache_state()
    if cache_state:
        details["cache"] = cache_state
    degraded = not writable or cache_state not in (None, "ok")
    return "degraded" if degraded else "ok", details


def database_is_writable():
    """Whether this connection's transactions may write. A read-only connection is dropped, so
    the next probe asks a fresh one: the database may take writes again by then."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            return True
        cursor.execute("SHOW transaction_read_only")
        read_only = cursor.fetchone()[0] == "on"
    if read_only:
        connection.close()
    return not read_only


def shared_cache_state():
    """ "ok" or "not answering" for a Redis cache (asked now, with its timeouts); None for a
    cache that is no server of its own (the database's table, local memory)."""
    probe = getattr(cache, "probe", None)
    if probe is None:
        return None
    return "ok" if probe() else "not answering"


def forget_migration_state():
    _migrations_applied["value"] = False


def healthz(request):
    status, details = check_health()
    response = JsonResponse(
        {"status": status, **details}, status=503 if status == "unavailable" else 200
    )
    response["Cache-Control"] = "no-store"
    # Answered before the CSP middleware runs: the tightest policy, set here.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response["X-Frame-Options"] = "DENY"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


def database_unavailable(exc):
    """Whether `exc` (or what it arose from) says the database is away, hung, full or taking
    no writes: a moment's trouble worth a retry, not a bug."""
    chain = []
    while exc is not None and len(chain) < 5:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    for link in chain:
        sqlstate = getattr(link, "sqlstate", None)
        if sqlstate:  # PostgreSQL says what it was
            return sqlstate == READ_ONLY_SQLSTATE or sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES
    for link in chain:
        if isinstance(link, InterfaceError):
            return True
        if isinstance(link, OperationalError):
            return not str(link).startswith(SQLITE_SCHEMA_ERRORS)
    return False


def note_database_error(exc):
    """For code that carries on after a database error (a count, a cached page): when `exc`
    is an outage, tell it (once) and drop the connections as the request ends. True if so."""
    if not database_unavailable(exc):
        return False
    database_outage.failed(exc)
    drop_database_connections()
    return True


def drop_database_connections():
    """Close every connection this thread holds as its request ends (Django's request_finished
    closes a connection whose `close_at` has passed), so the next request gets a fresh one."""
    for conn in connections.all(initialized_only=True):
        conn.close_at = 0


def fresh_connections_during_an_outage(**_signal_kwargs):
    """While this process's last word from the database was an outage, each request starts on
    a fresh connection; once it is over, so does a request on a connection opened during it.
    One opened while the database took no writes would otherwise stay read-only for
    CONN_MAX_AGE after the database is writable again. A write that goes through (or /healthz
    finding the database writable) ends the outage."""
    down, last = database_outage.is_down, database_outage.last
    if not down and last is None:
        return
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue
        opened = getattr(conn, "moray_opened_at", 0.0)
        if down or last[0] <= opened <= last[1]:
            conn.close()


def note_opening(connection, **_signal_kwargs):
    connection.moray_opened_at = time.monotonic()


connection_created.connect(note_opening, dispatch_uid="moray-db-opened")
request_started.connect(fresh_connections_during_an_outage, dispatch_uid="moray-fresh-db")


def bad_request(request, exception):
    """Django's 400, unless the database is why: a session it could not save (read-only)
    reaches here as "session interrupted", and gets the 503 "not saved" page instead."""
    if database_unavailable(exception):
        try:
            raise exception
        except type(exception):
            return server_error(request)
    return defaults.bad_request(request, exception)


def server_error(request):
    """The 500 page, or a 503 asking to try again when the database is briefly away or takes
    no writes.

    Rendered without the request's context processors: they may need the database.
    """
    unavailable = note_database_error(sys.exception())
    if unavailable:
        request.database_outage_told = True
    template = loader.get_template("500.html")
    body = template.render(
        {
            "unavailable": unavailable,
            "not_saved": unavailable and request.method not in ("GET", "HEAD"),
            "quick_exit_url": settings.QUICK_EXIT_URL,
        }
    )
    response = HttpResponse(body, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "5"
    return response
