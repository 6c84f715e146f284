"""Every group's calendar file read by the libraries calendar apps use, not by ours: Mozilla's
ical.js (Thunderbird and many web calendars, under node), vobject (with dateutil) and
recurring-ical-events. Each must give exactly the instants the group's page lists, on both
sides of both clock changes."""

import datetime
import json
import re
import subprocess
import types
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from directory.demo.loader import load_demo
from directory.models import Group, Session
from tests.tools import NODE_TOOLS, module, node_package

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def going_ahead(event):
    return str(event.get("status", "")).upper() != "CANCELLED"


def by_recurring_ical_events(text, first, last):
    recurring_ical_events = module("recurring_ical_events", "recurring-ical-events")
    calendar = icalendar.Calendar.from_ical(text)
    starts = [
        event.decoded("dtstart").astimezone(UTC)
        for event in recurring_ical_events.of(calendar).between(first, last)
        if going_ahead(event)
    ]
    return sorted(start for start in starts if first <= start <= last)


def by_vobject(text, first, last):
    vobject = module("vobject", "vobject")
    starts = []
    for event in vobject.readOne(text.decode()).contents.get("vevent", []):
        if "status" in event.contents and event.status.value.upper() == "CANCELLED":
            continue
        series = event.getrruleset(addRDate=True)
        if series is None:
            starts.append(event.dtstart.value)
        else:
            starts += series.between(first, last, inc=True)
    return sorted(s.astimezone(UTC) for s in starts if first <= s.astimezone(UTC) <= last)


def by_icaljs(files, first, last):
    node = node_package("ical.js")
    answer = subprocess.run(
        [node, str(NODE_TOOLS / "expand_ical.mjs")],
        input=json.dumps(
            {
                "files": {name: text.decode() for name, text in files.items()},
                "from": first.isoformat(),
                "to": last.isoformat(),
            }
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {
        name: [datetime.datetime.fromisoformat(value) for value in starts]
        for name, starts in json.loads(answer.stdout).items()
    }


def calendar_files(client):
    """Each group's download (its rules) and subscription feed (each session an event)."""
    files = {}
    for group in Group.objects.published().order_by("slug"):
        for kind in ("calendar", "feed"):
            response = client.get(f"/groups/{group.slug}/{kind}.ics")
            assert response.status_code == 200
            files[f"{group.slug}/{kind}"] = response.content
    return files


def stored_starts(group, first, last):
    """The instants the group's page lists: its stored sessions that go ahead."""
    return sorted(
        Session.objects.filter(
            group=group, cancelled=False, starts_at__gte=first, starts_at__lte=last
        ).values_list("starts_at", flat=True)
    )


def assert_all_three_agree(client, first, last):
    files = calendar_files(client)
    assert len(files) >= 40
    from_icaljs = by_icaljs(files, first, last)
    disagreements = []
    for name, text in files.items():
        slug = name.split("/")[0]
        expected = [start.astimezone(UTC) for start in stored_starts(slug_group(slug), first, last)]
        readers = {
            "ical.js": from_icaljs[name],
            "vobject": by_vobject(text, first, last),
            "recurring-ical-events": by_recurring_ical_events(text, first, last),
        }
        for reader, starts in readers.items():
            if starts != expected:
                wrong = sorted(set(starts) ^ set(expected))
                disagreements.append(f"{name} in {reader}: {len(wrong)} instants differ")
    assert disagreements == []
    print(
        f"\nical.js, vobject and recurring-ical-events agree with the stored sessions on all "
        f"{len(files)} calendar files ({sum(len(v) for v in from_icaljs.values())} instants, "
        f"{first:%d %b %Y} to {last:%d %b %Y})"
    )
    return files


def slug_group(slug):
    return Group.objects.get(slug=slug)


def test_all_three_readers_give_every_demo_groups_stored_sessions_across_both_clock_changes(
    client, monkeypatch
):
    # From the start of October the stored six months hold the October and March changes.
    today = datetime.date(2026, 10, 1)
    load_demo(today=today)
    # The feeds start a few weeks before the day they are read: read them on that day.
    monkeypatch.setattr(
        "directory.ics.timezone",
        types.SimpleNamespace(localdate=lambda: today, now=timezone.now),
    )
    first = datetime.datetime.combine(today, datetime.time.min, tzinfo=LONDON)
    last = first + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    assert_all_three_agree(client, first, last)

    offsets = {
        start.astimezone(LONDON).utcoffset()
        for start in Session.objects.filter(starts_at__gte=first).values_list(
            "starts_at", flat=True
        )
    }
    assert offsets == {datetime.timedelta(0), datetime.timedelta(hours=1)}
    clock_changes = (datetime.date(2026, 10, 25), datetime.date(2027, 3, 28))
    for change in clock_changes:
        assert Session.objects.filter(date__lt=change, date__gte=today).exists()
        assert Session.objects.filter(date__gt=change, date__gte=today).exists()


def test_all_three_readers_give_the_dates_each_group_page_lists_today(client):
    load_demo()
    today = timezone.localdate()
    first = datetime.datetime.combine(today, datetime.time.min, tzinfo=LONDON)
    last = first + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    files = assert_all_three_agree(client, first, last)

    # And those are the dates the pages show, as far as each page goes.
    for slug in sorted({name.split("/")[0] for name in files})[:10]:
        text = client.get(f"/groups/{slug}/").text
        listed = re.search(r'<ul class="dates">(.*?)</ul>', text, re.S)
        if listed is None:
            continue
        shown = [
            datetime.datetime.fromisoformat(value).astimezone(UTC)
            for value in re.findall(r"<li>\s*<time datetime=\"([^\"]+)\"", listed.group(1))
        ]
        upcoming = slug_group(slug).upcoming_sessions().filter(cancelled=False)
        stored = [start.astimezone(UTC) for start in upcoming.values_list("starts_at", flat=True)]
        assert shown == stored[: len(shown)]
        assert set(shown) <= set(by_vobject(files[f"{slug}/feed"], first, last))
