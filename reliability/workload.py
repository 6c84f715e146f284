"""What the load is made of: parents browsing and searching, the open-data API, and organisers
signed in and editing their own listings.

Every organiser write that changes something carries a unique token (the note of an extra
date), so a scenario can check afterwards that each write confirmed to the client is in the
database.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote

from accounts.demo import DEMO_PASSWORD, organisation_account_email
from reliability.harness import Browser, fetch, new_rng, pick, timed

SEARCHES = ["baby", "anxiety", "dads", "walk", "feeding", "Elgin", "online", "café", "zzzz"]
WRITE_PREFIX = "reliability-"
API_CANDIDATES = [
    "/api/openreferral/services",
    "/api/openreferral/organizations",
    "/api/openreferral/locations",
]


@dataclass
class Site:
    """What the demo database holds, read once with SQL."""

    group_slugs: list
    organisation_slugs: list
    area_slugs: list
    topic_slugs: list
    groups_by_organisation: dict
    api_paths: list = field(default_factory=list)

    @classmethod
    def discover(cls, postgres, database, base_url):
        def column(sql):
            return [row[0] for row in postgres.query(database, sql)]

        published = (
            "select g.slug from directory_group g join accounts_organisation o "
            "on o.id = g.organisation_id where g.status = 'published' and o.status = 'approved'"
        )
        groups = {}
        for slug, pk in postgres.query(
            database,
            "select o.slug, g.id from directory_group g join accounts_organisation o "
            "on o.id = g.organisation_id where o.is_demo and o.status = 'approved' "
            "order by g.id",
        ):
            groups.setdefault(slug, []).append(pk)
        site = cls(
            group_slugs=column(published),
            organisation_slugs=column(
                "select slug from accounts_organisation where status = 'approved'"
            ),
            area_slugs=column("select slug from directory_area"),
            topic_slugs=column("select slug from directory_topic"),
            groups_by_organisation=groups,
        )
        site.api_paths = [
            path for path in API_CANDIDATES if fetch(base_url, "GET", path).status == 200
        ]
        return site

    def public_paths(self, rng):
        """A weighted choice of what parents and referrers ask for."""
        group = rng.choice(self.group_slugs)
        area = rng.choice(self.area_slugs)
        topic = rng.choice(self.topic_slugs)
        choices = [
            (12, ("list", "/")),
            (10, ("list filtered", f"/?area={area}&topic={topic}")),
            (10, ("search", f"/?q={quote(rng.choice(SEARCHES))}")),
            (15, ("group page", f"/groups/{group}/")),
            (3, ("calendar file", f"/groups/{group}/calendar.ics")),
            (8, ("what's on", "/whats-on/")),
            (4, ("what's on filtered", f"/whats-on/?area={area}")),
            (3, ("organisations", "/organisations/")),
            (3, ("organisation", f"/organisations/{rng.choice(self.organisation_slugs)}/")),
            (2, ("help", "/help/")),
        ]
        for path in self.api_paths:
            choices.append((4, ("api", path)))
        return pick(rng, choices)


class Visitor:
    """A parent (or health visitor) on the public pages and the API."""

    def __init__(self, base_url, site):
        self.base_url = base_url
        self.site = site
        self.rng = new_rng()

    def step(self):
        label, path = self.site.public_paths(self.rng)
        return timed(label, lambda: fetch(self.base_url, "GET", path))


class Organiser:
    """A signed-in organiser looking at and changing their organisation's listings."""

    def __init__(self, base_url, organisation_slug, group_pks, role="admin"):
        self.base_url = base_url
        self.group_pks = group_pks
        self.rng = new_rng()
        self.browser = Browser(base_url)
        email = organisation_account_email(SimpleNamespace(slug=organisation_slug), role)
        self.browser.sign_in(email, DEMO_PASSWORD)
        self.csrf = self.browser.csrf_token("/manage/")

    def post(self, path, data):
        return self.browser.request(
            "POST",
            path,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            headers={"Referer": self.base_url + path},
        )

    def add_extra_date(self, group):
        token = WRITE_PREFIX + secrets.token_hex(8)
        # Within the stored-sessions horizon, so each extra date has one stored session.
        day = datetime.date.today() + datetime.timedelta(days=self.rng.randint(2, 150))
        data = {
            "date": day.isoformat(),
            # Early, so it never overlaps a regular session (which the form refuses).
            "start_time": "06:30",
            "end_time": "07:00",
            "venue": "",
            "note": token,
        }
        path = f"/manage/groups/{group}/extra-dates/new/"
        return timed("organiser: add date", lambda: self.post(path, data), (302,), token)

    def step(self):
        group = self.rng.choice(self.group_pks)
        action = pick(
            self.rng,
            [(3, "dashboard"), (3, "group"), (2, "confirm"), (3, "add date")],
        )
        if action == "dashboard":
            return timed("organiser: dashboard", lambda: self.browser.get("/manage/"))
        if action == "group":
            return timed("organiser: group", lambda: self.browser.get(f"/manage/groups/{group}/"))
        if action == "confirm":
            path = f"/manage/groups/{group}/confirm/"
            return timed("organiser: still correct", lambda: self.post(path, {}), (302,))
        return self.add_extra_date(group)


def organisers(base_url, site, count):
    """`count` signed-in organisers: the admin and the editor of each demo organisation in
    turn, so colleagues edit the same listings at the same time."""
    people = []
    slugs = sorted(site.groups_by_organisation)
    for index in range(count):
        slug = slugs[(index // 2) % len(slugs)]
        role = "admin" if index % 2 == 0 else "editor"
        people.append(Organiser(base_url, slug, site.groups_by_organisation[slug], role))
    return people


def workload(base_url, site, clients):
    """`clients` concurrent clients, one in five of them an organiser."""
    organiser_count = max(2, clients // 5)
    return organisers(base_url, site, organiser_count) + [
        Visitor(base_url, site) for _ in range(clients - organiser_count)
    ]


def confirmed_writes_missing(postgres, database, tokens):
    """The confirmed write tokens that are not in the database."""
    stored = {
        row[0]
        for row in postgres.query(
            database,
            "select note from directory_extrasession where note like %s",
            (WRITE_PREFIX + "%",),
        )
    }
    return sorted(set(tokens) - stored)


def half_written_records(postgres, database):
    """Writes that only partly happened: an extra date without its one stored session, or a
    stored session twice over."""
    problems = []
    for (extra_id,) in postgres.query(
        database,
        "select e.id from directory_extrasession e where e.note like %s and "
        "(select count(*) from directory_session s where s.extra_id = e.id) <> 1",
        (WRITE_PREFIX + "%",),
    ):
        problems.append(f"extra date {extra_id} does not have exactly one stored session")
    for group_id, starts_at, copies in postgres.query(
        database,
        "select group_id, starts_at, count(*) from directory_session "
        "group by group_id, starts_at, schedule_id, extra_id having count(*) > 1",
    ):
        problems.append(f"group {group_id} has {copies} sessions at {starts_at}")
    for (extra_id,) in postgres.query(
        database,
        "select e.id from directory_extrasession e where e.note like %s and not exists "
        "(select 1 from directory_historicalextrasession h where h.id = e.id)",
        (WRITE_PREFIX + "%",),
    ):
        problems.append(f"extra date {extra_id} has no history record")
    return problems
