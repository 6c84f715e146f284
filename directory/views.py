from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import ics
from directory.filters import (
    GroupFilter,
    SessionFilter,
    WhatsOnWindow,
    query_without,
    sessions_for_window,
    widen_suggestions,
)
from directory.models import Group, Session
from directory.page_cache import cache_public_page
from directory.pagination import CappedPaginator
from evidence import counting

GROUPS_PER_PAGE = 20
SESSIONS_PER_PAGE = 50
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
    # Each group's next session found through the (group, starts_at) index, a few rows a
    # group: ranking every upcoming session of the page's groups read and sorted hundreds.
    first_of_group = Session.objects.upcoming().filter(group=OuterRef("pk")).values("pk")[:1]
    first_ids = Group.objects.filter(pk__in=[g.pk for g in groups]).values(
        first=Subquery(first_of_group)
    )
    sessions = Session.objects.filter(pk__in=first_ids).select_related("venue")
    by_group = {s.group_id: s for s in sessions}
    for group in groups:
        group.next_session = by_group.get(group.pk)
    return groups


@require_safe
@cache_public_page
def group_list(request):
    query = clean_query(request.GET)
    filterset = GroupFilter(query, queryset=Group.objects.published().by_next_session())
    groups = filterset.qs.for_cards()
    page = CappedPaginator(groups, GROUPS_PER_PAGE).get_page(query.get("page"))
    attach_next_sessions(page.object_list)
    ctx = {
        "filterset": filterset,
        "page": page,
        "groups": page.object_list,
        "query_without_page": query_without(query, "page"),
        "active": filterset.removal_links(query),
    }
    if page.paginator.count == 0:
        ctx["suggestions"] = widen_suggestions(filterset, query)
    counting.count_search(request, filterset, page.paginator.count)
    return render(request, "directory/group_list.html", ctx)


@require_safe
@cache_public_page
def group_detail(request, slug):
    group = public_group(slug)
    today = timezone.localdate()
    sessions = list(group.upcoming_sessions()[:NEXT_DATES_SHOWN])
    schedules = list(group.schedules.exclude(ends_on__lt=today).select_related("venue__area"))
    ctx = {
        "group": group,
        "sessions": sessions,
        "next_session": group.sessions.upcoming().select_related("venue").first(),
        "schedules": schedules,
        "pauses": group.pauses.filter(ends_on__gte=today),
        "topics": group.topics.all(),
        "audiences": group.audiences.all(),
        # Where it usually meets, then any other place on the dates shown.
        "venues": list(
            dict.fromkeys(s.venue for s in [*schedules, *sessions] if s.venue is not None)
        ),
    }
    counting.count(request, "group_view", group.pk)
    return render(request, "directory/group_detail.html", ctx)


@require_safe
def group_calendar(request, slug):
    group = public_group(slug)
    response = HttpResponse(ics.group_calendar(group), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}.ics"'
    counting.count(request, "calendar_download", group.pk)
    return response


@require_safe
@cache_public_page
def whats_on(request):
    query = clean_query(request.GET)
    window = WhatsOnWindow(query)
    first_day, last_day = window.days()
    filterset = SessionFilter(query, queryset=sessions_for_window(first_day, last_day))
    page = CappedPaginator(filterset.qs, SESSIONS_PER_PAGE).get_page(query.get("page"))
    ctx = {
        "filterset": filterset,
        "window": window,
        "page": page,
        "sessions": page.object_list,
        "first_day": first_day,
        "last_day": last_day,
        "earlier": window.earlier_query(query),
        "later": window.later_query(query),
        "query_without_page": query_without(query, "page"),
        "active": filterset.removal_links(query),
    }
    counting.count_search(request, filterset, page.paginator.count)
    return render(request, "directory/whats_on.html", ctx)


@require_safe
@cache_public_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    groups = attach_next_sessions(organisation.groups.published().by_next_session().for_cards())
    counting.count(request, "organisation_view", organisation.pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "groups": groups},
    )


@require_safe
@cache_public_page
def organisation_list(request):
    # Meta.ordering does not apply to a GROUP BY query: order explicitly.
    organisations = (
        Organisation.objects.approved()
        .annotate(group_count=Count("groups", filter=Q(groups__status=Group.Status.PUBLISHED)))
        .order_by("name")
    )
    return render(request, "directory/organisation_list.html", {"organisations": organisations})


@require_safe
@cache_public_page
def help_page(request):
    return render(request, "directory/help.html")
