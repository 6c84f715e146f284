"""gunicorn's own messages, minus what the site never logs: visitors' addresses and the
query strings of their requests (moray_peer.request_logging keeps the same promise).

gunicorn writes "Invalid request from ip=203.0.113.9: Invalid HTTP request line: 'GET
/?q=postnatal+depression ...'" for a malformed request, and the whole address of a request
that failed; this logger keeps what kind of problem it was and drops the rest.
"""

import re

from gunicorn.glogging import Logger

INVALID_REQUEST = re.compile(r"^Invalid request from ip=\S*: (?P<error>.*)$", re.DOTALL)


def kind_of_problem(error):
    """ "Invalid HTTP request line: '...'" -> "Invalid HTTP request line"."""
    return re.split(r"[:'\"]", error, maxsplit=1)[0].strip() or "malformed request"


class PrivateLogger(Logger):
    def warning(self, msg, *args, **kwargs):
        match = INVALID_REQUEST.match(str(msg))
        if match:
            msg, args = "Invalid request refused (%s)", (kind_of_problem(match["error"]),)
        super().warning(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        if str(msg).startswith("Error handling request"):
            msg, args = "Error handling request", ()
        super().exception(msg, *args, **kwargs)
