"""The site's URLs plus /bench-hello/: the cheapest page Django can serve, through the same
middleware and the same gunicorn, as the floor every page's throughput is compared with."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def hello(request):
    return HttpResponse("Hello", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench-hello/", hello, name="bench_hello"),
    path("", include("moray_peer.urls")),
]
