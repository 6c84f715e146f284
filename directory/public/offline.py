"""The site as a small installable web app: a manifest, a service worker of our own, and the
page it shows for anything not saved on the phone. The worker keeps the urgent-help page, this
offline page, the shortlists and the last ten group pages the visitor opened, on the phone
only: it sends nothing anywhere and sets no cookie."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory import helplines

# How many group pages and shortlists the phone keeps, newest first.
GROUP_PAGES_KEPT = 10
SHORTLISTS_KEPT = 5
# Bump when the worker's caching changes, so phones drop what the old one saved.
VERSION = "1"


@require_safe
def offline_page(request):
    return render(request, "offline/offline.html", {"noindex": True})


@require_safe
def service_worker(request):
    """Served from the site's root so it may look after every page."""
    precache = [
        reverse("offline"),
        reverse("help"),
        static("css/site.css"),
        static("js/site.js"),
        static("js/shortlist.js"),
        static("js/saved-pages.js"),
    ]
    response = render(
        request,
        "offline/sw.js",
        {
            "version": VERSION,
            "precache": json.dumps(precache),
            "offline_url": json.dumps(reverse("offline")),
            "group_pages_kept": GROUP_PAGES_KEPT,
            "shortlists_kept": SHORTLISTS_KEPT,
            "helplines": helplines.digest(),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Always fetched fresh, so a new worker reaches phones at once.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request):
    data = {
        "name": "Moray Peer Support",
        "short_name": "Peer Support",
        "description": "Friendly peer-support groups for parents and parents-to-be in Moray.",
        "start_url": reverse("group_list"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbf8f3",
        "theme_color": "#1f5c73",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(data, indent=1), content_type="application/manifest+json")
