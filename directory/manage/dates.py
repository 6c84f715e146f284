"""When a group meets: its regular times, breaks, cancelled dates and extra dates. Each change
goes through directory.timetable, which rebuilds the group's stored sessions."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from directory import timetable
from directory.manage.access import group_for_user
from directory.manage.conflicts import EditConflict, save_if_unchanged
from directory.manage.forms import (
    CancellationForm,
    ExtraSessionForm,
    PauseForm,
    ScheduleForm,
    VenueChangeForm,
    VenueForm,
)
from directory.manage.groups import get_and_post, manage_url

PREVIEW_DATES = 8
PREVIEW_SEARCH_DAYS = 400


# --- Schedules ------------------------------------------------------------------------------


def preview_dates(schedule, count=PREVIEW_DATES):
    first = max(schedule.starts_on, timezone.localdate())
    last = first + datetime.timedelta(days=PREVIEW_SEARCH_DAYS)
    # The group's own breaks are not known yet; the school holidays, for term time, are.
    return timetable.dates_in_runs(schedule, [], first, last)[:count]


def save_timing_form(group, form):
    """Save a regular time, break or extra date from its form, then rebuild the sessions.

    A change to an existing one is saved only if nobody saved it since the form was opened
    (EditConflict otherwise), as with a group's details.
    """
    if form.instance.pk is None:
        return timetable.save_timing(group, form.save(commit=False))
    with transaction.atomic():
        saved = save_if_unchanged(form)
        timetable.rebuild_sessions(group)
    return saved


def conflict_page(request, template, form_class, conflict, context):
    """The merge screen: what the other editor saved, and a fresh form with both changes."""
    form = form_class(
        instance=conflict.current, initial=conflict.yours, **context.pop("form_kwargs", {})
    )
    return render(request, template, {**context, "form": form, "conflict": conflict}, status=409)


def schedule_form_page(request, group, schedule=None):
    kwargs = {"organisation": group.organisation}
    form = ScheduleForm(request.POST or None, instance=schedule, **kwargs)
    context = {"group": group, "schedule": schedule}
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = preview_dates(form.instance)
        else:
            try:
                saved = save_timing_form(group, form)
            except EditConflict as conflict:
                context |= {"form_kwargs": kwargs, "schedule": conflict.current}
                template = "organiser/schedule_form.html"
                return conflict_page(request, template, ScheduleForm, conflict, context)
            messages.success(request, f"Saved: {saved.describe()}.")
            return redirect(manage_url(group, "times"))
    return render(
        request, "organiser/schedule_form.html", {**context, "form": form, "preview": preview}
    )


@get_and_post
@login_required
def schedule_create(request, pk):
    group, _ = group_for_user(request, pk)
    return schedule_form_page(request, group)


@get_and_post
@login_required
def schedule_edit(request, pk, schedule_pk):
    group, _ = group_for_user(request, pk)
    return schedule_form_page(request, group, get_object_or_404(group.schedules, pk=schedule_pk))


@get_and_post
@login_required
def schedule_delete(request, pk, schedule_pk):
    group, _ = group_for_user(request, pk)
    schedule = get_object_or_404(group.schedules, pk=schedule_pk)
    if request.method == "POST":
        timetable.remove_timing(schedule)
        messages.success(request, "That regular time is removed.")
        return redirect(manage_url(group, "times"))
    return render(request, "organiser/schedule_delete.html", {"group": group, "schedule": schedule})


VENUE_CHANGE_DATES = 12


@get_and_post
@login_required
def schedule_venue(request, pk, schedule_pk):
    """ "Change venue from <date>": the dates before keep the old venue."""
    group, _ = group_for_user(request, pk)
    schedule = get_object_or_404(group.schedules.select_related("venue"), pk=schedule_pk)
    dates = list(
        group.sessions.upcoming(include_cancelled=True)
        .filter(schedule=schedule)
        .values_list("date", flat=True)[:VENUE_CHANGE_DATES]
    )
    data = request.POST or None
    form = VenueChangeForm(data, schedule=schedule, dates=dates)
    making = data is not None and data.get("venue") == VenueChangeForm.NEW
    # The new venue's details only count when "a new venue" is chosen.
    new_venue = VenueForm(data if making else None, prefix="new")
    if request.method == "POST" and form.is_valid() and (not making or new_venue.is_valid()):
        with transaction.atomic():
            venue = form.chosen_venue()
            if making:
                venue = new_venue.save(commit=False)
                venue.organisation = group.organisation
                venue.save()
            day = form.cleaned_data["from_date"]
            timetable.change_venue_from(schedule, day, venue)
        where = f"{venue.name}, {venue.town}" if venue else "online or by phone"
        messages.success(
            request, f"Done: from {day:%A %-d %B}, {schedule.describe()} is at {where}."
        )
        return redirect(manage_url(group, "times"))
    return render(
        request,
        "organiser/schedule_venue.html",
        {"group": group, "schedule": schedule, "form": form, "new_venue": new_venue},
    )


@require_safe
@login_required
def schedule_preview(request):
    """The next dates a half-filled schedule form gives, as a small piece of HTML."""
    data = request.GET.copy()
    data.pop("venue", None)  # where it meets doesn't change when
    form = ScheduleForm(data)
    dates = preview_dates(form.instance) if form.is_valid() else None
    return render(
        request, "organiser/includes/schedule_preview.html", {"preview": dates, "form": form}
    )


# --- Breaks, cancelled dates and extra dates -------------------------------------------------


def pause_form_page(request, group, pause=None):
    form = PauseForm(request.POST or None, instance=pause)
    context = {"group": group, "pause": pause}
    if request.method == "POST" and form.is_valid():
        try:
            pause = save_timing_form(group, form)
        except EditConflict as conflict:
            context["pause"] = conflict.current
            return conflict_page(request, "organiser/pause_form.html", PauseForm, conflict, context)
        messages.success(request, f"Saved: {pause.describe()}.")
        return redirect(manage_url(group, "breaks"))
    return render(request, "organiser/pause_form.html", {**context, "form": form})


@get_and_post
@login_required
def pause_create(request, pk):
    group, _ = group_for_user(request, pk)
    return pause_form_page(request, group)


@get_and_post
@login_required
def pause_edit(request, pk, pause_pk):
    group, _ = group_for_user(request, pk)
    return pause_form_page(request, group, get_object_or_404(group.pauses, pk=pause_pk))


@require_POST
@login_required
def pause_delete(request, pk, pause_pk):
    group, _ = group_for_user(request, pk)
    timetable.remove_timing(get_object_or_404(group.pauses, pk=pause_pk))
    messages.success(request, "That break is removed.")
    return redirect(manage_url(group, "breaks"))


def parse_day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404("Not a date") from None


@get_and_post
@login_required
def date_cancel(request, pk, day):
    group, _ = group_for_user(request, pk)
    day = parse_day(day)
    session = group.sessions.upcoming(include_cancelled=True).filter(date=day).first()
    if session is None:
        messages.error(request, "That date isn't one of the group's coming dates.")
        return redirect(manage_url(group, "dates"))
    if session.cancelled:
        messages.info(request, f"{day:%A %-d %B} is already cancelled.")
        return redirect(manage_url(group, "dates"))
    form = CancellationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        timetable.cancel_date(group, day, form.cleaned_data["note"])
        messages.success(
            request, f"Done: no group on {day:%A %-d %B}. Parents see this on the group's page."
        )
        return redirect(manage_url(group, "dates"))
    return render(
        request,
        "organiser/date_cancel.html",
        {"form": form, "group": group, "session": session, "day": day},
    )


@require_POST
@login_required
def cancellation_undo(request, pk, cancellation_pk):
    group, _ = group_for_user(request, pk)
    cancellation = get_object_or_404(group.cancellations, pk=cancellation_pk)
    timetable.undo_cancellation(cancellation)
    messages.success(request, f"{cancellation.date:%A %-d %B} is back on.")
    return redirect(manage_url(group, "dates"))


def extra_form_page(request, group, extra=None):
    kwargs = {"group": group}
    form = ExtraSessionForm(request.POST or None, instance=extra, **kwargs)
    context = {"group": group, "extra": extra}
    if request.method == "POST" and form.is_valid():
        adding = extra is None
        try:
            extra = save_timing_form(group, form)
        except EditConflict as conflict:
            context |= {"form_kwargs": kwargs, "extra": conflict.current}
            template = "organiser/extra_form.html"
            return conflict_page(request, template, ExtraSessionForm, conflict, context)
        messages.success(
            request, f"{'Added an extra date' if adding else 'Saved'}: {extra.describe()}."
        )
        return redirect(manage_url(group, "extras"))
    return render(request, "organiser/extra_form.html", {**context, "form": form})


@get_and_post
@login_required
def extra_create(request, pk):
    group, _ = group_for_user(request, pk)
    return extra_form_page(request, group)


@get_and_post
@login_required
def extra_edit(request, pk, extra_pk):
    group, _ = group_for_user(request, pk)
    return extra_form_page(request, group, get_object_or_404(group.extra_sessions, pk=extra_pk))


@require_POST
@login_required
def extra_delete(request, pk, extra_pk):
    group, _ = group_for_user(request, pk)
    timetable.remove_timing(get_object_or_404(group.extra_sessions, pk=extra_pk))
    messages.success(request, "That extra date is removed.")
    return redirect(manage_url(group, "extras"))
