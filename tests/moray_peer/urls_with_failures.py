"""The site's URLs plus views that fail, for the error-page and transaction tests."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from directory.models import Area
from moray_peer import urls


def broken(request):
    raise RuntimeError("a bug")


def database_away(request):
    raise OperationalError("server closed the connection unexpectedly")


def write_then_fail(request):
    Area.objects.create(name="Half written", slug="half-written")
    raise RuntimeError("a bug after the first write")


def write(request):
    Area.objects.create(name="Written", slug="written")
    return HttpResponse("saved")


urlpatterns = [
    path("broken/", broken),
    path("database-away/", database_away),
    path("write-then-fail/", write_then_fail),
    path("write/", write),
    *urls.urlpatterns,
]
handler500 = urls.handler500
