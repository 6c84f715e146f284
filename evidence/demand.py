"""The demand report: what parents searched for, by area and topic and by area and format, how
often those searches found nothing, and how many groups are listed there today; and every
search that found nothing as it was asked, with all its choices (who it is for, practical
things, when), so "dads in Keith" is never read as "anything in Keith".

How a search counts: once for each (area, topic) pair it asked for, and likewise for each
(area, format) pair. A search for anxiety or low mood in Keith counts once for "anxiety in
Keith" and once for "low mood in Keith". A search that chose no area counts under "no area
chosen", one that chose no topic under "no topic chosen"; a search that chose neither is left
out of that table. "Found nothing" means the whole search, with all its other choices, found
no group.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.http import QueryDict

from directory.filters import FORMAT_CHOICES, FORMAT_CONDITIONS, GroupFilter
from directory.models import Area, Group, Topic
from evidence.counting import TYPED_TEXT, parse_search_key
from evidence.models import DailyCount, Metric

NONE_CHOSEN = ""
GAPS_SHOWN = 5
WHOLE_SEARCHES_SHOWN = 25


@dataclass
class Cell:
    area_slug: str
    area_name: str
    facet_slug: str
    facet_name: str
    facet: str = ""
    searches: int = 0
    found_nothing: int = 0
    groups: int = 0

    @property
    def label(self):
        if not self.area_slug:
            return f"{self.facet_name}, no area chosen"
        if not self.facet_slug:
            return f"{self.area_name}, no {self.facet} chosen"
        return f"{self.facet_name} in {self.area_name}"

    @property
    def summary(self):
        searches = f"{self.searches} search{'es' if self.searches != 1 else ''}"
        groups = f"{self.groups} group{'s' if self.groups != 1 else ''} listed"
        return f"{self.label}: {searches}, {self.found_nothing} found nothing, {groups}"


@dataclass
class Table:
    facet: str  # "topic" or "format"
    cells: list

    @property
    def gaps(self):
        """The biggest gaps: most searches that found nothing, then fewest groups listed."""
        wanting = [c for c in self.cells if c.found_nothing]
        wanting.sort(key=lambda c: (-c.found_nothing, c.groups, -c.searches, c.label))
        return wanting[:GAPS_SHOWN]


def search_totals(first_day, last_day):
    """{key: [searches, found nothing]} for every search key counted in the range."""
    totals = defaultdict(lambda: [0, 0])
    rows = (
        DailyCount.objects.filter(
            metric__in=[Metric.SEARCH, Metric.SEARCH_EMPTY], day__gte=first_day, day__lte=last_day
        )
        .values_list("metric", "key")
        .annotate(total=Sum("count"))
    )
    for metric, key, total in rows:
        totals[key][0 if metric == Metric.SEARCH else 1] += total
    return totals


def pair_counts(totals, facet):
    """{(area slug, facet slug): [searches, found nothing]}, each search once per pair."""
    pairs = defaultdict(lambda: [0, 0])
    for key, (searches, found_nothing) in totals.items():
        chosen = parse_search_key(key)
        areas = chosen.get("area") or [NONE_CHOSEN]
        facets = chosen.get(facet) or [NONE_CHOSEN]
        for area in areas:
            for value in facets:
                if area == NONE_CHOSEN and value == NONE_CHOSEN:
                    continue
                pairs[area, value][0] += searches
                pairs[area, value][1] += found_nothing
    return pairs


class GroupsListed:
    """How many published groups a parent would find today for an area and a topic or format,
    by the same rules as the public search (directory.filters)."""

    def __init__(self, area_slugs, topic_slugs, format_slugs):
        published = Group.objects.published()
        self.everything = set(published.values_list("pk", flat=True))
        self.by_area = {slug: set() for slug in area_slugs}
        for area in Area.objects.filter(slug__in=area_slugs):
            self.by_area[area.slug] = set(published.in_areas([area]).values_list("pk", flat=True))
        self.by_facet = {("topic", slug): set() for slug in topic_slugs}
        links = Group.topics.through.objects.filter(
            group__in=published.values("pk"), topic__slug__in=topic_slugs
        ).values_list("topic__slug", "group_id")
        for slug, group_id in links:
            self.by_facet["topic", slug].add(group_id)
        for slug in format_slugs:
            condition = FORMAT_CONDITIONS.get(slug)
            matching = published.filter(condition) if condition is not None else published.none()
            self.by_facet["format", slug] = set(matching.values_list("pk", flat=True))

    def count(self, area_slug, facet, facet_slug):
        groups = self.everything
        if area_slug:
            groups = groups & self.by_area[area_slug]
        if facet_slug:
            groups = groups & self.by_facet[facet, facet_slug]
        return len(groups)


def demand_report(first_day, last_day, totals=None):
    """The two tables (area × topic, area × format) for searches between the two days."""
    totals = search_totals(first_day, last_day) if totals is None else totals
    topic_pairs = pair_counts(totals, "topic")
    format_pairs = pair_counts(totals, "format")
    area_slugs = {a for a, _ in topic_pairs} | {a for a, _ in format_pairs}
    area_slugs.discard(NONE_CHOSEN)
    topic_slugs = {t for _, t in topic_pairs} - {NONE_CHOSEN}
    format_slugs = {f for _, f in format_pairs} - {NONE_CHOSEN}
    listed = GroupsListed(area_slugs, topic_slugs, format_slugs)
    area_names = dict(Area.objects.filter(slug__in=area_slugs).values_list("slug", "name"))
    facet_names = {
        "topic": dict(Topic.objects.filter(slug__in=topic_slugs).values_list("slug", "name")),
        "format": dict(FORMAT_CHOICES),
    }
    tables = []
    for facet, pairs in (("topic", topic_pairs), ("format", format_pairs)):
        cells = [
            Cell(
                facet=facet,
                area_slug=area,
                area_name=area_names.get(area, area) if area else "No area chosen",
                facet_slug=value,
                facet_name=facet_names[facet].get(value, value) if value else f"No {facet} chosen",
                searches=searches,
                found_nothing=found_nothing,
                groups=listed.count(area, facet, value),
            )
            for (area, value), (searches, found_nothing) in pairs.items()
        ]
        cells.sort(key=lambda c: (-c.found_nothing, -c.searches, c.area_name, c.facet_name))
        tables.append(Table(facet=facet, cells=cells))
    return tables


@dataclass
class WholeSearch:
    """One combination of choices, as parents asked for it."""

    choices: list  # the choices' names, as the search page shows them
    typed: bool  # words were typed too (never kept, so not part of `groups`)
    searches: int
    found_nothing: int
    groups: int  # published groups the same choices find today

    @property
    def label(self):
        return " · ".join(self.choices) + (" · and words typed" if self.typed else "")


def whole_searches(first_day, last_day, totals=None):
    """The searches that found nothing, each with every choice it made, most often first;
    with how many groups the same choices find today, by the public search's own filters."""
    totals = search_totals(first_day, last_day) if totals is None else totals
    wanting = [(key, counts) for key, counts in totals.items() if counts[1]]
    wanting.sort(key=lambda item: (-item[1][1], -item[1][0]))
    found = []
    for key, (searches, found_nothing) in wanting[:WHOLE_SEARCHES_SHOWN]:
        data = QueryDict(mutable=True)
        for name, values in parse_search_key(key).items():
            data.setlist(name, values)
        filterset = GroupFilter(data, queryset=Group.objects.published())
        choices = [label for _name, _value, label in filterset.active_choices()]
        if not choices:  # only words typed, which are never kept
            continue
        found.append(
            WholeSearch(
                choices=choices,
                typed=TYPED_TEXT in key.split(";"),
                searches=searches,
                found_nothing=found_nothing,
                groups=filterset.qs.count(),
            )
        )
    found.sort(key=lambda w: (-w.found_nothing, w.groups, -w.searches, w.label))
    return found
