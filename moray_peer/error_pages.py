"""The page shown when a form's security check fails (Django's own is a bare technical one)."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

# Never shown back: secrets and bookkeeping.
HIDDEN_FIELDS = ("csrfmiddlewaretoken", "password", "token", "code", "secret", "version", "action")


def same_site_url(request, url):
    """Whether `url` is an absolute address on this site. A relative one, or the "null" a
    sandboxed frame sends as its Origin, could come from anywhere."""
    own = f"{request.scheme}://{request.get_host()}"
    return (url == own or url.startswith(own + "/")) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def typed_text(request):
    """What the person typed, to copy into the form again; only for this site's own forms, so
    another site cannot make these pages show text of its choosing."""
    origin = request.headers.get("Origin") or request.headers.get("Referer", "")
    if not same_site_url(request, origin):
        return []
    return [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.POST.items()
        if value.strip() and not any(word in name.lower() for word in HIDDEN_FIELDS)
    ]


def csrf_failure(request, reason=""):
    referer = request.headers.get("Referer", "")
    back_url = referer if same_site_url(request, referer) else request.get_full_path()
    context = {"back_url": back_url, "typed": typed_text(request)}
    return render(request, "403_csrf.html", context, status=403)
