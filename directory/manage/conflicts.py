"""Saving an organiser's edit without losing someone else's: the version check and the merge
screen's comparison of what each editor changed."""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction

from directory.manage.history import history_held
from directory.recurrence import format_time

# A clash with someone else's save is retried quietly this many times when it touches none of
# the fields being edited, before the editor is asked.
QUIET_RETRIES = 3


@dataclass
class ClashingField:
    name: str
    label: str
    theirs: str
    yours: str
    both_changed: bool


@dataclass
class EditConflict(Exception):
    """Someone saved the same listing after this editor opened it."""

    current: models.Model
    fields: list = field(default_factory=list)
    # The editor's own changes, as form initial values, to carry into a fresh form.
    yours: dict = field(default_factory=dict)


def save_if_unchanged(form):
    """Save a VersionedForm only if nobody saved the object since the form was opened.

    The version check and bump are one UPDATE statement, so of two simultaneous saves exactly
    one wins; the other raises EditConflict listing what the first one changed.
    """
    model = form._meta.model
    seen = form.cleaned_data["version"]
    for _ in range(QUIET_RETRIES):
        with transaction.atomic():
            claimed = model.objects.filter(pk=form.instance.pk, version=seen).update(
                version=seen + 1
            )
            if claimed:
                instance = form.save(commit=False)
                instance.version = seen + 1
                # Many-to-many first and unrecorded, so the save writes one complete record.
                with history_held(instance):
                    form.save_m2m()
                bookkeeping = ["version"] + (["updated"] if _has_field(model, "updated") else [])
                instance.save(update_fields=[*_concrete_fields(form), *bookkeeping])
                return instance
        current = model.objects.get(pk=form.instance.pk)
        conflict = describe_conflict(form, current, seen)
        if conflict.fields:
            raise conflict
        seen = current.version
    raise describe_conflict(form, model.objects.get(pk=form.instance.pk), seen)


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def _concrete_fields(form):
    model_fields = {f.name: f for f in form._meta.model._meta.get_fields()}
    return [
        name
        for name in form.content_fields()
        if name in model_fields
        and getattr(model_fields[name], "concrete", False)
        and not model_fields[name].many_to_many
    ]


def describe_conflict(form, current, seen_version):
    """Compare the editor's values with the version they started from and the one saved since."""
    base = (
        current.history.filter(version=seen_version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    conflict = EditConflict(current=current)
    for name in form.content_fields():
        form_field = form.fields[name]
        yours = comparable(form.cleaned_data.get(name))
        theirs = stored_value(current, name)
        if base is not None:
            before = stored_value(base, name)
            you_changed, they_changed = yours != before, theirs != before
        else:
            you_changed, they_changed = yours != theirs, yours != theirs
        if you_changed:
            conflict.yours[name] = sorted(yours) if isinstance(yours, frozenset) else yours
        if they_changed and theirs != yours:
            conflict.fields.append(
                ClashingField(
                    name=name,
                    label=str(form_field.label or name),
                    theirs=show_value(form_field, theirs),
                    yours=show_value(form_field, yours),
                    both_changed=you_changed,
                )
            )
    return conflict


def comparable(value):
    """A form's cleaned value in the same shape as stored_value gives."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple)):
        return frozenset(getattr(item, "pk", item) for item in value)
    if value is None:
        return None
    return value


def stored_value(obj, name):
    """A field's value on a model instance or a historical record, comparable across both."""
    if hasattr(obj, "history_id"):
        model_field = obj.instance_type._meta.get_field(name)
        if model_field.many_to_many:
            # A historical record keeps its many-to-many rows in a table of its own.
            column = model_field.related_model._meta.model_name + "_id"
            return frozenset(getattr(obj, name).values_list(column, flat=True))
    else:
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            return frozenset(getattr(obj, name).values_list("pk", flat=True))
    return getattr(obj, model_field.attname)


def show_value(form_field, value):
    """A value as an organiser would read it."""
    if value is None or value == "" or value == frozenset():
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = getattr(form_field, "choices", None)
    if isinstance(value, frozenset):
        names = {str(k): str(v) for k, v in choices if str(k) != ""}
        return ", ".join(sorted(names.get(str(v), str(v)) for v in value))
    if choices is not None:
        names = {str(getattr(k, "value", k)): str(v) for k, v in choices}
        return names.get(str(value), str(value))
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, datetime.time):
        return format_time(value)
    return str(value)
