"""Gzip for pages sent to visitors who are not signed in.

A phone on a weak rural signal gets the directory's pages in a third of the bytes. Compressing
a page that holds a secret and also reflects what the visitor typed can leak the secret to an
eavesdropper who can make the browser send many requests (BREACH). Public pages hold no secret:
a visitor without a session has no account, no personal data and no CSRF secret worth taking.
So a page is compressed only when the request carries no session cookie and the response sets
no cookie; organisers' and moderators' pages (forms with CSRF tokens, personal details) are
sent uncompressed. Django's GZipMiddleware adds random padding too, as a second line of defence.

A page kept by directory.page_cache is compressed once, when it is made, and that copy is sent
to every visitor it is served to (`compress_once`, `send_compressed`).

Static files are not handled here: whitenoise serves them already compressed, and sits above
this middleware so their responses never reach it.
"""

import copy
import gzip
from hashlib import md5

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.utils.text import compress_string

# Shorter than this, compressing is not worth it (as GZipMiddleware judges).
MIN_LENGTH = 200


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES or response.cookies:
            return response
        return super().process_response(request, response)


def enabled():
    return f"{__name__}.{PublicGZipMiddleware.__name__}" in settings.MIDDLEWARE


def compress_once(response):
    """The gzipped copy of a public page about to be kept for many visitors, or None when the
    site does not compress or it would not be smaller."""
    if not enabled() or response.streaming or len(response.content) < MIN_LENGTH:
        return None
    body = compress_string(response.content, max_random_bytes=GZipMiddleware.max_random_bytes)
    if len(body) >= len(response.content):
        return None
    # The ETag the page gets when compressed as it is made (ConditionalGetMiddleware's, made
    # weak by GZipMiddleware), so a browser's copy stays valid whichever way it was sent.
    etag = "W/" + quote_etag(md5(response.content, usedforsecurity=False).hexdigest())
    return {"body": body, "etag": etag}


def without_body(response, compressed):
    """The page to keep beside its gzipped copy: its headers only, as the body can be had
    back from that copy. Keeping both made each visit read five times the bytes from the
    shared cache, for the few browsers that do not take gzip."""
    if compressed is None:
        return response
    kept = copy.copy(response)
    kept.content = b""
    return kept


def send_compressed(request, response, compressed):
    """A kept page (`without_body`) with its ready-made gzipped copy when the browser takes
    gzip, else with the body unzipped from it."""
    if compressed is None:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = compressed["body"]
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(compressed["body"]))
        response["ETag"] = compressed["etag"]
    else:
        response.content = gzip.decompress(compressed["body"])
    return response
