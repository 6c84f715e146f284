"""Every change kept: the story of a listing in plain words, and restoring an earlier version.

django-simple-history writes a record on every save, and another on every many-to-many change.
Organiser actions hold the many-to-many records back (history_held) so that one action writes
one record, which the history page shows as one change.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from directory.models import (
    Area,
    Audience,
    Cancellation,
    ExtraSession,
    Group,
    Pause,
    Schedule,
    Topic,
    Venue,
)
from directory.recurrence import describe_schedule, format_time

RESTORED = "Restored an earlier version"
# Bookkeeping nobody needs to read about.
UNSHOWN_FIELDS = {
    "id",
    "uuid",
    "slug",
    "created",
    "updated",
    "version",
    "stale_reminders_sent",
    "next_session_at",
    "search_text",
    "search_marks",
    "search_vector",
    "group",
    "organisation",
}

# What "restore" puts back: the content an organiser edits, never the moderation status.
GROUP_CONTENT = list(Group.CONTENT_FIELDS)
GROUP_M2M = list(Group.FACET_FIELDS)
VENUE_CONTENT = list(Venue.CONTENT_FIELDS)


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    noun: str
    content: list

    def describe(self, record):
        if self.model is Schedule:
            return describe_schedule(record)
        if self.model is Pause:
            return f"Break from {record.starts_on:%-d %b} to {record.ends_on:%-d %b %Y}"
        if self.model is Cancellation:
            return f"{record.date:%A %-d %B %Y}"
        if self.model is ExtraSession:
            return f"Extra date {record.date:%a %-d %b %Y}, {format_time(record.start_time)}"
        return record.name


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("group", Group, "group details", GROUP_CONTENT),
        Kind(
            "schedule",
            Schedule,
            "regular time",
            [
                "venue",
                "frequency",
                "weekday",
                "week_of_month",
                "starts_on",
                "ends_on",
                "start_time",
                "end_time",
            ],
        ),
        Kind("pause", Pause, "break", ["starts_on", "ends_on", "note"]),
        Kind("cancellation", Cancellation, "cancelled date", ["date", "note"]),
        Kind(
            "extra", ExtraSession, "extra date", ["date", "start_time", "end_time", "venue", "note"]
        ),
        Kind("venue", Venue, "venue", VENUE_CONTENT),
    )
}
PHRASES = {
    ("group", "added"): "created the group",
    ("group", "changed"): "changed the group's details",
    ("group", "deleted"): "deleted the group",
    ("schedule", "added"): "added a regular time: {subject}",
    ("schedule", "changed"): "changed a regular time, now: {subject}",
    ("schedule", "deleted"): "removed a regular time: {subject}",
    ("pause", "added"): "added a break: {subject}",
    ("pause", "changed"): "changed a break, now: {subject}",
    ("pause", "deleted"): "removed a break: {subject}",
    ("cancellation", "added"): "cancelled {subject}",
    ("cancellation", "changed"): "changed the note on the cancelled {subject}",
    ("cancellation", "deleted"): "put back {subject}",
    ("extra", "added"): "added an extra date: {subject}",
    ("extra", "changed"): "changed an extra date, now: {subject}",
    ("extra", "deleted"): "removed an extra date: {subject}",
    ("venue", "added"): "added the venue",
    ("venue", "changed"): "changed the venue's details",
    ("venue", "deleted"): "deleted the venue",
}
GROUP_KINDS = ["group", "schedule", "pause", "cancellation", "extra"]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    kind: Kind
    record: models.Model
    subject: str
    action: str
    changes: list = field(default_factory=list)
    restorable: bool = False

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def summary(self):
        """What happened, in words: "changed a regular time: Every Tuesday, ..."."""
        return PHRASES[self.kind.slug, self.action].format(subject=self.subject)

    @property
    def restore_label(self):
        if self.action != "deleted":
            return "Restore this version"
        if self.kind.model is Cancellation:
            return "Cancel this date again"
        return "Bring this back"

    @property
    def restored(self):
        return self.record.history_change_reason == RESTORED


def group_timeline(group, limit=200):
    """The group's changes, newest first: its details and its dates, times and breaks."""
    entries = []
    for slug in GROUP_KINDS:
        kind = KINDS[slug]
        lookup = {"id": group.pk} if kind.model is Group else {"group_id": group.pk}
        entries += _entries(kind, kind.model.history.filter(**lookup), limit)
    entries.sort(key=lambda e: (e.when, e.record.history_id), reverse=True)
    return entries[:limit]


def venue_timeline(venue, limit=200):
    kind = KINDS["venue"]
    entries = _entries(kind, Venue.history.filter(id=venue.pk), limit)
    entries.sort(key=lambda e: (e.when, e.record.history_id), reverse=True)
    return entries


def _entries(kind, history, limit):
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit * 3]
    )
    records.reverse()
    if not records:
        return []
    labels = _Labels(kind, records)
    existing = set(
        kind.model.objects.filter(pk__in={r.id for r in records}).values_list("pk", flat=True)
    )
    by_object = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)

    entries = []
    for object_id, object_records in by_object.items():
        previous = None
        for position, record in enumerate(object_records):
            is_latest = position == len(object_records) - 1
            if record.history_type == "-":
                action = "deleted"
            elif record.history_type == "+":
                action = "added"
            else:
                action = "changed"
            changes = labels.changes(previous, record) if action == "changed" and previous else []
            if action == "changed" and previous and not changes:
                previous = record
                continue
            entries.append(
                Entry(
                    kind=kind,
                    record=record,
                    subject=kind.describe(record),
                    action=action,
                    changes=changes,
                    restorable=not (is_latest and object_id in existing),
                )
            )
            previous = record
    return entries


class _Labels:
    """Turns stored values into words, with one query per related table, not per record."""

    def __init__(self, kind, records):
        self.kind = kind
        meta = kind.model._meta
        self.fields = [
            f for f in meta.concrete_fields if f.name not in UNSHOWN_FIELDS and not f.many_to_many
        ]
        self.m2m = {}
        if kind.model is Group:
            for name in GROUP_M2M:
                through = getattr(Group.history.model, name).model
                column = meta.get_field(name).related_model._meta.model_name + "_id"
                ids = {}
                for history_id, related_id in through.objects.filter(
                    history_id__in=[r.history_id for r in records]
                ).values_list("history_id", column):
                    ids.setdefault(history_id, set()).add(related_id)
                self.m2m[name] = ids
        # Names for the foreign keys and many-to-many fields this kind has, and no others.
        self.names = {}
        related = {f.related_model for f in self.fields if f.is_relation}
        if kind.model is Group:
            related |= {Topic, Audience}
        if Venue in related:
            ids = {r.venue_id for r in records if r.venue_id}
            self.names[Venue] = {
                pk: f"{name}, {town}"
                for pk, name, town in Venue.objects.filter(pk__in=ids).values_list(
                    "pk", "name", "town"
                )
            }
        for model in related & {Area, Topic, Audience}:
            self.names[model] = dict(model.objects.values_list("pk", "name"))

    def changes(self, before, after):
        changes = []
        for model_field in self.fields:
            old = getattr(before, model_field.attname)
            new = getattr(after, model_field.attname)
            if old != new:
                changes.append(
                    Change(
                        _label(model_field),
                        self.word(model_field, old),
                        self.word(model_field, new),
                    )
                )
        for name, ids in self.m2m.items():
            old, new = ids.get(before.history_id, set()), ids.get(after.history_id, set())
            if old != new:
                related = Group._meta.get_field(name)
                names = self.names[related.related_model]
                changes.append(
                    Change(
                        _label(related),
                        ", ".join(sorted(names.get(i, "(removed)") for i in old)) or "(none)",
                        ", ".join(sorted(names.get(i, "(removed)") for i in new)) or "(none)",
                    )
                )
        return changes

    def word(self, model_field, value):
        if value is None or value == "":
            return "(empty)"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return "Yes" if value else "No"
        if model_field.is_relation:
            return self.names.get(model_field.related_model, {}).get(value, "(deleted)")
        if isinstance(model_field, models.TimeField):
            return format_time(value)
        if isinstance(model_field, models.DateField):
            return value.strftime("%-d %B %Y")
        return str(value)


def _label(model_field):
    text = str(model_field.verbose_name)
    return text[:1].upper() + text[1:]


# --- One record per action ----------------------------------------------------------------


@contextmanager
def history_held(instance):
    """Write no history records for `instance` while this runs, e.g. while its many-to-many
    fields are saved ahead of the one save that records the whole change."""
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


@transaction.atomic
def save_new(form):
    """Save a new object from a ModelForm (commit=False already done) as one "added" record.

    The first save writes the record before any many-to-many rows exist, so they are copied
    into that record afterwards.
    """
    instance = form.instance
    instance.save()
    with history_held(instance):
        form.save_m2m()
    record = instance.history.order_by("-history_id").first()
    source = instance._meta.model_name
    for name in getattr(record, "_history_m2m_fields", []):
        name = getattr(name, "name", name)
        historical = getattr(type(record), name).model
        through = getattr(instance, name).through
        historical.objects.bulk_create(
            historical(
                history=record, **{f.attname: getattr(row, f.attname) for f in through._meta.fields}
            )
            for row in through.objects.filter(**{source: instance})
        )
    return instance


# --- Restoring -------------------------------------------------------------------------------


class RestoreError(Exception):
    """The earlier version cannot come back as it was; the message says why, plainly."""


def find_record(kind, record_pk, *, group=None, venue=None):
    """The historical record, only if it belongs to this group (or venue); else None."""
    history = kind.model.history.filter(history_id=record_pk)
    if venue is not None:
        history = history.filter(id=venue.pk)
    elif kind.model is Group:
        history = history.filter(id=group.pk)
    else:
        history = history.filter(group_id=group.pk)
    return history.first()


@transaction.atomic
def restore(kind, record, organisation):
    """Put an object back as it was in `record` (bringing it back if it was deleted)."""
    model = kind.model
    _check_related(kind, record, organisation)
    obj = model.objects.select_for_update().filter(pk=record.id).first()
    if obj is None:
        obj = record.instance
    else:
        for name in kind.content:
            attname = model._meta.get_field(name).attname
            setattr(obj, attname, getattr(record, attname))
    if hasattr(obj, "version") and obj.pk:
        obj.version = (
            model.objects.filter(pk=obj.pk).values_list("version", flat=True).first() or 0
        ) + 1
    obj._change_reason = RESTORED
    try:
        with transaction.atomic():
            if model is Group:
                # Topics first, quietly, so the one save below records them.
                with history_held(obj):
                    for name in GROUP_M2M:
                        related = Group._meta.get_field(name).related_model
                        column = related._meta.model_name + "_id"
                        wanted = list(getattr(record, name).values_list(column, flat=True))
                        getattr(obj, name).set(related.objects.filter(pk__in=wanted))
            obj.save()
    except IntegrityError as exc:
        raise RestoreError(
            "That version clashes with what is there now (for example, that date is "
            "already cancelled)."
        ) from exc
    return obj


def _check_related(kind, record, organisation):
    venue_id = getattr(record, "venue_id", None) if kind.model is not Venue else None
    if venue_id and not Venue.objects.filter(pk=venue_id, organisation=organisation).exists():
        raise RestoreError("That version used a venue that has since been deleted.")
    if kind.model is Venue and not Area.objects.filter(pk=record.area_id).exists():
        raise RestoreError("That version used an area that no longer exists.")
    if kind.model is Cancellation:
        clash = Cancellation.objects.filter(group_id=record.group_id, date=record.date)
        if clash.exclude(pk=record.id).exists():
            raise RestoreError("That date is already cancelled.")
    if kind.model is ExtraSession and record.date < timezone.localdate():
        raise RestoreError("That extra date is in the past now.")
