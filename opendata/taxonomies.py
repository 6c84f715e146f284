"""The facets a parent filters on, published as Open Referral taxonomies with their terms.

Topics, audiences and areas are rows in the database; formats and practicalities are fixed
lists read off a group's (and its venues') yes/no fields. Each taxonomy knows which terms a
group has (from the lists prefetched by opendata.queries.services) and the matching database
condition, and the two are kept in step by the tests.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Q

from directory import facets
from directory.filters import FORMAT_CHOICES, PRACTICAL_CHOICES, VENUE_PRACTICALS
from directory.models import Area, Audience, Group, Topic
from opendata.identifiers import derived_id
from opendata.queries import meets_at_venue

# How each format reads off a group: the field, and the values that mean "yes".
FORMAT_FIELDS = {
    "in-person": ("in_person", (True,)),
    "online": ("online", (True,)),
    "phone": ("phone", (True,)),
    "drop-in": ("drop_in", (True,)),
    "booking": ("drop_in", (False,)),
    "one-to-one": ("one_to_one", (True,)),
}
GROUP_PRACTICAL_FIELDS = {
    "children-welcome": ("children_welcome", (True,)),
    "free": ("is_free", (True,)),
    "creche": ("creche", (True,)),
    "peer-led": ("leadership", (Group.Leadership.PEER, Group.Leadership.BOTH)),
}


@dataclass(eq=False)
class Term:
    taxonomy: "Taxonomy"
    slug: str
    name: str
    description: str = ""
    # The area that stands for groups meeting online or by phone.
    online: bool = False

    @cached_property
    def id(self):
        return derived_id("taxonomy_term", self.taxonomy.key, self.slug)


@dataclass(eq=False)
class Taxonomy:
    key: str
    name: str
    description: str
    # The group list's query parameter for this facet, so each term links to its groups.
    filter_name: str
    today: object = None
    terms: list = field(default_factory=list)

    @cached_property
    def id(self):
        return derived_id("taxonomy", self.key)

    def add(self, slug, name, description="", online=False):
        self.terms.append(Term(self, slug, name, description, online))

    def condition(self, term):
        """A condition on Group: the group has this term."""
        raise NotImplementedError

    def any_condition(self):
        """A condition on Group: the group has some term of this taxonomy."""
        condition = Q(pk__in=[])
        for term in self.terms:
            condition |= self.condition(term)
        return condition

    def terms_for(self, group):
        raise NotImplementedError

    def terms_for_venue(self, venue):
        return []


class FacetTaxonomy(Taxonomy):
    """Topics and audiences: a many-to-many field of Group."""

    relation = ""
    model_name = ""

    def condition(self, term):
        through = getattr(Group, self.relation).through
        return Exists(
            through.objects.filter(group=OuterRef("pk"), **{f"{self.model_name}__slug": term.slug})
        )

    def any_condition(self):
        through = getattr(Group, self.relation).through
        return Exists(through.objects.filter(group=OuterRef("pk")))

    def terms_for(self, group):
        chosen = {item.slug for item in getattr(group, self.relation).all()}
        return [term for term in self.terms if term.slug in chosen]


class TopicTaxonomy(FacetTaxonomy):
    relation, model_name = "topics", "topic"


class AudienceTaxonomy(FacetTaxonomy):
    relation, model_name = "audiences", "audience"


class AreaTaxonomy(Taxonomy):
    """Where a group meets: its venues' areas, and the online area for online or phone groups."""

    def condition(self, term):
        if term.online:
            return Q(online=True) | Q(phone=True)
        return meets_at_venue(self.today, area__slug=term.slug)

    def terms_for(self, group):
        slugs = {venue.area.slug for venue in group.current_venues()}
        remote = group.online or group.phone
        return [term for term in self.terms if (term.online and remote) or term.slug in slugs]

    def terms_for_venue(self, venue):
        return [term for term in self.terms if term.slug == venue.area.slug and not term.online]


class FormatTaxonomy(Taxonomy):
    def condition(self, term):
        name, values = FORMAT_FIELDS[term.slug]
        return Q(**{f"{name}__in": values})

    def terms_for(self, group):
        return [term for term in self.terms if self._has(group, term.slug)]

    @staticmethod
    def _has(group, slug):
        name, values = FORMAT_FIELDS[slug]
        return getattr(group, name) in values


class PracticalTaxonomy(Taxonomy):
    """Practical things: some are the group's own, some belong to the venues it meets at."""

    def condition(self, term):
        if term.slug in GROUP_PRACTICAL_FIELDS:
            name, values = GROUP_PRACTICAL_FIELDS[term.slug]
            return Q(**{f"{name}__in": values})
        return meets_at_venue(self.today, **{VENUE_PRACTICALS[term.slug]: True})

    def terms_for(self, group):
        venues = group.current_venues()
        chosen = []
        for term in self.terms:
            if term.slug in GROUP_PRACTICAL_FIELDS:
                name, values = GROUP_PRACTICAL_FIELDS[term.slug]
                if getattr(group, name) in values:
                    chosen.append(term)
            elif any(getattr(venue, VENUE_PRACTICALS[term.slug]) for venue in venues):
                chosen.append(term)
        return chosen

    def terms_for_venue(self, venue):
        return [
            term
            for term in self.terms
            if term.slug in VENUE_PRACTICALS and getattr(venue, VENUE_PRACTICALS[term.slug])
        ]


class Vocabulary:
    """All published taxonomies and their terms, from the cached facet terms (no query)."""

    def __init__(self, today):
        topics = TopicTaxonomy(
            "topics",
            "What it can help with",
            "What a group can help parents with, such as anxiety, low mood or loneliness.",
            "topic",
            today,
        )
        for topic in facets.terms(Topic):
            topics.add(topic.slug, topic.name, topic.description)
        audiences = AudienceTaxonomy(
            "audiences",
            "Who it's for",
            "Who a group is for: the stage of parenthood, from pregnancy to toddlers, "
            "and who is especially welcome.",
            "audience",
            today,
        )
        for audience in facets.terms(Audience):
            audiences.add(audience.slug, audience.name, audience.description)
        areas = AreaTaxonomy(
            "areas",
            "Area of Moray",
            "The parts of Moray where groups meet, and groups you can join online or by phone.",
            "area",
            today,
        )
        for area in facets.terms(Area):
            areas.add(area.slug, area.name, area.description, online=area.is_online)
        formats = FormatTaxonomy(
            "formats",
            "How it runs",
            "How a group meets: in person, online or by phone; drop in or book; "
            "as a group or with 1-2-1 support.",
            "format",
            today,
        )
        for slug, label in FORMAT_CHOICES:
            formats.add(slug, label)
        practicalities = PracticalTaxonomy(
            "practicalities",
            "Practical things",
            "Things that make going easier, such as children being welcome, no cost, "
            "step-free access or space for prams.",
            "practical",
            today,
        )
        for slug, label in PRACTICAL_CHOICES:
            practicalities.add(slug, label)
        self.taxonomies = [topics, audiences, areas, formats, practicalities]

    def all_terms(self):
        return [term for taxonomy in self.taxonomies for term in taxonomy.terms]

    def taxonomy(self, taxonomy_id):
        return next((t for t in self.taxonomies if t.id == taxonomy_id), None)

    def term(self, term_id):
        return next((term for term in self.all_terms() if term.id == term_id), None)

    def terms_for(self, group):
        return [term for taxonomy in self.taxonomies for term in taxonomy.terms_for(group)]

    def terms_for_venue(self, venue):
        return [term for taxonomy in self.taxonomies for term in taxonomy.terms_for_venue(venue)]
