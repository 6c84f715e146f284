"""The text a free-text search looks in, kept with each group.

A parent's words may be in a group's name, summary or description, its organisation's name,
one of its topics, or the name, town or area of a venue it meets at. Looking in all those
tables at once would read a large part of the directory for every search, more as it grows,
so each group keeps all of that text, in lower case, in `Group.search_text`, and the signals
below bring it up to date whenever any part of it is saved or deleted; a search is then one
indexed "contains" per word (GroupQuerySet.search).
The text ends with a line of its words' stems (directory.vocabulary.stems_line). Beside it,
`Group.search_marks` keeps what the group stands for in a search's vocabulary (its topics,
audiences and areas, meaning_marks), so "worried" (anxiety) or "Kinloss" (the Forres area) is
found by one "contains", or on PostgreSQL in the same stored reading and index as any word,
not by reading every group's topics and venues.

On PostgreSQL a search is a full-text search instead (migration 0012): the same text read by
a text search configuration, "moray_english", which is PostgreSQL's English one with accents
dropped first (unaccent), so "cafe" finds "Café", and kept read beside it with the marks
(Group.search_vector, migrations 0017 and 0018), with a GIN index; the groups found whose
names hold the words come first. SQLite keeps the "contains".
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryCombinable,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorCombinable,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Func, Q, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from directory.vocabulary import stems_line

# Made by migration 0012: PostgreSQL's English configuration with accents dropped first.
FULL_TEXT_CONFIG = "moray_english"


def full_text():
    """Whether searches use PostgreSQL's full-text search (on SQLite they do not)."""
    return connection.vendor == "postgresql"


def _words_query(words, joiner):
    # Each word, in any of its forms (a prefix of its stem): "lonely" and "lone" find
    # "loneliness". The words come from vocabulary.normalise, only letters and digits, so
    # they cannot carry a tsquery operator.
    return SearchQuery(
        f" {joiner} ".join(f"{word}:*" for word in words),
        config=FULL_TEXT_CONFIG,
        search_type="raw",
    )


def words_query(words):
    """A full-text query: every one of `words`, in any of their forms."""
    return _words_query(words, "&")


def phrase_query(words):
    """A full-text query: `words` one after the other, each in any of its forms ("postnatal
    depression")."""
    return _words_query(words, "<->")


class _MarkQuery(SearchQueryCombinable, Func):
    # Cast, not to_tsquery: a configuration's parser would read "=topic3=" as "topic3".
    output_field = SearchQueryField()
    template = "%(expressions)s::tsquery"


class _StoredMarks(SearchVectorCombinable, Func):
    output_field = SearchVectorField()
    template = "%(expressions)s::tsvector"


def mark(kind, pk=None):
    """The mark a group carries for one thing it stands for: "=topic3=", "=audience2=",
    "=area5=", or "=online=" for a group meeting online or by phone (what the online area
    stands for, as models.area_condition reads it). Kept apart from the group's text, which
    a parent's words are looked for in, so no one can type a mark or write one into a
    listing."""
    return f"={kind}{'' if pk is None else pk}="


def mark_query(mark):
    """A full-text query for one stored mark."""
    return _MarkQuery(Value(f"'{mark}'"))


def meaning_marks(group):
    """What `group` stands for in a search's vocabulary, as marks: its topics and audiences,
    the areas of every venue it has times at (as models.area_condition, so "Forres" typed
    finds what the Forres filter finds), and online if it meets online or by phone."""
    marks = [mark("topic", topic.pk) for topic in group.topics.all()]
    marks += [mark("audience", audience.pk) for audience in group.audiences.all()]
    meetings = [*group.schedules.all(), *group.extra_sessions.all()]
    areas = {m.venue.area for m in meetings if m.venue_id is not None}
    marks += [mark("area", area.pk) for area in areas if not area.is_online]
    if group.online or group.phone:
        marks.append(mark("online"))
    return sorted(marks)


def full_text_rank(words):
    """How well a group's name answers `words` (PostgreSQL's ts_rank): groups named for what
    she typed come first, the rest in the list's own order (soonest first). Only the name is
    read, so ranking stays cheap however many groups match; their long texts were matched
    through the index."""
    return SearchRank(SearchVector("name", config=FULL_TEXT_CONFIG), _words_query(words, "|"))


def named_condition(words):
    """A condition on Group: its name has any of `words`, in any of their forms; the groups
    full_text_rank ranks above nothing, found through an index of their names (migration
    0016)."""
    return SearchVectorExact(
        SearchVector("name", config=FULL_TEXT_CONFIG), _words_query(words, "|")
    )


def text_for(group):
    """Everything a search should find `group` by, in lower case, one piece per line: where
    it meets is where it meets from today, so the daily refresh_sessions brings it up to date
    as schedules end and extra dates pass."""
    pieces = [group.name, group.summary, group.description, group.organisation.name]
    pieces += [topic.name for topic in group.topics.all()]
    for venue in group.current_venues():
        pieces += [venue.name, venue.town, venue.area.name]
    text = "\n".join(dict.fromkeys(piece.strip() for piece in pieces if piece)).lower()
    # Then every word's stem, so a search finds a word in any of its forms (vocabulary).
    return f"{text}\n{stems_line(text)}"


def refresh(groups):
    """Bring the search text of `groups` (a queryset) up to date; returns how many changed."""
    from directory.models import Group

    changed = 0
    for group in groups.select_related("organisation").prefetch_related(
        "topics", "audiences", "schedules__venue__area", "extra_sessions__venue__area"
    ):
        text, marks = text_for(group), " ".join(meaning_marks(group))
        if (text, marks) != (group.search_text, group.search_marks):
            # A plain UPDATE: no history record and no signal for derived columns.
            Group.objects.filter(pk=group.pk).update(
                search_text=text, search_marks=marks, **_read_for_search(text, marks)
            )
            changed += 1
    return changed


def _read_for_search(text, marks):
    """The stored full-text reading, on PostgreSQL (Group.search_vector): the text's words
    read by the configuration, the marks kept as they are."""
    if not full_text():
        return {}
    return {
        "search_vector": SearchVector(Value(text), config=FULL_TEXT_CONFIG)
        + _StoredMarks(Value(marks))
    }


def _groups(*conditions, **lookups):
    from directory.models import Group

    return Group.objects.filter(*conditions, **lookups).distinct()


def _refresher(shown_fields, groups_of):
    """A receiver refreshing the groups `groups_of(instance)` names when the instance is saved
    or deleted. Not while fixtures load (their related rows may not be there yet), nor for a
    save of only other fields ("Still correct", a change of status)."""

    def receiver(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields is not None and shown_fields.isdisjoint(update_fields)):
            return
        refresh(_groups(groups_of(instance)))

    return receiver


# For each kind of object: the fields of it a search text shows, and the groups showing it.
SHOWN = {
    "group": (
        {"name", "summary", "description", "organisation", "online", "phone"},
        lambda group: Q(pk=group.pk),
    ),
    # A schedule's or extra date's group is still known once it is deleted.
    "schedule": ({"venue", "group", "ends_on"}, lambda schedule: Q(pk=schedule.group_id)),
    "extrasession": ({"venue", "group", "date"}, lambda extra: Q(pk=extra.group_id)),
    "venue": (
        {"name", "town", "area"},
        lambda venue: Q(schedules__venue=venue) | Q(extra_sessions__venue=venue),
    ),
    "organisation": ({"name"}, lambda organisation: Q(organisation=organisation)),
    "topic": ({"name"}, lambda topic: Q(topics=topic)),
    "area": (
        {"name", "is_online"},
        lambda area: Q(schedules__venue__area=area) | Q(extra_sessions__venue__area=area),
    ),
}


def _facets_changed(sender, instance, action, reverse, **kwargs):
    # Only from the group's side: the group's history records its topics and audiences, and
    # cannot record a change made from a topic's side.
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        refresh(_groups(pk=instance.pk))


def _facet_deleting(sender, instance, **kwargs):
    instance._search_groups = list(instance.groups.values_list("pk", flat=True))


def _facet_deleted(sender, instance, **kwargs):
    refresh(_groups(pk__in=getattr(instance, "_search_groups", [])))


def connect_signals():
    from accounts.models import Organisation
    from directory.models import Area, Audience, ExtraSession, Group, Schedule, Topic, Venue

    # weak=False: nothing else holds on to the receivers made here.
    for model in (Group, Schedule, ExtraSession, Venue, Organisation, Topic, Area):
        name = model._meta.model_name
        receiver = _refresher(*SHOWN[name])
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{name}", weak=False)
    for model in (Schedule, ExtraSession):
        name = model._meta.model_name
        receiver = _refresher(*SHOWN[name])
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-gone-{name}", weak=False)
    for model, field in ((Topic, Group.topics), (Audience, Group.audiences)):
        name = model._meta.model_name
        m2m_changed.connect(_facets_changed, sender=field.through, dispatch_uid=f"search-{name}s")
        pre_delete.connect(_facet_deleting, sender=model, dispatch_uid=f"search-{name}-deleting")
        post_delete.connect(_facet_deleted, sender=model, dispatch_uid=f"search-{name}-deleted")
