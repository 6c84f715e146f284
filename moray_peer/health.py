"""What a load balancer asks, and what a visitor sees when the database is away.

`/healthz` answers 200 when the database answers and every migration is applied, 503 otherwise.
It is answered by a middleware near the top of the stack, so a probe needs no valid Host
header, gets no cookie and costs one `SELECT 1`.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

HEALTH_PATH = "/healthz"

# Once every migration is applied it stays so for this code: check the graph only until then.
_migrations_applied = {"value": False}


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def check_health():
    """(healthy, details): whether the database answers and the schema is current."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied["value"]:
            pending = unapplied_migrations()
            if pending:
                return False, {"database": "ok", "migrations": f"{len(pending)} unapplied"}
            _migrations_applied["value"] = True
    except DatabaseError:
        return False, {"database": "unreachable"}
    return True, {"database": "ok", "migrations": "ok"}


def forget_migration_state():
    _migrations_applied["value"] = False


def healthz(request):
    healthy, details = check_health()
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", **details}, status=200 if healthy else 503
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


def caused_by_outage(exception):
    """Whether `exception`, or what it was raised from or while handling, is the database
    not answering (a session that could not be saved is a "bad request" raised from one)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def bad_request(request, exception):
    """Django's 400 page, unless the request was fine and the database was away: then the
    503 asking to try again, as for any other request the outage stopped."""
    if caused_by_outage(exception):
        return server_error(request, exception)
    return defaults.bad_request(request, exception)


def server_error(request, exception=None):
    """The 500 page, or a 503 asking to try again when the database is briefly away.

    Rendered without the request's context processors: they may need the database.
    """
    unavailable = caused_by_outage(exception or sys.exception())
    template = loader.get_template("500.html")
    body = template.render({"unavailable": unavailable, "quick_exit_url": settings.QUICK_EXIT_URL})
    response = HttpResponse(body, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "5"
    return response
