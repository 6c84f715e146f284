"""What the benchmark measures besides throughput: SQL queries per request (in-process, with
Django's test client against the same database), bytes on the wire, the first screen, static
file caching and conditional GET (over HTTP from gunicorn)."""

import gzip
import http.client
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.load import BROWSER_HEADERS

QUERY_SAMPLE = 3  # URLs of each page type whose queries are counted (the most is reported)
PAGE_CACHE_SECONDS = 60  # as in production
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')
SCRIPT = re.compile(r'<script[^>]+src="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes  # as it came over the wire

    @property
    def decoded(self):
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.body)
        return self.body

    @property
    def compressed_size(self):
        """Bytes as served when compressed, else what gzip -6 would make of them."""
        if self.headers.get("content-encoding"):
            return len(self.body)
        return len(gzip.compress(self.body, compresslevel=6))


def fetch(base_url, path, headers=None):
    address = urlsplit(base_url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        conn.request("GET", path, headers={**BROWSER_HEADERS, **(headers or {})})
        reply = conn.getresponse()
        body = reply.read()
        return Reply(reply.status, {k.lower(): v for k, v in reply.getheaders()}, body)
    finally:
        conn.close()


def visit_all(base_url, paths):
    """Request every path once (a few at a time), so each is in the page cache."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda path: fetch(base_url, path), paths))
    failed = [path for path, reply in zip(paths, replies, strict=True) if reply.status != 200]
    if failed:
        raise RuntimeError(f"{failed[0]} answered {replies[paths.index(failed[0])].status}")


def count_queries(paths, page_cache):
    """The most SQL queries any of the first few URLs needs on a warm process: each page made
    afresh (page_cache False), or served from the page cache after a first visit."""
    client = Client(headers={"User-Agent": BROWSER_HEADERS["User-Agent"]})
    most, worst = 0, []
    for path in paths[:QUERY_SAMPLE]:
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=PAGE_CACHE_SECONDS if page_cache else 0):
            client.get(path)  # warms the look-ups a running worker has, and the page cache
            with CaptureQueriesContext(connection) as captured:
                reply = client.get(path)
        if reply.status_code != 200:
            raise RuntimeError(f"{path} answered {reply.status_code}")
        if len(captured) >= most:
            most, worst = len(captured), [q["sql"] for q in captured.captured_queries]
    return most, worst


def first_screen(base_url, home_path):
    """The home page's HTML plus the CSS and JS its <head> loads, as served compressed."""
    page = fetch(base_url, home_path)
    html = page.decoded.decode()
    head = html.split("</head>", 1)[0]
    assets = STYLESHEET.findall(head) + SCRIPT.findall(head)
    parts = [("HTML", home_path, page.compressed_size, page.headers)]
    for url in assets:
        reply = fetch(base_url, url)
        if reply.status != 200:
            raise RuntimeError(f"{url} answered {reply.status}")
        parts.append(("asset", url, reply.compressed_size, reply.headers))
    css = b"".join(fetch(base_url, url).decoded for url in STYLESHEET.findall(head)).decode()
    blocking = []
    if "@font-face" in css or "@import" in css:
        blocking.append("CSS loads web fonts or imports more CSS")
    if re.search(r'<link[^>]+rel="preload"[^>]+as="font"', head):
        blocking.append("the page preloads a web font")
    if "<img" in head:
        blocking.append("an image in <head>")
    return parts, blocking


def static_caching(parts):
    """(url, hashed name?, max-age) for each static asset of the first screen."""
    results = []
    for kind, url, _size, headers in parts:
        if kind != "asset":
            continue
        max_age = 0
        match = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
        if match:
            max_age = int(match.group(1))
        results.append((url, bool(HASHED_NAME.search(url)), max_age))
    return results


def conditional_get(base_url, path):
    """The validators a page sends and what it answers when asked again with them."""
    first = fetch(base_url, path)
    validators = {}
    if "etag" in first.headers:
        validators["If-None-Match"] = first.headers["etag"]
    if "last-modified" in first.headers:
        validators["If-Modified-Since"] = first.headers["last-modified"]
    if not validators:
        return None, first.status
    again = fetch(base_url, path, validators)
    return ", ".join(sorted(validators)), again.status


def database_backends(name=None):
    """Process ids of the PostgreSQL backends serving the scratch database (or the database
    `name`), when the server runs on this machine (so their CPU time can be read), else none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = coalesce(%s, current_database()) AND pid <> pg_backend_pid()",
            [name],
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return [pid for pid in pids if os.path.exists(f"/proc/{pid}/stat")]
