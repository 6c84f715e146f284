"""Following the group's own calendar: link an iCal address (after a preview of the dates it
would give), see how its reading goes, or stop following it. directory.feeds does the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from directory import feeds
from directory.manage.access import group_for_user
from directory.manage.forms import CalendarFeedForm
from directory.manage.groups import get_and_post, manage_url
from directory.models import CalendarFeed


@get_and_post
@login_required
def calendar_feed(request, pk):
    group, _ = group_for_user(request, pk)
    feed = CalendarFeed.objects.filter(group=group).first()
    form = CalendarFeedForm(request.POST or None, instance=feed, organisation=group.organisation)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = feeds.preview(form.cleaned_data["url"])
        except feeds.FeedError as error:
            form.add_error("url", f"We couldn't read that calendar: {error}.")
        else:
            if request.POST.get("action") == "save":
                feed = form.save(commit=False)
                feed.group = group
                feed.etag = feed.last_modified = ""  # read it all again now
                feed.save()
                feeds.follow(feed)
                messages.success(request, "Your calendar is linked: its dates are shown now.")
                return redirect(manage_url(group, "calendar"))
    return render(
        request,
        "organiser/calendar_feed.html",
        {
            "group": group,
            "feed": feed,
            "form": form,
            "preview": preview,
            "status": feeds.status(feed) if feed else "",
        },
    )


@require_POST
@login_required
def calendar_feed_stop(request, pk):
    group, _ = group_for_user(request, pk)
    feed = CalendarFeed.objects.filter(group=group).first()
    if feed:
        feeds.unlink(feed)
        messages.success(request, "The calendar is no longer followed. Its dates are removed.")
    return redirect(manage_url(group, "calendar"))
