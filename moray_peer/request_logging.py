"""Structured logs: one JSON object per line on stdout, one line per request.

A request line carries the method, the path, the status and the duration — never the query
string (searches can say a lot about a parent), never an IP address, never a cookie. Secrets
that travel in a path (password-reset keys, invitation tokens) are replaced by their name.
The logged path is built from the route the resolver matched, so no part of a secret can be
left behind by a look-alike value elsewhere in the path.
"""

import json
import logging
import re
import time

from django.utils.regex_helper import normalize

request_logger = logging.getLogger("moray_peer.requests")

# URL arguments that are secrets or tie a request to a person.
SECRET_URL_ARGUMENTS = {"key", "token", "uidb36", "uidb64", "code"}
LONGEST_LOGGED_PATH = 200


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line, with any `fields` passed in `extra` at the top level."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# A path() converter in a route: <slug:slug>, <pk>.
PATH_CONVERTER = re.compile(r"(?<!\?P)<(?:[^>:]+:)?(?P<name>\w+)>")


def loggable_path(request):
    """The request's path rebuilt from the route it matched: each URL argument written back
    as its value, or as {name} when it is a secret. A path that matched no route (a 404) is
    logged as it came."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return request.path[:LONGEST_LOGGED_PATH]
    return "/" + path_from_route(match.route, match.kwargs)[:LONGEST_LOGGED_PATH]


def path_from_route(route, kwargs):
    """`route` (path() converters and re_path() groups, as ResolverMatch.route joins them)
    with its arguments filled in; the route itself, arguments unfilled, when it has a shape
    we cannot fill (unnamed groups), so a value never reaches the log unasked."""
    # Each converter becomes a named group, so one parse reads the whole route.
    as_regex = PATH_CONVERTER.sub(lambda m: f"(?P<{m['name']}>[^/]+)", route)
    shown = {
        name: "{" + name + "}" if name in SECRET_URL_ARGUMENTS else str(value)
        for name, value in kwargs.items()
    }
    try:
        forms = normalize(as_regex)
    except ValueError:
        forms = []
    for template, params in forms:
        if set(params) == set(shown):
            return template % shown
    return PATH_CONVERTER.sub(lambda m: "{" + m["name"] + "}", route)


class RequestLogMiddleware:
    """Log every request once it has been answered. Outermost, so the duration is the whole."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        request_logger.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms", fields, extra={"fields": fields}
        )
        return response


class SecretsOutOfPathsFilter(logging.Filter):
    """Django's own warnings (a refused form, a slow or failed request) name the request's
    path in their arguments: write it as the request line does, with secrets by name."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            path = request.path
            record.args = tuple(
                loggable_path(request) if arg == path else arg for arg in record.args
            )
        return True
