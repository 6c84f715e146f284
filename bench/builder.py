"""Builds a realistic directory of any size, quickly, for the benchmark and its smoke test.

Rows go in with bulk_create, a batch at a time. Dates come from directory.recurrence and each
group's stored sessions from directory.timetable.expected_sessions, the same expansion the site
uses, so the timetable is what a real directory of that size would hold: weekly, fortnightly
and monthly schedules, term-time breaks, cancelled dates, one-off extra sessions, and a few
months of past sessions kept as history.

Calling build_directory again with a larger size adds groups to the ones already there, so one
database grows from 100 to 1,000 to 10,000 groups.
"""

import datetime
import itertools
import math
import random

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation
from directory import search
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
from directory.places import load_places
from directory.recurrence import dates_between
from directory.terms import load_terms
from directory.timetable import expected_sessions

GROUPS_PER_ORGANISATION = 8  # on average; a few organisations run many more
VENUES_PER_ORGANISATION = 2
HISTORY_DAYS = 91  # past sessions a directory that has run for a while still holds
BATCH_SIZE = 2000
SESSION_BATCH_SIZE = 20000

AREA_TOWNS = {
    "elgin": ["Elgin", "New Elgin", "Bishopmill", "Lhanbryde"],
    "lossiemouth": ["Lossiemouth"],
    "forres": ["Forres", "Kinloss", "Findhorn"],
    "buckie": ["Buckie", "Portknockie", "Findochty", "Portgordon"],
    "keith": ["Keith", "Newmill"],
    "fochabers": ["Fochabers", "Mosstodloch"],
    "speyside": ["Aberlour", "Rothes", "Dufftown", "Craigellachie"],
    "burghead-hopeman": ["Burghead", "Hopeman", "Duffus"],
    "anywhere-in-moray": ["Moray"],
}
ORGANISATION_KINDS = [
    "Family Network",
    "Parents Together",
    "Wellbeing Hub",
    "Community Cuppa",
    "Baby Friends",
    "Family Centre",
    "Young Parents Project",
    "Perinatal Peer Support",
    "Dads Club",
    "Home Visiting",
]
# A directory's text is varied: most words a parent searches for are in a few groups' names
# and descriptions, not in every one.
GROUP_KINDS = [
    ("Bumps & Babies", "A friendly morning for parents-to-be and parents of new babies."),
    ("Cuppa and Chat", "Tea, biscuits and an easy chat with other parents."),
    ("Dads' Den", "A relaxed group for dads and partners, with the bairns welcome."),
    ("Buggy Walk", "A gentle walk with prams and buggies, then a hot drink."),
    ("Parent Wellbeing Drop-in", "For parents who are finding things hard, or want company."),
    ("Calm Parents Circle", "A small group for parents living with worry and anxiety."),
    ("Young Parents' Hangout", "For parents and parents-to-be aged 25 and under."),
    ("Feeding Friends", "Breast, bottle or mixed: friendly support without judgement."),
    ("Toddler Natter", "Play for the little ones and a natter for the grown-ups."),
    ("Evening Chat Online", "A video call for parents who can't get out in the day."),
    ("Twins and More", "For parents of twins, triplets and close-together siblings."),
    ("Sleep Swap", "Sharing what helps with broken nights, and what doesn't."),
    ("Rhyme Time and Chat", "Songs for the babies, then a chat for the grown-ups."),
    ("Baby Massage Circle", "Gentle baby massage, learned together, and time to talk."),
    ("Mums' Wellbeing Group", "A warm space for mums who are struggling or low."),
    ("Coffee Morning", "A drop-in coffee morning for anyone caring for a little one."),
    ("Postnatal Peer Support", "For the first year after birth, whatever it has been like."),
    ("Pregnancy Circle", "Meet others due around the same time as you."),
    ("Stay and Play", "The children play while parents get a cuppa and company."),
    ("Kinship Carers' Cuppa", "For grandparents and relatives bringing up a child."),
    ("Rainbow Babies Group", "For parents expecting or caring for a baby after a loss."),
    ("Outdoor Tots", "Muddy puddles, den building and a flask of tea."),
    ("New Parents Natter", "For anyone finding their feet with a new baby."),
    ("Partners Together", "For couples adjusting to life with a baby."),
]
DESCRIPTION_SENTENCES = [
    "Come along for a cuppa and a chat with other parents and our trained peer supporters.",
    "Our peer supporters have been through tough times as parents themselves.",
    "There's no agenda: each week goes where the group wants it to.",
    "If you'd like a quieter word, a peer supporter can sit with you one-to-one.",
    "Babies and toddlers are very welcome, and there's a mat and toys on the floor.",
    "Some parents come every week; some drop in once in a while. Both are fine.",
    "We sometimes have a visit from a health visitor.",
    "Partners, grandparents and carers are all welcome too.",
    "It's a small group, usually six to ten parents, so it never feels crowded.",
    "We finish with a short stroll round the park when the weather is kind.",
    "Nobody will ask you to talk about anything you'd rather not.",
    "Lots of parents tell us the hardest part was coming in the first time.",
    "The kettle is always on and there's fruit and biscuits for everyone.",
    "We can help you find other support nearby if you need it.",
    "Everything said in the group stays in the group.",
    "You can bring a friend along if that makes it easier.",
    "There's a quiet room if you need a moment to yourself.",
    "We're a friendly bunch and we remember what the early days are like.",
    "Older brothers and sisters are welcome in the school holidays.",
    "We'll text you a reminder the day before if you like.",
]
FIRST_VISITS = [
    "You don't have to talk — lots of people just come for a cuppa the first time.",
    "Someone will meet you at the door and show you where everything is.",
    "Bring your baby; there's space for prams and a quiet corner for feeding.",
]
TIMES = [
    (datetime.time(10, 0), datetime.time(11, 30)),
    (datetime.time(10, 30), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(15, 0)),
    (datetime.time(19, 0), datetime.time(20, 30)),
]
FESTIVE_DATES = [(12, 25), (12, 26), (1, 1)]


def build_directory(total_groups, seed=2024, today=None):
    """Grow the directory to `total_groups` groups; returns how many groups were added."""
    today = today or timezone.localdate()
    # What every install starts with (manage.py load_terms): the vocabulary and the places.
    load_terms()
    load_places()
    already = Group.objects.count()
    wanted = total_groups - already
    if wanted <= 0:
        return 0
    rng = random.Random(seed + already)
    with transaction.atomic():
        organisations = _organisations(rng, already, math.ceil(wanted / GROUPS_PER_ORGANISATION))
        venues = _venues(rng, organisations)
        groups = _groups(rng, already, wanted, organisations, today)
        _facets(rng, groups)
        schedules = _schedules(rng, groups, venues, today)
        _breaks(rng, groups, schedules, today)
        _extras(rng, groups, venues, today)
        _sessions([g.pk for g in groups], today)
        # bulk_create sends no signals: fill in what a search looks in, as saving would.
        search.refresh(Group.objects.filter(search_text=""))
    if connection.vendor == "postgresql":
        # What autovacuum does for a database that has been running a while: fresh planner
        # statistics, and the search indexes' pending entries merged in. (VACUUM cannot run
        # inside a transaction, as in a test, where ANALYZE alone does.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return wanted


def _organisations(rng, already, count):
    start = Organisation.objects.count()
    organisations = []
    for n in range(start, start + count):
        town = rng.choice(list(itertools.chain(*AREA_TOWNS.values())))
        name = f"{town} {rng.choice(ORGANISATION_KINDS)}"
        status = rng.choices(
            [Organisation.Status.APPROVED, Organisation.Status.PENDING],
            weights=[95, 5],
        )[0]
        organisation = Organisation(
            name=name,
            slug=f"{slugify(name)}-{n}",
            summary=f"A local charity supporting parents in and around {town}.",
            description=" ".join(rng.sample(DESCRIPTION_SENTENCES, 3)),
            email=f"hello{n}@example.org",
            phone=f"01632 960{n % 1000:03d}",
            website=f"https://example.org/{n}",
            status=status,
        )
        organisation.home_town = town  # names its groups; not stored
        organisations.append(organisation)
    return Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)


def _venues(rng, organisations):
    places = list(Area.objects.filter(is_online=False))
    venues = []
    for organisation in organisations:
        for n in range(rng.randint(1, 2 * VENUES_PER_ORGANISATION - 1)):
            area = rng.choice(places)
            town = rng.choice(AREA_TOWNS.get(area.slug, [area.name]))
            venues.append(
                Venue(
                    organisation=organisation,
                    name=rng.choice(["Church Hall", "Community Centre", "Library", "Café"])
                    + f" {n + 1}",
                    address=f"{rng.randint(1, 90)} High Street",
                    town=town,
                    postcode="IV30 1AA",
                    area=area,
                    latitude=f"{57.4 + rng.random() / 3:.5f}",
                    longitude=f"{-3.6 + rng.random() / 1.5:.5f}",
                    step_free=rng.random() < 0.7,
                    parking=rng.random() < 0.6,
                    bus_route=rng.random() < 0.6,
                    pram_space=rng.random() < 0.7,
                    accessible_toilet=rng.random() < 0.5,
                    baby_change=rng.random() < 0.7,
                    directions="Through the side door; the room is on the left.",
                )
            )
    venues = Venue.objects.bulk_create(venues, batch_size=BATCH_SIZE)
    by_organisation = {}
    for venue in venues:
        by_organisation.setdefault(venue.organisation_id, []).append(venue)
    return by_organisation


def _groups(rng, already, count, organisations, today):
    statuses = [
        Group.Status.PUBLISHED,
        Group.Status.DRAFT,
        Group.Status.PENDING,
        Group.Status.PAUSED,
    ]
    # Most organisations run a handful of groups; a few run dozens.
    sizes = [rng.paretovariate(2) for _ in organisations]
    owners = rng.choices(organisations, weights=sizes, k=count)
    groups = []
    for n, organisation in zip(range(already, already + count), owners, strict=True):
        kind, summary = rng.choice(GROUP_KINDS)
        town = organisation.home_town
        online = kind.endswith("Online") or rng.random() < 0.08
        name = f"{town} {kind}"
        groups.append(
            Group(
                organisation=organisation,
                name=name,
                slug=f"{slugify(name)}-{n}",
                summary=summary,
                description=" ".join(rng.sample(DESCRIPTION_SENTENCES, rng.randint(3, 6))),
                what_to_expect=" ".join(rng.sample(FIRST_VISITS, 2)),
                in_person=not online,
                online=online,
                phone=online and rng.random() < 0.3,
                drop_in=rng.random() < 0.75,
                one_to_one=rng.random() < 0.25,
                leadership=rng.choice(Group.Leadership.values),
                focus=rng.choice(Group.Focus.values),
                children_welcome=rng.random() < 0.9,
                creche=rng.random() < 0.1,
                is_free=rng.random() < 0.85,
                contact_name=rng.choice(["Jenny", "Ali", "Morag", "Sam", "Kirsty", "Euan"]),
                contact_phone=f"01632 960{n % 1000:03d}",
                contact_email=f"group{n}@example.org",
                status=rng.choices(statuses, weights=[85, 5, 5, 5])[0],
                last_confirmed=today - datetime.timedelta(days=rng.randint(0, 150)),
            )
        )
    return Group.objects.bulk_create(groups, batch_size=BATCH_SIZE)


def _facets(rng, groups):
    topics = list(Topic.objects.values_list("pk", flat=True))
    audiences = list(Audience.objects.values_list("pk", flat=True))
    topic_links = [
        Group.topics.through(group_id=group.pk, topic_id=topic)
        for group in groups
        for topic in rng.sample(topics, rng.randint(1, min(3, len(topics))))
    ]
    audience_links = [
        Group.audiences.through(group_id=group.pk, audience_id=audience)
        for group in groups
        for audience in rng.sample(audiences, rng.randint(1, min(2, len(audiences))))
    ]
    Group.topics.through.objects.bulk_create(topic_links, batch_size=BATCH_SIZE)
    Group.audiences.through.objects.bulk_create(audience_links, batch_size=BATCH_SIZE)


def _schedules(rng, groups, venues, today):
    schedules = []
    for group in groups:
        for _ in range(2 if rng.random() < 0.15 else 1):
            frequency = rng.choices(Schedule.Frequency.values, weights=[60, 25, 15])[0]
            start, end = rng.choice(TIMES)
            starts_on = today - datetime.timedelta(days=rng.randint(0, 400))
            ends_on = None
            if rng.random() < 0.05:
                ends_on = today + datetime.timedelta(days=rng.randint(-60, 120))
            schedules.append(
                Schedule(
                    group=group,
                    venue=rng.choice(venues[group.organisation_id]) if group.in_person else None,
                    frequency=frequency,
                    weekday=rng.choices(range(7), weights=[3, 3, 3, 3, 3, 2, 1])[0],
                    week_of_month=rng.choice([1, 2, 3, -1]) if frequency == "monthly" else None,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    start_time=start,
                    end_time=end,
                )
            )
    return Schedule.objects.bulk_create(schedules, batch_size=BATCH_SIZE)


def _breaks(rng, groups, schedules, today):
    """Term-time breaks, festive closures and the odd cancelled date."""
    horizon = today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    pauses, cancellations = [], []
    schedules_by_group = {}
    for schedule in schedules:
        schedules_by_group.setdefault(schedule.group_id, []).append(schedule)
    for group in groups:
        dates = set()
        for schedule in schedules_by_group.get(group.pk, []):
            dates.update(dates_between(schedule, today, horizon))
        if rng.random() < 0.3:
            pause = Pause(group=group, note="School holidays")
            pause.starts_on = today + datetime.timedelta(days=rng.randint(14, 120))
            pause.ends_on = pause.starts_on + datetime.timedelta(days=rng.choice([13, 20, 48]))
            pauses.append(pause)
            dates = {d for d in dates if not pause.starts_on <= d <= pause.ends_on}
        festive = {d for d in dates if (d.month, d.day) in FESTIVE_DATES}
        chosen = festive | set(rng.sample(sorted(dates), min(len(dates), rng.choice([0, 0, 1, 2]))))
        cancellations.extend(
            Cancellation(group=group, date=day, note="The hall is closed that day")
            for day in sorted(chosen)
        )
    Pause.objects.bulk_create(pauses, batch_size=BATCH_SIZE)
    Cancellation.objects.bulk_create(cancellations, batch_size=BATCH_SIZE)


def _extras(rng, groups, venues, today):
    extras = [
        ExtraSession(
            group=group,
            venue=rng.choice(venues[group.organisation_id]) if group.in_person else None,
            date=today + datetime.timedelta(days=rng.randint(1, 60)),
            start_time=datetime.time(18, 0),
            end_time=datetime.time(19, 30),
            note="An extra evening get-together",
        )
        for group in groups
        if rng.random() < 0.05
    ]
    ExtraSession.objects.bulk_create(extras, batch_size=BATCH_SIZE)


def _sessions(group_ids, today):
    """Expand every new group's timetable and store it, then set each group's next session."""
    first_day = today - datetime.timedelta(days=HISTORY_DAYS)
    last_day = today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    groups = Group.objects.filter(pk__in=group_ids).prefetch_related(
        "schedules", "pauses", "cancellations", "extra_sessions"
    )
    pending = []
    for group in groups.iterator(chunk_size=BATCH_SIZE):
        pending.extend(expected_sessions(group, first_day, last_day))
        if len(pending) >= SESSION_BATCH_SIZE:
            _store(pending)
            pending = []
    _store(pending)
    next_start = Session.objects.upcoming().filter(group=OuterRef("pk")).values("starts_at")[:1]
    Group.objects.filter(pk__in=group_ids).update(next_session_at=Subquery(next_start))


def _store(sessions):
    """bulk_create, or on PostgreSQL a COPY: sessions are most of the rows, and COPY takes
    them several times faster than INSERT statements Django has to build."""
    if connection.vendor != "postgresql":
        Session.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        return
    fields = [f for f in Session._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Session._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for session in sessions:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(session, True), connection) for f in fields]
            )
