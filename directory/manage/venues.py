"""An organisation's venues: where its groups meet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from directory.manage import history
from directory.manage.access import organisation_for_user, venue_for_user
from directory.manage.conflicts import EditConflict, save_if_unchanged
from directory.manage.forms import VenueForm
from directory.manage.groups import get_and_post


@require_safe
@login_required
def venue_list(request, slug):
    organisation, access = organisation_for_user(request, slug)
    return render(
        request,
        "organiser/venue_list.html",
        {
            "organisation": organisation,
            "venues": organisation.venues.select_related("area"),
            "is_admin": access.is_admin,
        },
    )


@get_and_post
@login_required
def venue_create(request, slug):
    organisation, _ = organisation_for_user(request, slug)
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
    venue, _ = venue_for_user(request, pk)
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
    venue, _ = venue_for_user(request, pk)
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
    venue, _ = venue_for_user(request, pk, admin_only=True)
    return render(
        request,
        "organiser/history.html",
        {"venue": venue, "entries": history.venue_timeline(venue)},
    )


@require_POST
@login_required
def venue_restore(request, pk, record_pk):
    venue, _ = venue_for_user(request, pk, admin_only=True)
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
