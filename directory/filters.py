"""The search and filters a parent uses, shared by the group list and "what's on".

Choices within one filter are alternatives (Elgin or Forres; anxiety or loneliness); different
filters must all hold (in Forres, and about anxiety). "Practical things" are needs, so each one
chosen must hold.
"""

import datetime
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from directory import facets
from directory.models import Area, Audience, Group, Session, Topic
from moray_peer.text import plain_text

SEARCH_MAX_LENGTH = 100
# More values than any real visitor ticks; keeps a hand-made URL from building a huge query.
MAX_VALUES_PER_FILTER = 30
# Ways to widen an empty search, offered at most.
SUGGESTIONS_SHOWN = 6
# "What's on" shows a day and the 7 after it.
WHATS_ON_DAYS = 8

FORMAT_CHOICES = [
    ("in-person", "In person"),
    ("online", "Online"),
    ("phone", "Phone or text"),
    ("drop-in", "Drop in, no need to book"),
    ("booking", "Booking needed"),
    ("one-to-one", "1-2-1 support available"),
]
FORMAT_CONDITIONS = {
    "in-person": Q(in_person=True),
    "online": Q(online=True),
    "phone": Q(phone=True),
    "drop-in": Q(drop_in=True),
    "booking": Q(drop_in=False),
    "one-to-one": Q(one_to_one=True),
}
# Formats of one kind are alternatives ("in person or online"); each kind chosen must hold.
FORMAT_KINDS = [("in-person", "online", "phone"), ("drop-in", "booking"), ("one-to-one",)]

PRACTICAL_CHOICES = [
    ("children-welcome", "Babies and children welcome"),
    ("free", "Free"),
    ("step-free", "Step-free access"),
    ("parking", "Parking"),
    ("bus", "On a bus route"),
    ("pram", "Space for prams"),
    ("creche", "Creche"),
    ("peer-led", "Peer-led"),
]
GROUP_PRACTICALS = {
    # As Group.babies_come_along: only a group that meets in the room welcomes babies to it.
    "children-welcome": Q(children_welcome=True, in_person=True),
    "free": Q(is_free=True),
    "creche": Q(creche=True),
    "peer-led": Q(leadership__in=[Group.Leadership.PEER, Group.Leadership.BOTH]),
}
VENUE_PRACTICALS = {
    "step-free": "step_free",
    "parking": "parking",
    "bus": "bus_route",
    "pram": "pram_space",
}

# Topics offered as one-tap choices, in the vocabulary's order.
QUICK_TOPICS = 5
# Several choices a parent often makes together, offered as one tap ("quick" in the counts).
QUICK_COMBINATIONS = {
    "drop-in-baby-week": (
        "Drop in with your baby, next 7 days",
        {"format": ["drop-in"], "practical": ["children-welcome"], "when": ["week"]},
    ),
}

DAY_CHOICES = [("today", "Today"), ("week", "In the next 7 days"), ("weekend", "Weekends")]
TIME_CHOICES = [
    ("morning", "Mornings"),
    ("afternoon", "Afternoons"),
    ("evening", "Evenings"),
]
WHEN_CHOICES = DAY_CHOICES + TIME_CHOICES
NOON = datetime.time(12)
FIVE_PM = datetime.time(17)


def any_of(conditions):
    return reduce(or_, conditions)


def when_condition(values, today):
    """A Q on Session for the chosen days and times: any chosen day, and any chosen time."""
    day_conditions = {
        "today": Q(date=today),
        "week": Q(date__lte=today + datetime.timedelta(days=WHATS_ON_DAYS - 1)),
        # Django's week_day runs from Sunday (1) to Saturday (7).
        "weekend": Q(date__week_day__in=[1, 7]),
    }
    time_conditions = {
        "morning": Q(start_time__lt=NOON),
        "afternoon": Q(start_time__gte=NOON, start_time__lt=FIVE_PM),
        "evening": Q(start_time__gte=FIVE_PM),
    }
    condition = Q()
    for conditions in (day_conditions, time_conditions):
        chosen = [conditions[v] for v in values if v in conditions]
        if chosen:
            condition &= any_of(chosen)
    return condition


def venue_needs(practicals):
    """The Venue fields that must be true for the chosen practical needs."""
    return [VENUE_PRACTICALS[choice] for choice in practicals if choice in VENUE_PRACTICALS]


def session_place_condition(areas, venue_fields):
    """A Q on Session: this meeting itself is in a chosen area and at a venue with the needs.

    A group meeting in Elgin and in Forres passes the group filter for Forres; on "what's on"
    only its Forres sessions should then show.
    """
    condition = Q()
    if areas:
        place_ids = [area.pk for area in areas if not area.is_online]
        in_place = [Q(venue__area_id__in=place_ids)] if place_ids else []
        if any(area.is_online for area in areas):
            in_place += [Q(group__online=True), Q(group__phone=True)]
        condition &= any_of(in_place)
    if venue_fields:
        condition &= Q(**{f"venue__{field}": True for field in venue_fields})
    return condition


class SearchField(forms.CharField):
    """Free text, made safe for any database: control characters dropped, length capped."""

    def to_python(self, value):
        return plain_text(super().to_python(value), SEARCH_MAX_LENGTH)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class CachedTermsIterator(ModelChoiceIterator):
    """The field's choices from the cached facet terms (directory.facets), not a query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for term in facets.terms(self.queryset.model):
            yield self.choice(term)

    def __len__(self):
        return len(facets.terms(self.queryset.model)) + (self.field.empty_label is not None)


class KnownSlugsField(django_filters.fields.ModelMultipleChoiceField):
    """Keeps the chosen values it knows and notes the rest in `unrecognised`, so one out-of-date
    value in a shared link doesn't throw away the other choices. Its terms come from the
    cache (directory.facets): the form costs no query to check or to show."""

    iterator = CachedTermsIterator
    unrecognised = ()

    def clean(self, value):
        # Nothing chosen is no filter (Django's own field would give an empty queryset).
        return super().clean(value) if value else []

    def _check_values(self, value):
        value = list(dict.fromkeys(str(v) for v in value))[:MAX_VALUES_PER_FILTER]
        by_slug = {
            getattr(term, self.to_field_name): term for term in facets.terms(self.queryset.model)
        }
        self.unrecognised = [v for v in value if v not in by_slug]
        return [by_slug[v] for v in value if v in by_slug]


class KnownChoicesField(django_filters.fields.MultipleChoiceField):
    """Fixed choices, leniently: unknown values are dropped and noted in `unrecognised`."""

    unrecognised = ()

    def clean(self, value):
        values = list(dict.fromkeys(self.to_python(value)))[:MAX_VALUES_PER_FILTER]
        self.unrecognised = [v for v in values if not self.valid_value(v)]
        return [v for v in values if self.valid_value(v)]


class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KnownSlugsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = KnownChoicesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class GroupFilter(django_filters.FilterSet):
    q = SearchFilter(label="Search", method="filter_search")
    area = SlugChoiceFilter(queryset=Area.objects.all(), label="Area", method="filter_area")
    format = ChoicesFilter(choices=FORMAT_CHOICES, label="How it runs", method="filter_format")
    topic = SlugChoiceFilter(
        queryset=Topic.objects.all(), label="What it can help with", method="filter_topic"
    )
    audience = SlugChoiceFilter(
        queryset=Audience.objects.all(), label="Who it's for", method="filter_audience"
    )
    practical = ChoicesFilter(
        choices=PRACTICAL_CHOICES, label="Practical things", method="filter_practical"
    )
    when = ChoicesFilter(choices=WHEN_CHOICES, label="When", method="filter_when")

    class Meta:
        model = Group
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_area(self, queryset, name, value):
        return queryset.in_areas(value)

    def filter_format(self, queryset, name, value):
        for kind in FORMAT_KINDS:
            chosen = [FORMAT_CONDITIONS[choice] for choice in kind if choice in value]
            if chosen:
                queryset = queryset.filter(any_of(chosen))
        return queryset

    def filter_topic(self, queryset, name, value):
        through = Group.topics.through
        return queryset.filter(
            Exists(through.objects.filter(group=OuterRef("pk"), topic__in=value))
        )

    def filter_audience(self, queryset, name, value):
        through = Group.audiences.through
        return queryset.filter(
            Exists(through.objects.filter(group=OuterRef("pk"), audience__in=value))
        )

    def filter_practical(self, queryset, name, value):
        for choice in value:
            if choice in GROUP_PRACTICALS:
                queryset = queryset.filter(GROUP_PRACTICALS[choice])
        needs = venue_needs(value)
        return queryset.with_venue_features(needs) if needs else queryset

    def filter_when(self, queryset, name, value):
        return queryset.meeting(when_condition(value, timezone.localdate()))

    @property
    def chosen(self):
        """The cleaned choices (unknown values already dropped)."""
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def dropped_fields(self):
        """Labels of the filters with values we did not recognise and so left out."""
        self.form.is_valid()
        return [
            field.label
            for name, field in self.form.fields.items()
            if getattr(field, "unrecognised", ()) or name in self.form.errors
        ]

    def active_choices(self):
        """(filter name, value, label) for each chosen value, to show and remove one by one."""
        chosen = []
        for name, value in self.chosen.items():
            if not value:
                continue
            if name == "q":
                chosen.append((name, value, f"“{value}”"))
                continue
            labels = dict(self.filters[name].extra.get("choices", []))
            for item in value:
                if hasattr(item, "slug"):
                    chosen.append((name, item.slug, item.name))
                else:
                    chosen.append((name, item, labels.get(item, item)))
        return chosen

    def groups_matching(self, chosen, groups=None):
        """Published groups (or `groups`) matching `chosen` (cleaned values, as `chosen` gives
        them), through this filterset's own filters, without another form to build and
        check."""
        groups = Group.objects.published() if groups is None else groups
        for name, value in chosen.items():
            if value:
                groups = self.filters[name].filter(groups, value)
        return groups

    def option_counts(self):
        """How many groups each choice of each filter would list if she ticked it, the other
        choices as they are, as {filter name: {value: count}}: with Forres chosen, "Anxiety
        (2)" is the Forres groups about anxiety and "Elgin (9)" the groups in Forres or Elgin;
        a ticked choice shows what is listed now. The one-tap combinations are counted too,
        under "quick" (QUICK_COMBINATIONS). Kept in the shared cache for these choices
        (directory.facets); none for a search (its words are never kept)."""
        if self.chosen.get("q"):
            # Counted afresh for every search (its words are never kept), they made a search
            # page four times as slow (PostgreSQL, demo data, 54 ms to 250): a search shows
            # no counts instead.
            return {}
        chosen = {name: value for name, value in self.chosen.items() if value}
        return facets.option_counts(chosen, lambda: self._count_options(chosen))

    def _count_options(self, choices):
        """Each count is exactly what the choice's own link lists: the groups these filters
        find (groups_matching) for the choices with it added. Those are the groups matching
        every filter whose choices it leaves as they are, and among them the ones matching
        the filters it changes, so the choices that change the same filters are counted
        together: one query for all the filters nothing is chosen in, and one for each filter
        with a choice made."""
        options = []  # (filter name, value, the choices ticking it makes)
        for name, filter_ in self.filters.items():
            if name == "q":
                continue
            field = self.form.fields[name]
            if isinstance(field, KnownSlugsField):
                values = [(term.slug, term) for term in facets.terms(field.queryset.model)]
            else:
                values = [(value, value) for value, _label in filter_.extra["choices"]]
            for value, item in values:
                options.append((name, value, choices_adding(choices, {name: [item]})))
        for key, (_label, adds) in QUICK_COMBINATIONS.items():
            options.append(("quick", key, choices_adding(choices, adds)))

        by_kept = {}  # {the filters an option leaves as they are: [(n, the changed ones)]}
        for n, (_name, _value, made) in enumerate(options):
            changed = {name: made[name] for name in made if made[name] != choices.get(name)}
            kept = tuple(name for name in choices if name not in changed)
            by_kept.setdefault(kept, []).append((n, changed))
        found = {}
        for kept, counted in by_kept.items():
            groups = self.groups_matching({name: choices[name] for name in kept})
            found |= groups.aggregate(
                **{
                    f"option_{n}": Count("pk", filter=self._holding(changed))
                    for n, changed in counted
                }
            )
        counts = {}
        for n, (name, value, _made) in enumerate(options):
            counts.setdefault(name, {})[value] = found[f"option_{n}"]
        return counts

    def _holding(self, chosen):
        """A condition on Group: among the groups `chosen` finds (None, no condition, for
        no choices)."""
        if not chosen:
            return None
        # Of any group: the groups counted are published already.
        return Q(pk__in=self.groups_matching(chosen, Group.objects.all()).values("pk"))

    def quick_choices(self, query):
        """One-tap ways to narrow what is listed, each with how many groups it leaves:
        (label, query string, count), only those known to leave some (none for a search):
        the areas while none is chosen, the first topics while none is chosen, then each
        quick combination not already made."""
        chosen = self.chosen
        counts = self.option_counts()
        offered = []
        for name, model, shown in (("area", Area, None), ("topic", Topic, QUICK_TOPICS)):
            if not chosen.get(name):
                for term in facets.terms(model)[:shown]:
                    link = query_adding(query, {name: [term.slug]})
                    offered.append((term.name, link, counts.get(name, {}).get(term.slug)))
        for key, (label, adds) in QUICK_COMBINATIONS.items():
            if choices_adding(chosen, adds) != choices_adding(chosen, {}):
                count = counts.get("quick", {}).get(key)
                offered.append((label, query_adding(query, adds), count))
        return [(label, link, count) for label, link, count in offered if count]

    def removal_links(self, query):
        """(label, query string without that one choice) for each chosen value."""
        return [
            (label, query_without(query, name, value))
            for name, value, label in self.active_choices()
        ]


class SessionFilter(GroupFilter):
    """The same filters applied to sessions, for "what's on"."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.session_queryset = queryset
        super().__init__(data, Group.objects.published(), request=request, prefix=prefix)

    @property
    def qs(self):
        chosen = self.chosen
        sessions = self.session_queryset
        if any(chosen.values()):  # with nothing chosen, every public group's sessions show
            sessions = sessions.filter(group__in=super().qs.values("pk"))
        sessions = sessions.filter(
            session_place_condition(
                chosen.get("area") or [], venue_needs(chosen.get("practical") or [])
            )
        )
        if chosen.get("when"):
            sessions = sessions.filter(when_condition(chosen["when"], timezone.localdate()))
        return sessions


class WhatsOnWindow(forms.Form):
    """Which days "what's on" shows: today and the next 7, or 8 days from a later `start`
    (?start=2025-03-03), kept within the dates we hold sessions for."""

    start = forms.DateField(required=False)

    @staticmethod
    def latest_start():
        today = timezone.localdate()
        return today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS - WHATS_ON_DAYS)

    def days(self):
        start = self.cleaned_data["start"] if self.is_valid() else None
        first_day = min(
            max(start or timezone.localdate(), timezone.localdate()), self.latest_start()
        )
        return first_day, first_day + datetime.timedelta(days=WHATS_ON_DAYS - 1)

    def earlier_query(self, query):
        """The query string for the 8 days before these, or "" when these start today."""
        first_day, _ = self.days()
        if first_day <= timezone.localdate():
            return ""
        earlier = first_day - datetime.timedelta(days=WHATS_ON_DAYS)
        return query_replacing(query, "start", max(earlier, timezone.localdate()).isoformat())

    def later_query(self, query):
        """The query string for the 8 days after these, or "" past the dates we hold."""
        first_day, last_day = self.days()
        if first_day >= self.latest_start():
            return ""
        later = last_day + datetime.timedelta(days=1)
        return query_replacing(query, "start", min(later, self.latest_start()).isoformat())


def sessions_for_window(first_day, last_day):
    return (
        Session.objects.public()
        .between(first_day, last_day)
        .filter(ends_at__gte=timezone.now())
        .for_whats_on()
        .order_by("starts_at", "group__name")
    )


def query_without(querydict, name, value=None):
    """The query string with one chosen value (or a whole filter) taken away."""
    remaining = querydict.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(name, None)
    else:
        remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    return remaining.urlencode()


def query_replacing(querydict, name, value):
    """The query string with a filter set to one value, back on the first page."""
    replaced = querydict.copy()
    replaced.pop("page", None)
    replaced[name] = value
    return replaced.urlencode()


def query_with(querydict, name, value):
    """The query string with one more value for a filter."""
    widened = querydict.copy()
    widened.pop("page", None)
    widened.setlist(name, widened.getlist(name) + [value])
    return widened.urlencode()


def query_adding(querydict, adds):
    """The query string with the values of `adds` ({filter name: [value]}) chosen too."""
    widened = querydict.copy()
    widened.pop("page", None)
    for name, values in adds.items():
        present = widened.getlist(name)
        widened.setlist(name, present + [v for v in values if v not in present])
    return widened.urlencode()


def choices_adding(chosen, adds):
    """The cleaned choices with the values of `adds` chosen too (terms or fixed values), each
    once, and the filters with nothing chosen left out."""
    made = {}
    for name in dict.fromkeys([*chosen, *adds]):
        values = list(chosen.get(name) or [])
        known = {getattr(value, "slug", value) for value in values}
        values += [v for v in adds.get(name, []) if getattr(v, "slug", v) not in known]
        if values:
            made[name] = values
    return made


def widen_suggestions(filterset, query, reading=None):
    """Ways to find something when a search found nothing: the words typed with a misspelt
    one put right ("Did you mean “rothes”?"), each topic, audience or area the words meant on
    its own, drop one choice, add the nearby areas, add groups that meet online. Only those
    that would find a group, with how many; never a "without" that leaves nothing chosen,
    which would only list every group."""
    chosen = {name: value for name, value in filterset.chosen.items() if value}
    candidates = []  # (label, query string, the choices it makes)
    if reading is not None and chosen.get("q"):
        candidates += typed_suggestions(query, chosen, reading)
    for name, value, label in filterset.active_choices():
        quoted = label if name == "q" else f"“{label}”"
        remaining = choices_without(chosen, name, value)
        if not any(remaining.values()):
            continue
        candidates.append((f"Without {quoted}", query_without(query, name, value), remaining))
    chosen_areas = chosen.get("area") or []
    if chosen_areas:
        areas = facets.terms(Area)
        chosen_ids = {area.pk for area in chosen_areas}
        nearby = {n.pk for area in chosen_areas for n in area.nearby.all()} - chosen_ids
        wider = [(area, f"Also in nearby {area.name}") for area in areas if area.pk in nearby]
        if not any(area.is_online for area in chosen_areas):
            online = next((area for area in areas if area.is_online), None)
            if online:
                wider.append((online, "Also groups online or by phone"))
        for area, label in wider:
            candidates.append(
                (
                    label,
                    query_with(query, "area", area.slug),
                    {**chosen, "area": [*chosen_areas, area]},
                )
            )
    if not candidates:
        return []
    # How many each would find, counted in one query however many there are.
    found = Group.objects.published().aggregate(
        **{
            f"candidate_{n}": Count(
                "pk",
                filter=Q(pk__in=filterset.groups_matching(choices).order_by().values("pk")),
            )
            for n, (_label, _query, choices) in enumerate(candidates)
        }
    )
    suggestions = [
        {"label": label, "query": widened, "count": found[f"candidate_{n}"]}
        for n, (label, widened, _choices) in enumerate(candidates)
        if found[f"candidate_{n}"]
    ]
    return suggestions[:SUGGESTIONS_SHOWN]


MEANING_LABELS = {"topic": "About {}", "audience": "For {}", "area": "Groups in {}"}


def typed_suggestions(query, chosen, reading):
    """Candidates from what was typed: a word the vocabulary does not know replaced by the
    nearest ones it does, and each topic, audience or area the words meant, on its own."""
    from directory.vocabulary import normalise

    candidates = []
    typed = normalise(chosen["q"]).split()
    for word in reading.unknown:
        for spelling, _meaning in reading.vocabulary.nearest(word):
            words = " ".join(spelling if w == word else w for w in typed)
            candidates.append(
                (
                    f"Did you mean “{words}”?",
                    query_replacing(query, "q", words),
                    {**chosen, "q": words},
                )
            )
    without_text = {key: value for key, value in chosen.items() if key != "q"}
    for meaning in dict.fromkeys(reading.meanings):
        term = meaning.term
        if term in without_text.get(meaning.kind, []):
            continue
        label = MEANING_LABELS[meaning.kind].format(
            term.name if meaning.kind == "area" else term.name.lower()
        )
        if meaning.kind == "area" and term.is_online:
            label = "Groups online or by phone"
        widened = query_without(query, "q")
        widened = (
            f"{widened}&{meaning.kind}={term.slug}" if widened else f"{meaning.kind}={term.slug}"
        )
        choices = {**without_text, meaning.kind: [*without_text.get(meaning.kind, []), term]}
        candidates.append((label, widened, choices))
    return candidates


def choices_without(chosen, name, value):
    """The cleaned choices with one value taken away (`value` as active_choices gives it)."""
    if name == "q":
        return {key: kept for key, kept in chosen.items() if key != "q"}
    remaining = [item for item in chosen[name] if getattr(item, "slug", item) != value]
    return {**chosen, name: remaining}
