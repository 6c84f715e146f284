"""Organisers keep their own listings current: the dashboard, and each group's details,
status and history.

Every view fetches what it acts on through directory.manage.access (404 for strangers, 403 for
editors where an admin is needed, moderators everywhere) and changes state only by POST.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Invitation, Membership, Organisation
from directory import feeds, timetable
from directory.manage import history
from directory.manage.access import access_to, group_for_user
from directory.manage.conflicts import EditConflict, save_if_unchanged
from directory.manage.forms import (
    GroupForm,
    NewGroupForm,
)
from directory.models import CalendarFeed, Group, Report, attach_upcoming
from directory.public.embed import organisation_snippet

DATES_SHOWN = 8
# Enough to see the pattern and the next break or cancelled date on a phone screen.
STILL_ON_DATES_SHOWN = 4

get_and_post = require_http_methods(["GET", "HEAD", "POST"])


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
    if not memberships and request.user.is_moderator:
        # Signing in lands here; a moderator outside any organisation has nothing to see.
        return redirect("moderation_overview")
    organisations = [m.organisation for m in memberships]
    groups = attach_upcoming(Group.objects.filter(organisation__in=organisations).order_by("name"))
    by_organisation = {org.pk: [] for org in organisations}
    # What needs checking first: parents already see "may be out of date", then due soonest.
    for group in sorted(groups, key=lambda g: (not g.is_stale, not g.needs_check, g.name)):
        by_organisation[group.organisation_id].append(group)
    sections = [
        {
            "organisation": m.organisation,
            "is_admin": m.is_admin,
            "groups": by_organisation[m.organisation_id],
            "snippet": organisation_snippet(m.organisation)
            if m.organisation.status == Organisation.Status.APPROVED
            else None,
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
            "needs_review": sum(1 for g in groups if g.needs_check),
            "stale_after_days": settings.STALE_AFTER_DAYS,
            "reports": Report.objects.open()
            .filter(group__organisation__in=organisations)
            .with_group()
            .order_by("created"),
        },
    )


# --- Groups ---------------------------------------------------------------------------------


@get_and_post
@login_required
def group_create(request):
    organisations = (
        Organisation.objects.exclude(status=Organisation.Status.DECLINED)
        if request.user.is_moderator
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
        access_to(request.user, organisation)
        group = form.save(commit=False)
        wants_publish = form.cleaned_data["visibility"] == NewGroupForm.PUBLISH
        group.status = Group.Status.DRAFT
        group.last_confirmed = timezone.localdate()
        history.save_new(form)
        # A new group has no dates yet: only support arranged directly can go out at once.
        missing = group.missing_for_publishing()
        status = group.publish() if wants_publish and not missing else None
        if wants_publish and missing:
            messages.success(
                request,
                "Saved as a draft. Next, add when the group meets; you can publish it then.",
            )
        elif status == Group.Status.PENDING:
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
    group, access = group_for_user(request, pk)
    today = timezone.localdate()
    feed = CalendarFeed.objects.filter(group=group).first()
    return render(
        request,
        "organiser/group_manage.html",
        {
            "group": group,
            "is_admin": access.is_admin,
            "dates": timetable.upcoming_dates(group, DATES_SHOWN),
            "schedules": group.schedules.select_related("venue"),
            "pauses": group.pauses.filter(ends_on__gte=today),
            "extras": group.extra_sessions.filter(date__gte=today, feed_key="").select_related(
                "venue"
            ),
            "feed": feed,
            "feed_status": feeds.status(feed) if feed else "",
            "missing": group.missing_for_publishing(),
            "open_reports": group.reports.open().order_by("created"),
            "resolved_reports": group.reports.recently_resolved(),
        },
    )


@get_and_post
@login_required
def group_edit(request, pk):
    group, _ = group_for_user(request, pk)
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


@require_safe
@login_required
def group_still_on(request, pk):
    """Where the reminder email leads: what parents see, and one button to say it's all
    still on (it posts to group_confirm, the same check as "Still correct")."""
    group, _ = group_for_user(request, pk)
    return render(
        request,
        "organiser/group_still_on.html",
        {
            "group": group,
            "dates": timetable.upcoming_dates(group, STILL_ON_DATES_SHOWN),
            "schedules": group.running_schedules(),
            "checked_today": group.last_confirmed == timezone.localdate(),
        },
    )


@require_POST
@login_required
def group_confirm(request, pk):
    group, _ = group_for_user(request, pk)
    group.confirm()
    messages.success(request, f"Thank you — “{group.name}” is marked as checked today.")
    if request.POST.get("back") == "dashboard":
        return redirect(reverse("dashboard") + f"#card-{group.pk}")
    if request.POST.get("back") == "still_on":
        return redirect("group_still_on", group.pk)
    return redirect(manage_url(group))


@require_POST
@login_required
def group_publish(request, pk):
    group, _ = group_for_user(request, pk)
    was_publishable = group.status in (Group.Status.DRAFT, Group.Status.PAUSED)
    missing = group.missing_for_publishing()
    status = group.publish()
    if was_publishable and missing:
        messages.error(request, f"Not published yet: first add {' and '.join(missing)}.")
    elif status == Group.Status.PUBLISHED:
        messages.success(request, "Published: parents can see it now.")
    elif status == Group.Status.PENDING:
        messages.success(request, "Sent for approval: a moderator will check it soon.")
    elif was_publishable:
        messages.error(request, "This organisation can't publish listings.")
    return redirect("group_manage", group.pk)


@require_POST
@login_required
def group_pause(request, pk):
    group, _ = group_for_user(request, pk)
    if group.pause():
        messages.success(request, "Paused: parents won't see this group until you restart it.")
    return redirect("group_manage", group.pk)


@get_and_post
@login_required
def group_delete(request, pk):
    group, _ = group_for_user(request, pk)
    if request.method == "POST":
        name = group.name
        group.delete()
        messages.success(request, f"“{name}” is deleted.")
        return redirect("dashboard")
    return render(request, "organiser/group_delete.html", {"group": group})


@require_safe
@login_required
def group_history(request, pk):
    group, _ = group_for_user(request, pk, admin_only=True)
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
    group, _ = group_for_user(request, pk, admin_only=True)
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
        timetable.rebuild_sessions(group)
        messages.success(request, "The earlier version is back.")
    return redirect("group_history", group.pk)
