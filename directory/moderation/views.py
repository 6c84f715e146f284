"""Moderators' pages: the queue of new organisations and listings, stale listings, reports."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation
from directory.models import Group, Report
from directory.moderation import services as moderation
from directory.moderation.access import moderator_required
from directory.moderation.forms import DeclineForm

STALE_SHOWN = 100


def pending_groups():
    return Group.objects.filter(status=Group.Status.PENDING).order_by("created")


@require_safe
@moderator_required
def overview(request):
    organisations = list(
        Organisation.objects.filter(status=Organisation.Status.PENDING)
        .prefetch_related(Prefetch("groups", queryset=pending_groups(), to_attr="waiting"))
        .order_by("created")
    )
    # Groups of approved organisations only wait when something held them back by hand.
    groups = list(
        pending_groups()
        .filter(organisation__status=Organisation.Status.APPROVED)
        .select_related("organisation")
    )
    stale = Group.objects.published().unconfirmed_for(settings.STALE_AFTER_DAYS)
    stale_count = stale.count()
    stale_shown = list(stale.select_related("organisation")[:STALE_SHOWN])
    reports = list(Report.objects.open().with_group().order_by("created"))
    resolved = list(Report.objects.recently_resolved(days=7).with_group()[:20])
    ctx = {
        "organisations": organisations,
        "groups": groups,
        "queue_count": len(organisations) + len(groups),
        "stale": stale_shown,
        "stale_count": stale_count,
        "stale_more": stale_count - len(stale_shown),
        "stale_after_days": settings.STALE_AFTER_DAYS,
        "reports": reports,
        "resolved_reports": resolved,
    }
    return render(request, "moderation/overview.html", ctx)


def organisation_page(request, organisation, decline_form=None):
    members = organisation.memberships.select_related("user").order_by("role", "user__email")
    groups = list(organisation.groups.order_by("status", "name"))
    ctx = {
        "organisation": organisation,
        "members": members,
        "groups": groups,
        "waiting_count": sum(1 for g in groups if g.status == Group.Status.PENDING),
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "moderation/organisation.html", ctx)


@require_safe
@moderator_required
def organisation_review(request, slug):
    return organisation_page(request, get_object_or_404(Organisation, slug=slug))


@moderator_required
@require_POST
def organisation_approve(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    result = moderation.approve_organisation(organisation)
    if result is None:
        messages.info(request, f"{organisation.name} was already approved.")
        return redirect("moderation_overview")
    published, held = result
    messages.success(
        request,
        f"{organisation.name} is approved and {len(published)} listing(s) published. "
        "We've emailed its members.",
    )
    for group in held:
        messages.warning(
            request,
            f"“{group.name}” is not published yet: it needs {' and '.join(group.held_for)}. "
            "It is back with the organisation as a draft, to publish once it's ready.",
        )
    return redirect("moderation_overview")


@moderator_required
@require_POST
def organisation_decline(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return organisation_page(request, organisation, decline_form=form)
    if moderation.decline_organisation(organisation, form.cleaned_data["reason"]):
        messages.success(request, f"{organisation.name} is declined. We've emailed its members.")
    else:
        messages.info(request, f"{organisation.name} was not waiting for approval.")
    return redirect("moderation_overview")


def group_page(request, group, decline_form=None):
    ctx = {
        "group": group,
        "schedules": group.schedules.select_related("venue__area"),
        "topics": group.topics.all(),
        "audiences": group.audiences.all(),
        "decline_form": decline_form or DeclineForm(),
        "missing": group.missing_for_publishing(),
    }
    return render(request, "moderation/group.html", ctx)


def moderated_group(pk):
    return get_object_or_404(Group.objects.select_related("organisation"), pk=pk)


@require_safe
@moderator_required
def group_review(request, pk):
    return group_page(request, moderated_group(pk))


@moderator_required
@require_POST
def group_approve(request, pk):
    group = moderated_group(pk)
    missing = group.missing_for_publishing()
    if moderation.approve_group(group):
        messages.success(request, f"{group.name} is approved. We've emailed the organisation.")
    elif missing:
        messages.error(
            request,
            f"{group.name} is not approved: parents would need {' and '.join(missing)}. "
            "Send it back with a note, or ask the organiser to add it.",
        )
        return redirect("moderation_group", group.pk)
    else:
        messages.info(request, f"{group.name} was not waiting for approval.")
    return redirect("moderation_overview")


@moderator_required
@require_POST
def group_decline(request, pk):
    group = moderated_group(pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return group_page(request, group, decline_form=form)
    if moderation.decline_group(group, form.cleaned_data["reason"]):
        messages.success(request, f"{group.name} is sent back. We've emailed the organisation.")
    else:
        messages.info(request, f"{group.name} was not waiting for approval.")
    return redirect("moderation_overview")


@moderator_required
@require_POST
def report_resolve(request, pk):
    report = get_object_or_404(Report.objects.with_group(), pk=pk)
    try:
        if moderation.resolve_report(report, request.user, request.POST.get("note", "")):
            messages.success(request, f"Report about {report.group.name} marked resolved.")
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
    return back_to_next(request)


@moderator_required
@require_POST
def report_reopen(request, pk):
    report = get_object_or_404(Report.objects.with_group(), pk=pk)
    if report.reopen():
        messages.success(request, f"Report about {report.group.name} is open again.")
    return back_to_next(request)


def back_to_next(request):
    next_url = request.POST.get("next", "")
    # Only a path on this site: anything else (or any text redirect() would take for a view
    # name) goes back to the overview.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect("moderation_overview")
