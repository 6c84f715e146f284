"""The parent-facing pages: the list of groups, a group's page and calendar, what's on,
organisations, areas and topics, help, and what search engines read."""

import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import facets, ics, places, seo, vocabulary
from directory.filters import (
    QUICK_TOPICS,
    GroupFilter,
    SessionFilter,
    WhatsOnWindow,
    query_without,
    sessions_for_window,
    widen_suggestions,
)
from directory.models import Area, Group, Topic, attach_topics, attach_upcoming
from directory.page_cache import cache_public_page
from directory.pagination import CappedPaginator, SoonestFirst
from directory.public.lookups import clean_query, public_group
from evidence import counting

GROUPS_PER_PAGE = 20
SESSIONS_PER_PAGE = 50
NEXT_DATES_SHOWN = 8


@require_safe
@cache_public_page
def group_list(request):
    query = clean_query(request.GET)
    filterset = GroupFilter(query, queryset=Group.objects.published().by_next_session())
    where = places.WhereForm(query)
    whereabouts = where.whereabouts()
    if whereabouts.point:
        nearest = places.NearestFirst(filterset.qs, whereabouts.point, where.radius())
        page = CappedPaginator(nearest, GROUPS_PER_PAGE).get_page(query.get("page"))
    else:
        groups = SoonestFirst(filterset.qs)
        page = CappedPaginator(groups, GROUPS_PER_PAGE).get_page(query.get("page"))
    attach_topics(attach_upcoming(page.object_list))
    reading = vocabulary.read(filterset.chosen.get("q"))
    # Within a distance, the list is fewer than the filters find: counts beside the choices
    # would promise groups their links don't list (and counting there would keep her place).
    within_distance = bool(whereabouts.point and where.radius())
    ctx = {
        "filterset": filterset,
        "page": page,
        "groups": page.object_list,
        "query_without_page": query_without(query, "page"),
        "active": filterset.removal_links(query),
        "option_counts": {} if within_distance else filterset.option_counts(),
        "quick_areas": facets.terms(Area),
        "quick_topics": facets.terms(Topic)[:QUICK_TOPICS],
        "crisis": reading.crisis,
        "guesses": reading.guesses,
        "whereabouts": whereabouts,
        "radius": where.radius(),
        "where_links": places.page_links(whereabouts, query),
    }
    # Once she has chosen something, one tap narrows the list further (the home page has its
    # own quick choices).
    if ctx["active"] and page.paginator.count and not within_distance:
        ctx["narrowing"] = filterset.quick_choices(query)
    if page.paginator.count == 0:
        ctx["suggestions"] = widen_suggestions(filterset, query, reading)
    counting.count_search(request, filterset, page.paginator.count)
    return render(request, "directory/group_list.html", ctx)


@require_safe
@cache_public_page
def group_detail(request, slug):
    group = public_group(slug)
    sessions = list(group.upcoming_sessions().with_confirmation()[:NEXT_DATES_SHOWN])
    schedules = group.running_schedules()
    next_session = group.sessions.upcoming().with_confirmation().select_related("venue").first()
    ctx = {
        "group": group,
        "sessions": sessions,
        "next_session": next_session,
        "subscribe_url": ics.webcal_url(reverse("group_feed", args=[group.slug])),
        "feed_address": ics.feed_address(reverse("group_feed", args=[group.slug])),
        "schedules": schedules,
        "pauses": group.coming_breaks(),
        "topics": group.topics.all(),
        "audiences": group.audiences.all(),
        # Where it usually meets, then any other place on the dates shown.
        "venues": list(
            dict.fromkeys(s.venue for s in [*schedules, *sessions] if s.venue is not None)
        ),
        # When the dates shown are not all in one place, each says where.
        "dates_vary": len({s.venue_id for s in sessions if not s.cancelled}) > 1,
    }
    counting.count(request, "group_view", group.pk)
    return render(request, "directory/group_detail.html", ctx)


def calendar_response(body, filename, download=True):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.ics"'
    # Polled by calendar apps: they revalidate with the ETag and get 304 while unchanged.
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def group_feed(request, slug):
    group = public_group(slug)
    counting.count(request, "calendar_download", group.pk)
    return calendar_response(ics.sessions_calendar(group.name, [group]), group.slug, False)


@require_safe
def group_date_calendar(request, slug, day):
    """ "Add this date": that day's session as a single event."""
    group = public_group(slug)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as problem:
        raise Http404("No such date") from problem
    sessions = list(ics.feed_sessions([group], date, date).filter(cancelled=False))
    if not sessions:
        raise Http404("The group does not meet that day")
    counting.count(request, "calendar_download", group.pk)
    body = ics.sessions_calendar(group.name, [group], sessions)
    return calendar_response(body, f"{group.slug}-{date.isoformat()}")


@require_safe
def organisation_feed(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    groups = list(organisation.groups.published())
    return calendar_response(ics.sessions_calendar(organisation.name, groups), slug, False)


@require_safe
def area_feed(request, slug):
    area = get_object_or_404(Area, slug=slug)
    groups = list(Group.objects.published().in_areas([area]))
    name = f"Peer support for parents {area_phrase(area)}"
    return calendar_response(ics.sessions_calendar(name, groups), slug, False)


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
    groups = attach_topics(
        attach_upcoming(organisation.groups.published().by_next_session().for_cards())
    )
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


# Area and topic landing pages


def area_phrase(area):
    """How a heading names the area: "in Forres", "online or by phone", "anywhere in Moray"."""
    if area.is_online:
        return "online or by phone"
    if area.name.lower().startswith("anywhere"):
        return area.name[0].lower() + area.name[1:]
    return f"in {area.name}"


def facet_page(request, *, template, facet, groups, others, preview):
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(clean_query(request.GET).get("page"))
    groups = attach_topics(attach_upcoming(page.object_list))
    return render(
        request,
        template,
        {
            "facet": facet,
            "page": page,
            "groups": groups,
            "others": others,
            "query_without_page": "",
            "preview": preview,
        },
    )


@require_safe
def area_detail(request, slug):
    area = get_object_or_404(Area, slug=slug)
    phrase = area_phrase(area)
    return facet_page(
        request,
        template="directory/area_detail.html",
        facet=area,
        groups=Group.objects.published()
        .in_areas([area])
        .by_next_session()
        .select_related("organisation"),
        others=Area.objects.exclude(pk=area.pk),
        preview={
            "title": f"Peer support for parents {phrase}",
            "description": f"Friendly peer-support groups for parents and parents-to-be {phrase}"
            f"{f' ({area.description})' if area.description else ''}. "
            "See when the next one meets — no sign-up needed.",
        },
    )


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return facet_page(
        request,
        template="directory/topic_detail.html",
        facet=topic,
        groups=Group.objects.published()
        .filter(topics=topic)
        .by_next_session()
        .select_related("organisation"),
        others=Topic.objects.exclude(pk=topic.pk),
        preview={
            "title": f"Peer support for parents: {topic.name.lower()}",
            "description": topic.description
            or f"Friendly groups across Moray where parents support each other with "
            f"{topic.name.lower()}. No sign-up needed.",
        },
    )


# For search engines

ROBOTS_DISALLOW = ["/manage/", "/moderation/", "/admin/", "/accounts/", "/*shortlist="]


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico by themselves; the site's icon is a small SVG."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {seo.absolute_url(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
