"""Structured logs: one JSON object per line on stdout, one line per request.

A request line carries the method, the path, the status and the duration — never the query
string (searches can say a lot about a parent), never an IP address, never a cookie. Secrets
that travel in a path (password-reset keys, invitation tokens) are replaced by their name.
"""

import json
import logging
import time

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


def loggable_path(request):
    """The request's path with secret URL arguments replaced by their names."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_ARGUMENTS and value:
                path = path.replace(str(value), "{" + name + "}")
    return path[:LONGEST_LOGGED_PATH]


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
