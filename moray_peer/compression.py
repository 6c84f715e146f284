"""Gzip for pages sent to visitors who are not signed in.

A phone on a weak rural signal gets the directory's pages in a third of the bytes. Compressing
a page that holds a secret and also reflects what the visitor typed can leak the secret to an
eavesdropper who can make the browser send many requests (BREACH). Public pages hold no secret:
a visitor without a session has no account, no personal data and no CSRF secret worth taking.
So a page is compressed only when the request carries no session cookie and the response sets
no cookie; organisers' and moderators' pages (forms with CSRF tokens, personal details) are
sent uncompressed. Django's
GZipMiddleware adds random padding too, as a second line of defence.

Static files are not handled here: whitenoise serves them already compressed, and sits above
this middleware so their responses never reach it.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
            return response
        return super().process_response(request, response)
