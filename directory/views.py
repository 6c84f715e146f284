import datetime

from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import ics
from directory.filters import GroupFilter, SessionFilter, sessions_for_window
from directory.models import Area, Group, Session

GROUPS_PER_PAGE = 20
SESSIONS_PER_PAGE = 50
WHATS_ON_DAYS = 8  # today and the next 7 days
NEXT_DATES_SHOWN = 8


def clean_query(querydict):
    """The query string without NUL bytes, which no database will take in a lookup."""
    cleaned = querydict.copy()
    for key in list(cleaned.keys()):
        cleaned.setlist(key, [v.replace("\x00", "") for v in cleaned.getlist(key)])
    return cleaned


def public_group(slug):
    """The one way a public view fetches a group: 404 unless it is published."""
    return get_object_or_404(Group.objects.published().select_related("organisation"), slug=slug)


def attach_next_sessions(groups):
    """Set `next_session` on each group with one query, however many groups there are."""
    groups = list(groups)
    first_per_group = (
        Session.objects.upcoming()
        .filter(group__in=[g.pk for g in groups])
        .annotate(
            rank=Window(RowNumber(), partition_by=F("group_id"), order_by=F("starts_at").asc())
        )
        .filter(rank=1)
        .select_related("venue__area")
    )
    by_group = {s.group_id: s for s in first_per_group}
    for group in groups:
        group.next_session = by_group.get(group.pk)
    return groups


def query_without(querydict, name, value=None):
    """The query string with one chosen value (or a whole filter) taken away."""
    remaining = querydict.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(name, None)
    else:
        remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
    return remaining.urlencode()


def widen_suggestions(filterset, query):
    """Ways to find something when a search found nothing."""
    suggestions = [
        {"label": f"Without “{label}”", "query": query_without(query, name, value)}
        for name, value, label in filterset.active_choices()
    ]
    chosen_areas = filterset.form.cleaned_data.get("area") or []
    nearby = (
        Area.objects.filter(nearby__in=chosen_areas)
        .exclude(pk__in=[a.pk for a in chosen_areas])
        .distinct()
    )
    for area in nearby:
        widened = query.copy()
        widened.pop("page", None)
        widened.setlist("area", query.getlist("area") + [area.slug])
        suggestions.append({"label": f"Also in nearby {area.name}", "query": widened.urlencode()})
    online = Area.objects.filter(is_online=True).first()
    if online and online not in chosen_areas:
        widened = query.copy()
        widened.pop("page", None)
        widened.setlist("area", [online.slug])
        suggestions.append({"label": "Groups online or by phone", "query": widened.urlencode()})
    return suggestions


@require_safe
def group_list(request):
    query = clean_query(request.GET)
    filterset = GroupFilter(query, queryset=Group.objects.published().by_next_session())
    groups = filterset.qs.select_related("organisation")
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(query.get("page"))
    attach_next_sessions(page.object_list)
    ctx = {
        "filterset": filterset,
        "page": page,
        "groups": page.object_list,
        "query_without_page": query_without(query, "page"),
        "active": [
            (label, query_without(query, name, value))
            for name, value, label in filterset.active_choices()
        ],
    }
    if page.paginator.count == 0:
        ctx["suggestions"] = widen_suggestions(filterset, query)
    return render(request, "directory/group_list.html", ctx)


@require_safe
def group_detail(request, slug):
    group = public_group(slug)
    sessions = list(group.upcoming_sessions()[:NEXT_DATES_SHOWN])
    ctx = {
        "group": group,
        "sessions": sessions,
        "next_session": next((s for s in sessions if not s.cancelled), None),
        "schedules": group.schedules.select_related("venue__area"),
        "pauses": group.pauses.filter(ends_on__gte=timezone.localdate()),
        "topics": group.topics.all(),
        "audiences": group.audiences.all(),
        "venues": {s.venue for s in sessions if s.venue},
    }
    return render(request, "directory/group_detail.html", ctx)


@require_safe
def group_calendar(request, slug):
    group = public_group(slug)
    response = HttpResponse(ics.group_calendar(group), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}.ics"'
    return response


@require_safe
def whats_on(request):
    query = clean_query(request.GET)
    today = timezone.localdate()
    last_day = today + datetime.timedelta(days=WHATS_ON_DAYS - 1)
    filterset = SessionFilter(query, queryset=sessions_for_window(today, last_day))
    page = Paginator(filterset.qs, SESSIONS_PER_PAGE).get_page(query.get("page"))
    ctx = {
        "filterset": filterset,
        "page": page,
        "sessions": page.object_list,
        "today": today,
        "last_day": last_day,
        "query_without_page": query_without(query, "page"),
        "active": [
            (label, query_without(query, name, value))
            for name, value, label in filterset.active_choices()
        ],
    }
    return render(request, "directory/whats_on.html", ctx)


@require_safe
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    groups = attach_next_sessions(
        organisation.groups.published().by_next_session().select_related("organisation")
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "groups": groups},
    )


@require_safe
def organisation_list(request):
    organisations = Organisation.objects.approved()
    return render(request, "directory/organisation_list.html", {"organisations": organisations})


@require_safe
def help_page(request):
    return render(request, "directory/help.html")
