"""Counting what helps parents, without knowing who they are.

Public views call `count()` (or `count_search()`) once, just before they return. In production
each count is added to a counter in the server process, sent on to Redis in batches, and added
to the database by `python manage.py flush_counts` every minute (evidence.buffer): a page view
never waits for a database write, and visitors to a popular group do not queue on its row.
Without Redis (or while it is not answering) a count is one INSERT ... ON CONFLICT DO UPDATE
SET count = count + n on an indexed row, which SQLite and PostgreSQL both run atomically, so
two requests racing to create the same day's row cannot lose a count or fail.

Whatever goes wrong with the store, a visitor never sees it: the error is logged and the page
is served as usual.
"""

import contextlib
import logging

from django.db import connection, transaction
from django.utils import timezone

from evidence import buffer
from evidence.models import KEY_MAX_LENGTH, DailyCount, Metric
from moray_peer import health

logger = logging.getLogger(__name__)

# Declared crawlers, link-preview fetchers and scripts name themselves in their user agent.
# The header is only looked at here, never stored or logged. Plain substring tests on the
# lower-cased header: several times faster than one case-blind regular expression.
CRAWLER_WORDS = (
    "bot", "crawl", "spider", "slurp", "facebookexternalhit", "facebookcatalog", "preview",
    "embedly", "whatsapp", "pinterest", "vkshare", "w3c_validator", "lighthouse", "pingdom",
    "uptime", "monitor", "curl", "wget", "python-requests", "python-urllib", "httpclient",
    "go-http-client", "feedfetcher", "archiver",
)  # fmt: skip
# The group page shown again after a "Was this helpful?" answer is not a new visit.
THANKS_PARAM = "helpful"
THANKS_VALUE = "thanks"
# The filters a search is counted by. The typed search text (q) is never among them.
SEARCH_FACETS = ("area", "format", "topic", "audience", "practical", "when")
# Stands in the key for "some text was typed", without the text.
TYPED_TEXT = "text"
KNOWN_METRICS = frozenset(Metric.values)


def is_countable(request):
    """Whether this request is a person looking at the page (as far as we can tell), and not
    one of the organisers or moderators: parents never sign in, so anyone signed in is one of
    the site's own, and their looks would swell their groups' counts."""
    if request.method not in ("GET", "POST"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    user_agent = request.headers.get("User-Agent", "").lower()
    if not user_agent or any(word in user_agent for word in CRAWLER_WORDS):
        return False
    # Browsers fetching a page the visitor may never open.
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    return request.GET.get(THANKS_PARAM) != THANKS_VALUE


def count(request, metric, *keys):
    """Add one to `metric` today for each of `keys` (group or organisation ids)."""
    if keys:
        tally(request, [(metric, key) for key in keys])


def count_search(request, filterset, found):
    """Count a search by its filter combination, and whether it found anything.

    Only the first page counts: turning the page is the same search.
    """
    if request.GET.get("page") not in (None, "", "1"):
        return
    key = search_key(filterset)
    if not key:
        return
    counts = [(Metric.SEARCH, key)]
    if not found:
        counts.append((Metric.SEARCH_EMPTY, key))
    tally(request, counts)


def tally(request, counts):
    """Record `counts` if this request is countable, and note them on the request: a copy of
    the page kept by directory.page_cache counts them again for each visitor it is served to."""
    request.evidence_counts = [*getattr(request, "evidence_counts", []), *counts]
    if is_countable(request):
        record(counts)


def replay(request, counts):
    """Count a page served from the page cache as the page itself counted when it was made."""
    if counts and is_countable(request):
        record(counts)


def search_key(filterset):
    """The chosen filter values, normalised and sorted: "area=elgin,keith;topic=anxiety".

    Only values the filters recognised are used (slugs and fixed choices), so nothing a visitor
    typed can reach the key; typed search text adds the bare word "text".
    """
    chosen = {}
    typed = False
    for name, value, _label in filterset.active_choices():
        if name == "q":
            typed = True
        elif name in SEARCH_FACETS:
            chosen.setdefault(name, set()).add(str(value))
    parts = [f"{name}={','.join(sorted(values))}" for name, values in sorted(chosen.items())]
    if typed:
        parts.append(TYPED_TEXT)
    return ";".join(parts)


def parse_search_key(key):
    """{"area": ["keith"], "topic": ["anxiety"]} from "area=keith;topic=anxiety"."""
    chosen = {}
    for part in key.split(";"):
        name, _, values = part.partition("=")
        if name in SEARCH_FACETS and values:
            chosen[name] = values.split(",")
    return chosen


def record(counts, day=None):
    """Add one to each (metric, key) in `counts` on `day` (today). Never raises."""
    try:
        rows = []
        for metric, key in dict.fromkeys((str(m), str(k)) for m, k in counts):
            if metric not in KNOWN_METRICS:
                raise ValueError(f"Unknown metric {metric!r}")
            if len(key) <= KEY_MAX_LENGTH:
                rows.append((metric, key))
        if rows:
            buffer.add(day or timezone.localdate(), rows, _write_gathered)
    except Exception as exc:
        # A database away or taking no writes fails every count: told once, not per page.
        if not health.note_database_error(exc):
            logger.exception("Could not record evidence counts")


def push_gathered():
    """Send this process's gathered counts on before it stops (gunicorn's worker_exit)."""
    try:
        buffer.push(_write_gathered)
    except Exception:
        logger.exception("Could not record evidence counts")


def flush_buffer():
    """Move the counts gathered in Redis into the database; see evidence.buffer.flush."""
    return buffer.flush(_write_gathered)


def _write_gathered(by_day, rows_per_statement=500):
    """Add {day: [(metric, key, number), ...]} to the stored counts: one statement (the usual
    page view without Redis), or several in one transaction."""
    statements = []
    for day, rows in sorted(by_day.items()):
        known = [
            (metric, key, n)
            for metric, key, n in rows
            if metric in KNOWN_METRICS and len(key) <= KEY_MAX_LENGTH
        ]
        for start in range(0, len(known), rows_per_statement):
            statements.append((day, known[start : start + rows_per_statement]))
    if len(statements) == 1:
        _increment(*statements[0])
    elif statements:
        with transaction.atomic():
            for day, rows in statements:
                _increment(day, rows)


def _increment(day, rows):
    """Add each (metric, key, number) of `rows` to its count on `day`, in one statement."""
    quote = connection.ops.quote_name
    table = quote(DailyCount._meta.db_table)
    day_, metric_, key_, count_ = (quote(c) for c in ("day", "metric", "key", "count"))
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({day_}, {metric_}, {key_}, {count_}) VALUES {values} "
        f"ON CONFLICT ({day_}, {metric_}, {key_}) "
        f"DO UPDATE SET {count_} = {table}.{count_} + EXCLUDED.{count_}"
    )
    day_value = connection.ops.adapt_datefield_value(day)
    params = [value for metric, key, n in rows for value in (day_value, metric, key, n)]
    # Inside a caller's transaction, a savepoint keeps a failed write from spoiling it;
    # otherwise the one statement commits by itself.
    if connection.in_atomic_block:
        guard = transaction.atomic()
    else:
        guard = contextlib.nullcontext()
        if connection.vendor == "postgresql":
            # A count need not wait for the disk: waiting for each page view's commit to reach
            # it (milliseconds) would cap how many pages a second the site serves. A database
            # crash may lose the last moment's counts. Sent as one query string, the two
            # statements share one implicit transaction, so SET LOCAL holds for this write
            # alone, in one round trip.
            sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
    with guard, connection.cursor() as cursor:
        cursor.execute(sql, params)
