"""Following an organiser's own calendar: a group's dates kept in step with its iCal feed.

Organisers whose dates already live in Google Calendar, Outlook or another calendar link its
iCal address to the group (directory.manage.feeds); `manage.py follow_calendar_feeds` reads
each feed every half hour (`follow`) and makes the group's coming dates match it: each
event's occurrence (its UID and original start) is one of the group's extra dates, marked
as from the feed. New occurrences are added, changed times updated, and occurrences gone
from the calendar kept as "No group on ..." so a parent who planned to go is told. A date an
organiser changed by hand here is never touched again, and a broken feed changes nothing:
the last good dates stay and the organiser is told on the group's page (and once by email
after a day).

Fetching is guarded (`fetch`): only http(s) to public addresses, checked on every address
the name resolves to and again after each redirect, connecting to the checked address itself
so a second DNS answer cannot swap it; with a timeout, a size limit and a conditional GET.
"""

import contextlib
import datetime
import hashlib
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import icalendar
import recurring_ical_events
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory import emails
from directory.models import ExtraSession
from directory.timetable import rebuild_sessions
from moray_peer.text import has_control_characters

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
# An occurrence's key is stored in ExtraSession.feed_key.
KEY_LENGTH = ExtraSession._meta.get_field("feed_key").max_length
USER_AGENT = "MorayPeerSupport-CalendarFollower/1.0"
# A day of failed reads before the organiser gets an email about it.
EMAIL_AFTER = datetime.timedelta(days=1)


class FeedError(Exception):
    """Why a feed could not be read, in plain words for the organiser."""


@dataclass
class Fetched:
    body: bytes | None  # None: not changed since the last read (304)
    etag: str = ""
    last_modified: str = ""


@dataclass
class Occurrence:
    key: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    summary: str = ""

    @property
    def timing(self):
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


# --- Fetching, guarded -------------------------------------------------------------------


def normalise_url(url):
    """The address to fetch: webcal:// (what calendar apps hand out) is https://."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    return url


def allowed_schemes():
    # Plain http only for the tests' loopback server: organisers' feeds are read over TLS.
    return ("https", "http") if settings.CALENDAR_FEED_ALLOW_LOOPBACK else ("https",)


# IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it through a
# gateway (NAT64, RFC 6052) or, on some stacks, directly (IPv4-compatible, RFC 4291).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip):
    """The IPv4 addresses an IPv6 address may lead to: mapped, 6to4, Teredo, NAT64 or
    IPv4-compatible."""
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64 or ip in IPV4_COMPATIBLE:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in found if address is not None]


def is_forbidden_address(ip):
    """Whether `ip` is, or leads to, anything but the public internet (loopback is opened
    only by the test-only CALENDAR_FEED_ALLOW_LOOPBACK setting)."""
    ip = ipaddress.ip_address(ip)
    if ip.version == 6:
        inside = embedded_ipv4(ip)
        if inside:
            return any(is_forbidden_address(address) for address in inside)
    if ip.is_loopback and settings.CALENDAR_FEED_ALLOW_LOOPBACK:
        return False
    return not ip.is_global or ip.is_multicast


def checked_addresses(host, port):
    """Every address `host` resolves to, if all of them are public; else FeedError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FeedError("the calendar's web address could not be found") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses or any(is_forbidden_address(a) for a in addresses):
        raise FeedError("that address is not on the public internet")
    return addresses


def check_url(url):
    """(scheme, host, port, path) of a URL we may fetch; FeedError otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FeedError("that is not a web address") from error
    if parts.scheme not in allowed_schemes():
        raise FeedError("the address must start with https://")
    if not parts.hostname or parts.username or parts.password:
        raise FeedError("that is not a web address")
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, not whatever the name resolves to next."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def fetch(url, etag="", last_modified=""):
    """The feed's body (or None when not modified), following up to MAX_REDIRECTS redirects,
    each checked as the first address was. Raises FeedError."""
    deadline = time.monotonic() + settings.CALENDAR_FEED_TIMEOUT_SECONDS
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = check_url(url)
        address = checked_addresses(host, port)[0]
        timeout = max(0.1, deadline - time.monotonic())
        connection_class = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
        connection = connection_class(host, port, address, timeout)
        headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # A socket's timeout bounds each wait, not the whole: a server sending a byte a
        # second would never time out. At the deadline the connection is shut, whatever it
        # is waiting for.
        guard = threading.Timer(max(0.0, deadline - time.monotonic()), shut, args=[connection])
        guard.start()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FeedError("the calendar's address sent us nowhere")
                url = urljoin(url, location)
                continue
            if response.status == 304:
                return Fetched(None, etag, last_modified)
            if response.status != 200:
                raise FeedError(f"the calendar's address answered {response.status}")
            declared = response.getheader("Content-Length")
            limit = settings.CALENDAR_FEED_MAX_BYTES
            if declared and declared.isdigit() and int(declared) > limit:
                raise FeedError("the calendar is too large to read")
            body = read_until(response, limit, deadline)
            return Fetched(
                body, response.getheader("ETag", ""), response.getheader("Last-Modified", "")
            )
        except (OSError, http.client.HTTPException) as error:
            if isinstance(error, TimeoutError | socket.timeout) or time.monotonic() >= deadline:
                raise FeedError("the calendar took too long to answer") from error
            if isinstance(error, ssl.SSLError):
                raise FeedError("the calendar's secure connection could not be checked") from error
            raise FeedError("the calendar could not be reached") from error
        finally:
            guard.cancel()
            connection.close()
    raise FeedError("the calendar's address redirected too many times")


def shut(connection):
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def read_until(response, limit, deadline):
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FeedError("the calendar took too long to answer")
        chunk = response.read1(65536)
        if not chunk:
            if time.monotonic() >= deadline:  # shut at the deadline, not finished
                raise FeedError("the calendar took too long to answer")
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FeedError("the calendar is too large to read")
        chunks.append(chunk)


# --- Reading the calendar ----------------------------------------------------------------


def occurrences(body, first_day, last_day):
    """The timed occurrences from first_day to last_day in Moray's local time, each keyed by
    its event's UID and original start. All-day entries (holidays, reminders) are not
    meeting times and are left out; so are cancelled events. Raises FeedError."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except Exception as error:
        raise FeedError("that address does not give a calendar (iCal) file") from error
    if calendar.name != "VCALENDAR":
        raise FeedError("that address does not give a calendar (iCal) file")
    try:
        events = recurring_ical_events.of(calendar).between(
            first_day, last_day + datetime.timedelta(days=1)
        )
    except Exception as error:
        raise FeedError("the calendar's repeating events could not be read") from error
    # Occurrences of a series are told apart by their original start; a one-off event is
    # the same event whatever time it moves to.
    series = {
        str(event.get("UID", ""))
        for event in calendar.walk("VEVENT")
        if any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    found = {}
    for event in events:
        start = event.get("DTSTART")
        if start is None or not isinstance(start.dt, datetime.datetime):
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        starts = as_local(start.dt)
        end = event.get("DTEND")
        ends = as_local(end.dt) if end is not None else starts + event_duration(event)
        if ends.date() != starts.date() or ends <= starts:
            ends = datetime.datetime.combine(starts.date(), datetime.time(23, 59), starts.tzinfo)
        if not first_day <= starts.date() <= last_day:
            continue
        original = event.get("RECURRENCE-ID")
        key = str(event.get("UID", "")) or f"{starts.isoformat()}"
        if original is not None and key in series:
            key += "|" + as_utc_text(original.dt)
        key = stored_key(key)
        found[key] = Occurrence(
            key, starts.date(), starts.time(), ends.time(), str(event.get("SUMMARY", ""))[:200]
        )
    return sorted(found.values(), key=lambda o: (o.date, o.start_time, o.key))


def stored_key(key):
    """An occurrence's key as stored: a feed's UID is whatever its author wrote, so one too
    long to store or holding hidden characters is kept by its digest."""
    if len(key) > KEY_LENGTH or has_control_characters(key):
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return key


def event_duration(event):
    duration = event.get("DURATION")
    return duration.dt if duration is not None else datetime.timedelta(hours=1)


def as_local(moment):
    if timezone.is_naive(moment):  # "floating" time: the organiser's own, Moray's
        return timezone.make_aware(moment)
    return timezone.localtime(moment)


def as_utc_text(moment):
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def horizon(today=None):
    today = today or timezone.localdate()
    return today, today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)


def preview(url, count=8):
    """The next `count` dates the feed at `url` would give, read now; FeedError if none."""
    found = occurrences(fetch(normalise_url(url)).body, *horizon())
    if not found:
        raise FeedError("the calendar has no timed events in the next six months")
    return found[:count]


# --- Keeping the group's dates in step ---------------------------------------------------


@transaction.atomic
def apply(feed, found, today=None):
    """Make the group's coming dates from the feed match `found`. Returns (added, changed,
    removed) counts."""
    group = feed.group
    today = today or timezone.localdate()
    current = {
        extra.feed_key: extra
        for extra in group.extra_sessions.exclude(feed_key="").filter(date__gte=today)
    }
    added = changed = removed = 0
    for occurrence in found:
        extra = current.pop(occurrence.key, None)
        if extra is None:
            ExtraSession.objects.create(
                group=group,
                venue=feed.venue,
                date=occurrence.date,
                start_time=occurrence.start_time,
                end_time=occurrence.end_time,
                feed_key=occurrence.key,
                feed_read_as=occurrence.timing,
            )
            added += 1
        elif extra.edited_by_hand:
            continue
        elif extra.timing != occurrence.timing or extra.feed_removed:
            extra.date = occurrence.date
            extra.start_time = occurrence.start_time
            extra.end_time = occurrence.end_time
            extra.feed_read_as = occurrence.timing
            extra.feed_removed = False
            extra.save()
            changed += 1
    # An occurrence gone from a day the calendar still meets on was moved (a series given
    # a new time changes its occurrences' keys): no "No group" beside the new time.
    still_meeting = {occurrence.date for occurrence in found}
    for extra in current.values():
        if extra.edited_by_hand:
            continue
        if extra.date in still_meeting:
            extra.delete()
            changed += 1
        elif not extra.feed_removed:
            extra.feed_removed = True
            extra.save()
            removed += 1
    rebuild_sessions(group)
    return added, changed, removed


@transaction.atomic
def unlink(feed):
    """Stop following `feed`: its coming dates go; past ones stay as history."""
    group = feed.group
    group.extra_sessions.exclude(feed_key="").filter(date__gte=timezone.localdate()).delete()
    feed.delete()
    rebuild_sessions(group)


def follow(feed, now=None):
    """Read `feed` once and apply it; a failure is noted on the feed, never raised."""
    now = now or timezone.now()
    try:
        fetched = fetch(normalise_url(feed.url), feed.etag, feed.last_modified)
        if fetched.body is not None:
            found = occurrences(fetched.body, *horizon(timezone.localdate(now)))
            if not found:
                raise FeedError("the calendar has no timed events in the next six months")
            apply(feed, found, today=timezone.localdate(now))
            feed.etag, feed.last_modified = fetched.etag[:300], fetched.last_modified[:100]
    except FeedError as error:
        note_failure(feed, str(error), now)
        return False
    feed.last_read_at = now
    feed.failing_since = None
    feed.problem = ""
    feed.problem_emailed = False
    feed.save()
    return True


def note_failure(feed, reason, now):
    feed.failing_since = feed.failing_since or now
    feed.problem = reason[:300]
    with transaction.atomic():
        if not feed.problem_emailed and now - feed.failing_since >= EMAIL_AFTER:
            emails.calendar_feed_failing(feed)
            feed.problem_emailed = True
        feed.save()


def follow_all(now=None):
    """Read every linked feed once; returns (read, failed)."""
    from directory.models import CalendarFeed

    read = failed = 0
    for feed in CalendarFeed.objects.select_related("group", "venue").iterator(chunk_size=100):
        try:
            ok = follow(feed, now=now)
        except Exception:  # one group's surprise must not stop the others' reads
            logger.exception("Could not follow the calendar of group %s", feed.group_id)
            ok = False
        read, failed = (read + 1, failed) if ok else (read, failed + 1)
    return read, failed


def status(feed, now=None):
    """ "Last updated 2 hours ago · could not read the feed since 09:30: <reason>"."""
    from django.utils.timesince import timesince

    now = now or timezone.now()
    parts = []
    if feed.last_read_at:
        parts.append(f"Last updated {timesince(feed.last_read_at, now, depth=1)} ago")
    else:
        parts.append("Not read yet")
    if feed.failing_since:
        since = timezone.localtime(feed.failing_since)
        when = since.strftime("%H:%M")
        if since.date() != timezone.localdate(now):
            when = f"{since:%H:%M} on {since.day} {since:%B}"
        parts.append(f"could not read the feed since {when}: {feed.problem}")
    return " · ".join(parts)
