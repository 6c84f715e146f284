"""Loading and removing the clearly-marked demo listings (`manage.py load_demo`).

Every demo organisation has `is_demo=True`, which shows the "Demo data" banner across the site
while any exist. Demo groups come with made-up evidence counts (directory.demo.evidence), so
the evidence pages have something to show. Loading again updates the demo listings in place
and rebuilds their timetables, so it is safe to run as often as you like; it never changes a
non-demo organisation, venue or group, nor the vocabulary's existing terms.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import DEMO_PASSWORD, load_demo_accounts, remove_demo_accounts
from accounts.models import Organisation, unique_slug
from directory.demo import listings
from directory.demo.evidence import load_demo_evidence, remove_demo_evidence
from directory.models import (
    Area,
    Audience,
    Cancellation,
    ExtraSession,
    Group,
    Pause,
    Schedule,
    Session,
    Topic,
    Venue,
)
from directory.recurrence import dates_between
from directory.terms import load_terms
from directory.timetable import rebuild_sessions

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
# Ofcom keeps 01632 960000 to 960999 for drama, so these numbers ring nobody.
DRAMA_PHONE = "01632 960{:03d}"
# Cancellations (and extra sessions, unless a school holiday fills these weeks) are placed
# on meeting dates in this many coming weeks.
PLANNING_WEEKS = 8
# Roughly the Moray school holidays, as (name, first day, last day) by (month, day).
SCHOOL_HOLIDAYS = [
    ("the October holidays", (10, 10), (10, 25)),
    ("the Christmas holidays", (12, 22), (1, 5)),
    ("the Easter holidays", (4, 1), (4, 14)),
    ("the summer holidays", (6, 27), (8, 17)),
]
# Days most in-person groups don't meet.
FESTIVE_DAYS = {
    (12, 24): "No group on Christmas Eve — have a lovely Christmas!",
    (12, 25): "No group on Christmas Day",
    (12, 26): "No group on Boxing Day",
    (12, 31): "No group on Hogmanay",
    (1, 1): "No group on New Year's Day",
}


# --- Loading -------------------------------------------------------------------------------


def load_demo(today=None):
    """Add any missing terms, then create or update every demo listing; returns a summary line."""
    today = today or timezone.localdate()
    with transaction.atomic():
        load_terms()
        areas = {area.slug: area for area in Area.objects.all()}
        topics = {topic.slug: topic for topic in Topic.objects.all()}
        audiences = {audience.slug: audience for audience in Audience.objects.all()}

        organisations = {
            spec["key"]: save_organisation(spec, number)
            for number, spec in enumerate(listings.ORGANISATIONS, start=1)
        }
        venues = {spec["key"]: save_venue(spec, organisations, areas) for spec in listings.VENUES}
        for number, spec in enumerate(listings.GROUPS):
            group = save_group(spec, number, organisations, topics, audiences, today)
            save_timetable(group, spec, venues, today)
            rebuild_sessions(group, today=today)
        accounts = load_demo_accounts(organisations.values())
        demo_groups = Group.objects.filter(organisation__is_demo=True)
        load_demo_evidence(organisations.values(), demo_groups, today)

    demo_sessions = Session.objects.filter(group__organisation__is_demo=True).upcoming(
        include_cancelled=True
    )
    return (
        f"Demo data loaded: {len(organisations)} organisations, {len(venues)} venues, "
        f"{demo_groups.count()} groups ({demo_groups.published().count()} published), "
        f"{demo_sessions.count()} upcoming sessions "
        f"({demo_sessions.filter(cancelled=True).count()} cancelled).\n"
        f"Demo sign-in accounts, all with the password {DEMO_PASSWORD!r}:\n"
        + "\n".join(f"  {email} ({role})" for email, role in accounts)
    )


def free_slug(model, slug, name):
    """`slug` if nothing uses it yet, otherwise a fresh one, so real rows are never taken over."""
    return unique_slug(model, name) if model.objects.filter(slug=slug).exists() else slug


def save_organisation(spec, number):
    slug = slugify(spec["name"])
    organisation = (
        Organisation.objects.filter(is_demo=True)
        .filter(Q(slug=slug) | Q(name=spec["name"]))
        .first()
    )
    if organisation is None:
        organisation = Organisation(is_demo=True, slug=free_slug(Organisation, slug, spec["name"]))
    organisation.name = spec["name"]
    organisation.summary = spec["summary"]
    organisation.description = spec["description"]
    organisation.email = f"{spec['mailbox']}@example.org"
    organisation.phone = DRAMA_PHONE.format(number)
    organisation.why = "Example organisation from the demo data (manage.py load_demo)."
    organisation.status = Organisation.Status.APPROVED
    organisation.save()
    return organisation


def save_venue(spec, organisations, areas):
    organisation = organisations[spec["org"]]
    venue = Venue.objects.filter(organisation=organisation, name=spec["name"]).first()
    if venue is None:
        venue = Venue(organisation=organisation, name=spec["name"])
    venue.agreed_place = spec.get("agreed_place", False)
    venue.address = spec["address"]
    venue.town = spec["town"]
    venue.postcode = spec["postcode"]
    venue.area = areas[spec["area"]]
    venue.latitude = Decimal(spec["lat"]) if "lat" in spec else None
    venue.longitude = Decimal(spec["lon"]) if "lon" in spec else None
    for feature in Venue.FEATURES:
        setattr(venue, feature, feature in spec["features"])
    venue.accessibility_notes = spec.get("accessibility_notes", "")
    venue.directions = spec.get("directions", "")
    venue.save()
    return venue


def save_group(spec, number, organisations, topics, audiences, today):
    organisation = organisations[spec["org"]]
    slug = slugify(spec["name"])
    group = (
        Group.objects.filter(organisation__is_demo=True)
        .filter(Q(slug=slug) | Q(organisation=organisation, name=spec["name"]))
        .first()
    )
    if group is None:
        group = Group(slug=free_slug(Group, slug, spec["name"]))
    org_spec = next(o for o in listings.ORGANISATIONS if o["key"] == spec["org"])
    cost = spec.get("cost", "")

    group.organisation = organisation
    group.name = spec["name"]
    group.summary = spec["summary"]
    group.description = spec["description"]
    group.what_to_expect = spec["what_to_expect"]
    group.in_person = spec.get("in_person", True)
    group.online = spec.get("online", False)
    group.phone = spec.get("phone", False)
    group.drop_in = spec.get("drop_in", True)
    group.one_to_one = spec.get("one_to_one", False)
    group.booked_service = spec.get("booked_service", False)
    group.leadership = spec.get("leadership", Group.Leadership.PEER)
    group.focus = spec.get("focus", Group.Focus.PARENT)
    group.children_welcome = spec.get("children_welcome", True)
    group.creche = spec.get("creche", False)
    group.cost = cost
    group.is_free = spec.get("is_free", not cost)
    group.contact_name = spec["contact"]
    group.contact_phone = DRAMA_PHONE.format(100 + number)
    group.contact_email = f"{spec['contact'].lower()}.{org_spec['mailbox']}@example.org"
    # Courses and evenings you book get a (made-up) booking page; 1-2-1 support is arranged
    # by phone or email instead.
    needs_booking_page = not group.drop_in and not group.one_to_one
    group.booking_url = f"https://example.org/book/{group.slug}" if needs_booking_page else ""
    group.status = spec.get("status", Group.Status.PUBLISHED)
    group.last_confirmed = today - datetime.timedelta(days=spec["confirmed"])
    group.save()
    group.topics.set([topics[slug] for slug in spec["topics"]])
    group.audiences.set([audiences[slug] for slug in spec["audiences"]])
    return group


def save_timetable(group, spec, venues, today):
    """Replace the group's schedules, pauses, cancellations and extra sessions."""
    group.sessions.all().delete()
    group.extra_sessions.all().delete()
    group.schedules.all().delete()
    group.cancellations.all().delete()
    group.pauses.all().delete()

    schedules = [save_schedule(group, rule, venues, today) for rule in spec["schedules"]]

    pauses = []
    if spec.get("term_time"):
        for name, first, last in SCHOOL_HOLIDAYS:
            starts_on, ends_on = next_holiday(today, first, last)
            pauses.append((starts_on, ends_on, f"No group over {name} — see you next term!"))
    for starts_in, days, note in spec.get("pauses", []):
        starts_on = today + datetime.timedelta(days=starts_in)
        pauses.append((starts_on, starts_on + datetime.timedelta(days=days - 1), note))
    for starts_on, ends_on, note in pauses:
        Pause.objects.create(group=group, starts_on=starts_on, ends_on=ends_on, note=note)

    def paused(day):
        return any(starts_on <= day <= ends_on for starts_on, ends_on, _ in pauses)

    def meeting_days(last_day):
        """Dates from tomorrow to last_day on which the group's schedules meet."""
        tomorrow = today + datetime.timedelta(days=1)
        days = {day for s in schedules for day in dates_between(s, tomorrow, last_day)}
        return sorted(day for day in days if not paused(day))

    planning_end = today + datetime.timedelta(weeks=PLANNING_WEEKS)
    horizon = today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    soon = meeting_days(planning_end)
    all_upcoming = meeting_days(horizon)
    open_at_christmas = spec.get("open_at_christmas", False)

    cancelled = {}
    for which, note in spec.get("cancellations", []):
        if which < len(soon):
            cancelled[soon[which]] = note
    if not open_at_christmas:
        for day in all_upcoming:
            if (day.month, day.day) in FESTIVE_DAYS:
                cancelled.setdefault(day, FESTIVE_DAYS[day.month, day.day])
    for day, note in sorted(cancelled.items()):
        Cancellation.objects.create(group=group, date=day, note=note)

    # Extra sessions go in the coming weeks, or later when a school holiday fills them.
    usual_venue = schedules[0].venue
    for extra in spec.get("extras", []):
        for base in all_upcoming[extra["after"] :]:
            day = base + datetime.timedelta(days=extra["days"])
            festive = (day.month, day.day) in FESTIVE_DAYS and not open_at_christmas
            if day > horizon or paused(day) or day in cancelled or festive:
                continue
            ExtraSession.objects.create(
                group=group,
                venue=usual_venue,
                date=day,
                start_time=datetime.time.fromisoformat(extra["start"]),
                end_time=datetime.time.fromisoformat(extra["end"]),
                note=extra["note"],
            )
            break


def save_schedule(group, rule, venues, today):
    weekday = DAYS[rule["day"]]
    monthly = rule["frequency"] == Schedule.Frequency.MONTHLY
    weeks_ago = rule.get("weeks_ago", 16 if monthly else 6)
    ends_in_weeks = rule.get("ends_in_weeks")
    return Schedule.objects.create(
        group=group,
        venue=venues[rule["venue"]] if rule["venue"] else None,
        frequency=rule["frequency"],
        weekday=weekday,
        week_of_month=rule.get("week"),
        starts_on=on_or_before(today - datetime.timedelta(weeks=weeks_ago), weekday),
        ends_on=today + datetime.timedelta(weeks=ends_in_weeks) if ends_in_weeks else None,
        start_time=datetime.time.fromisoformat(rule["start"]),
        end_time=datetime.time.fromisoformat(rule["end"]),
    )


def on_or_before(day, weekday):
    """The latest date on or before `day` that falls on `weekday` (Monday is 0)."""
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def next_holiday(today, first, last):
    """The dates of the next (or current) holiday running from `first` to `last` (month, day)."""
    for year in (today.year - 1, today.year, today.year + 1):
        starts_on = datetime.date(year, *first)
        ends_on = datetime.date(year + 1 if last < first else year, *last)
        if ends_on >= today:
            return starts_on, ends_on
    raise AssertionError("unreachable: next year's holiday always ends after today")


# --- Removing ------------------------------------------------------------------------------


def remove_demo():
    """Delete every demo organisation with its groups and venues; returns what was removed."""
    with transaction.atomic():
        organisations = Organisation.objects.filter(is_demo=True)
        names = list(organisations.values_list("name", flat=True))
        if not names:
            return "No demo data to remove."
        borrowed = (
            Venue.objects.filter(organisation__is_demo=True)
            .filter(
                Q(schedules__group__organisation__is_demo=False)
                | Q(extra_sessions__group__organisation__is_demo=False)
            )
            .distinct()
        )
        if borrowed.exists():
            raise CommandError(
                "These demo venues are used by real groups, so nothing was removed: "
                + ", ".join(str(venue) for venue in borrowed)
            )
        groups = Group.objects.filter(organisation__is_demo=True)
        remove_demo_evidence(organisations, groups)
        group_count = groups.count()
        venue_count = Venue.objects.filter(organisation__is_demo=True).count()
        # Schedules protect their venues, so the groups (and with them their schedules)
        # go first; the organisations then take their venues and memberships with them.
        groups.delete()
        organisations.delete()
        account_count = remove_demo_accounts()
    lines = [
        f"Demo data removed: {len(names)} organisations, {group_count} groups, "
        f"{venue_count} venues, {account_count} sign-in accounts."
    ]
    lines += [f"  - {name}" for name in names]
    return "\n".join(lines)
