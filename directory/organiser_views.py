"""Organisers keep their own listings current: groups, venues, dates, history.

Every view fetches what it acts on through accounts.access (404 for strangers, 403 for editors
where an admin is needed, moderators everywhere) and changes state only by POST.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import check_access, get_group, get_organisation, get_venue, membership_for
from accounts.models import Invitation, Membership, Organisation
from directory import organiser_history as history
from directory.forms import (
    CancellationForm,
    ExtraSessionForm,
    GroupForm,
    NewGroupForm,
    PauseForm,
    ScheduleForm,
    VenueForm,
)
from directory.models import Group
from directory.organiser_services import (
    EditConflict,
    cancel_date,
    publishing_status,
    save_if_unchanged,
    set_status,
    undo_cancellation,
    upcoming_dates,
)
from directory.recurrence import dates_between
from directory.services import rebuild_sessions
from directory.views import attach_next_sessions

DATES_SHOWN = 8
PREVIEW_DATES = 8
PREVIEW_SEARCH_DAYS = 400

get_and_post = require_http_methods(["GET", "HEAD", "POST"])


def is_admin(user, organisation):
    if user.is_staff:
        return True
    membership = membership_for(user, organisation)
    return membership is not None and membership.is_admin


def manage_url(group, anchor=""):
    return reverse("group_manage", args=[group.pk]) + (f"#{anchor}" if anchor else "")


# --- Dashboard ------------------------------------------------------------------------------


@require_safe
@login_required
def dashboard(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    organisations = [m.organisation for m in memberships]
    groups = attach_next_sessions(
        Group.objects.filter(organisation__in=organisations).order_by("name")
    )
    by_organisation = {org.pk: [] for org in organisations}
    for group in groups:
        by_organisation[group.organisation_id].append(group)
    sections = [
        {
            "organisation": m.organisation,
            "is_admin": m.is_admin,
            "groups": by_organisation[m.organisation_id],
        }
        for m in memberships
    ]
    invitations = (
        Invitation.objects.usable()
        .filter(email__iexact=request.user.email)
        .exclude(organisation__in=organisations)
        .select_related("organisation")
    )
    return render(
        request,
        "organiser/dashboard.html",
        {
            "sections": sections,
            "invitations": invitations,
            "needs_review": sum(1 for g in groups if g.is_stale),
        },
    )


# --- Groups ---------------------------------------------------------------------------------


@get_and_post
@login_required
def group_create(request):
    organisations = (
        Organisation.objects.exclude(status=Organisation.Status.DECLINED)
        if request.user.is_staff
        else Organisation.objects.filter(memberships__user=request.user)
    )
    if not organisations.exists():
        messages.info(request, "To add a group, first join your organisation or ask to list it.")
        return redirect("dashboard")
    chosen = organisations.filter(slug=request.GET.get("organisation", "")).first()
    form = NewGroupForm(
        request.POST or None,
        organisations=organisations,
        initial={"organisation": chosen or organisations.first()},
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        check_access(request.user, organisation)
        group = form.save(commit=False)
        wants_publish = form.cleaned_data["visibility"] == NewGroupForm.PUBLISH
        status = publishing_status(organisation) if wants_publish else None
        group.status = status or Group.Status.DRAFT
        group.last_confirmed = timezone.localdate()
        history.save_new(form)
        if group.status == Group.Status.PENDING:
            messages.success(
                request,
                "Saved. A moderator will check it before it appears — usually within a few days.",
            )
        elif wants_publish and status is None:
            messages.warning(request, "Saved as a draft: this organisation can't publish listings.")
        else:
            messages.success(request, "Saved. Next, add when the group meets.")
        return redirect("group_manage", group.pk)
    return render(request, "organiser/group_form.html", {"form": form, "creating": True})


@require_safe
@login_required
def group_manage(request, pk):
    group = get_group(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "organiser/group_manage.html",
        {
            "group": group,
            "is_admin": is_admin(request.user, group.organisation),
            "dates": upcoming_dates(group, DATES_SHOWN),
            "schedules": group.schedules.select_related("venue"),
            "pauses": group.pauses.filter(ends_on__gte=today),
            "extras": group.extra_sessions.filter(date__gte=today).select_related("venue"),
        },
    )


@get_and_post
@login_required
def group_edit(request, pk):
    group = get_group(request, pk)
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            save_if_unchanged(form)
        except EditConflict as conflict:
            return render(
                request,
                "organiser/group_form.html",
                {
                    "form": GroupForm(instance=conflict.current, initial=conflict.yours),
                    "group": conflict.current,
                    "conflict": conflict,
                },
                status=409,
            )
        messages.success(request, "Your changes are saved.")
        return redirect("group_manage", group.pk)
    return render(request, "organiser/group_form.html", {"form": form, "group": group})


@require_POST
@login_required
def group_confirm(request, pk):
    group = get_group(request, pk)
    group.confirm()
    messages.success(request, f"Thank you — “{group.name}” is marked as checked today.")
    if request.POST.get("back") == "dashboard":
        return redirect("dashboard")
    return redirect(manage_url(group))


@require_POST
@login_required
def group_publish(request, pk):
    group = get_group(request, pk)
    if group.status in (Group.Status.DRAFT, Group.Status.PAUSED):
        status = publishing_status(group.organisation)
        if status is None:
            messages.error(request, "This organisation can't publish listings.")
        else:
            set_status(group, status)
            if status == Group.Status.PUBLISHED:
                messages.success(request, "Published: parents can see it now.")
            else:
                messages.success(request, "Sent for approval: a moderator will check it soon.")
    return redirect("group_manage", group.pk)


@require_POST
@login_required
def group_pause(request, pk):
    group = get_group(request, pk)
    if group.status in (Group.Status.PUBLISHED, Group.Status.PENDING):
        set_status(group, Group.Status.PAUSED)
        messages.success(request, "Paused: parents won't see this group until you restart it.")
    return redirect("group_manage", group.pk)


@get_and_post
@login_required
def group_delete(request, pk):
    group = get_group(request, pk)
    if request.method == "POST":
        name = group.name
        group.delete()
        messages.success(request, f"“{name}” is deleted.")
        return redirect("dashboard")
    return render(request, "organiser/group_delete.html", {"group": group})


@require_safe
@login_required
def group_history(request, pk):
    group = get_group(request, pk, admin_only=True)
    return render(
        request,
        "organiser/history.html",
        {
            "group": group,
            "entries": history.group_timeline(group),
            "restore_url_name": "group_restore",
        },
    )


@require_POST
@login_required
def group_restore(request, pk, kind, record_pk):
    group = get_group(request, pk, admin_only=True)
    if kind not in history.GROUP_KINDS:
        raise Http404("Not found")
    record = history.find_record(history.KINDS[kind], record_pk, group=group)
    if record is None:
        raise Http404("Not found")
    try:
        history.restore(history.KINDS[kind], record, group.organisation)
    except history.RestoreError as error:
        messages.error(request, str(error))
    else:
        rebuild_sessions(group)
        messages.success(request, "The earlier version is back.")
    return redirect("group_history", group.pk)


# --- Schedules ------------------------------------------------------------------------------


def preview_dates(schedule, count=PREVIEW_DATES):
    first = max(schedule.starts_on, timezone.localdate())
    last = first + datetime.timedelta(days=PREVIEW_SEARCH_DAYS)
    return dates_between(schedule, first, last)[:count]


def schedule_form_page(request, group, schedule=None):
    form = ScheduleForm(request.POST or None, instance=schedule, organisation=group.organisation)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = preview_dates(form.instance)
        else:
            saved = form.save(commit=False)
            saved.group = group
            saved.save()
            rebuild_sessions(group)
            messages.success(request, f"Saved: {saved.describe()}.")
            return redirect(manage_url(group, "times"))
    return render(
        request,
        "organiser/schedule_form.html",
        {"form": form, "group": group, "schedule": schedule, "preview": preview},
    )


@get_and_post
@login_required
def schedule_create(request, pk):
    return schedule_form_page(request, get_group(request, pk))


@get_and_post
@login_required
def schedule_edit(request, pk, schedule_pk):
    group = get_group(request, pk)
    return schedule_form_page(request, group, get_object_or_404(group.schedules, pk=schedule_pk))


@get_and_post
@login_required
def schedule_delete(request, pk, schedule_pk):
    group = get_group(request, pk)
    schedule = get_object_or_404(group.schedules, pk=schedule_pk)
    if request.method == "POST":
        schedule.delete()
        rebuild_sessions(group)
        messages.success(request, "That regular time is removed.")
        return redirect(manage_url(group, "times"))
    return render(request, "organiser/schedule_delete.html", {"group": group, "schedule": schedule})


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


@get_and_post
@login_required
def pause_create(request, pk):
    group = get_group(request, pk)
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pause = form.save(commit=False)
        pause.group = group
        pause.save()
        rebuild_sessions(group)
        messages.success(request, f"Saved: {pause}.")
        return redirect(manage_url(group, "breaks"))
    return render(request, "organiser/pause_form.html", {"form": form, "group": group})


@require_POST
@login_required
def pause_delete(request, pk, pause_pk):
    group = get_group(request, pk)
    get_object_or_404(group.pauses, pk=pause_pk).delete()
    rebuild_sessions(group)
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
    group = get_group(request, pk)
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
        cancel_date(group, day, form.cleaned_data["note"])
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
    group = get_group(request, pk)
    cancellation = get_object_or_404(group.cancellations, pk=cancellation_pk)
    undo_cancellation(cancellation)
    messages.success(request, f"{cancellation.date:%A %-d %B} is back on.")
    return redirect(manage_url(group, "dates"))


@get_and_post
@login_required
def extra_create(request, pk):
    group = get_group(request, pk)
    form = ExtraSessionForm(request.POST or None, organisation=group.organisation)
    if request.method == "POST" and form.is_valid():
        extra = form.save(commit=False)
        extra.group = group
        extra.save()
        rebuild_sessions(group)
        messages.success(request, f"Added an extra date: {extra.date:%A %-d %B}.")
        return redirect(manage_url(group, "extras"))
    return render(request, "organiser/extra_form.html", {"form": form, "group": group})


@require_POST
@login_required
def extra_delete(request, pk, extra_pk):
    group = get_group(request, pk)
    get_object_or_404(group.extra_sessions, pk=extra_pk).delete()
    rebuild_sessions(group)
    messages.success(request, "That extra date is removed.")
    return redirect(manage_url(group, "extras"))


# --- Venues ---------------------------------------------------------------------------------


@require_safe
@login_required
def venue_list(request, slug):
    organisation = get_organisation(request, slug)
    return render(
        request,
        "organiser/venue_list.html",
        {
            "organisation": organisation,
            "venues": organisation.venues.select_related("area"),
            "is_admin": is_admin(request.user, organisation),
        },
    )


@get_and_post
@login_required
def venue_create(request, slug):
    organisation = get_organisation(request, slug)
    form = VenueForm(request.POST or None, initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        venue = form.save(commit=False)
        venue.organisation = organisation
        venue.save()
        messages.success(request, f"Saved the venue “{venue.name}”.")
        return redirect("venue_list", organisation.slug)
    return render(
        request, "organiser/venue_form.html", {"form": form, "organisation": organisation}
    )


@get_and_post
@login_required
def venue_edit(request, pk):
    venue = get_venue(request, pk)
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            save_if_unchanged(form)
        except EditConflict as conflict:
            return render(
                request,
                "organiser/venue_form.html",
                {
                    "form": VenueForm(instance=conflict.current, initial=conflict.yours),
                    "venue": conflict.current,
                    "organisation": venue.organisation,
                    "conflict": conflict,
                },
                status=409,
            )
        messages.success(request, "Your changes to the venue are saved.")
        return redirect("venue_list", venue.organisation.slug)
    return render(
        request,
        "organiser/venue_form.html",
        {"form": form, "venue": venue, "organisation": venue.organisation},
    )


@get_and_post
@login_required
def venue_delete(request, pk):
    venue = get_venue(request, pk)
    in_use = None
    if request.method == "POST":
        try:
            venue.delete()
        except ProtectedError:
            in_use = sorted({str(obj.group) for obj in venue_users(venue)})
        else:
            messages.success(request, f"The venue “{venue.name}” is deleted.")
            return redirect("venue_list", venue.organisation.slug)
    return render(
        request,
        "organiser/venue_delete.html",
        {"venue": venue, "in_use": in_use},
        status=409 if in_use else 200,
    )


def venue_users(venue):
    """The schedules and extra dates that still meet at a venue."""
    return [
        *venue.schedules.select_related("group"),
        *venue.extra_sessions.select_related("group"),
    ]


@require_safe
@login_required
def venue_history(request, pk):
    venue = get_venue(request, pk, admin_only=True)
    return render(
        request,
        "organiser/history.html",
        {"venue": venue, "entries": history.venue_timeline(venue)},
    )


@require_POST
@login_required
def venue_restore(request, pk, record_pk):
    venue = get_venue(request, pk, admin_only=True)
    kind = history.KINDS["venue"]
    record = history.find_record(kind, record_pk, venue=venue)
    if record is None:
        raise Http404("Not found")
    try:
        history.restore(kind, record, venue.organisation)
    except history.RestoreError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The earlier version of the venue is back.")
    return redirect("venue_history", venue.pk)
