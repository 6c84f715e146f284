"""The site's URLs plus views that fail, for the error-page and transaction tests."""

import psycopg
from django.db import InternalError, OperationalError
from django.http import HttpResponse
from django.urls import path

from directory.models import Area
from moray_peer import urls


def broken(request):
    raise RuntimeError("a bug")


def database_away(request):
    raise OperationalError("server closed the connection unexpectedly")


def database_read_only(request):
    """What Django raises when PostgreSQL takes no writes (a replica, a full disk)."""
    try:
        raise psycopg.errors.ReadOnlySqlTransaction(
            "cannot execute INSERT in a read-only transaction"
        )
    except psycopg.Error as exc:
        raise InternalError(*exc.args) from exc


def session_not_saved(request):
    """What the session middleware raises when the database refused to save the session."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.core.exceptions import BadRequest

    try:
        try:
            database_read_only(request)
        except InternalError as exc:
            raise UpdateError from exc
    except UpdateError as exc:
        raise BadRequest("The request's session was deleted before the request completed.") from exc


def write_then_fail(request):
    Area.objects.create(name="Half written", slug="half-written")
    raise RuntimeError("a bug after the first write")


def write(request):
    Area.objects.create(name="Written", slug="written")
    return HttpResponse("saved")


urlpatterns = [
    path("broken/", broken),
    path("database-away/", database_away),
    path("database-read-only/", database_read_only),
    path("session-not-saved/", session_not_saved),
    path("write-then-fail/", write_then_fail),
    path("write/", write),
    *urls.urlpatterns,
]
handler400 = urls.handler400
handler500 = urls.handler500
