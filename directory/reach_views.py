"""Pages that carry the directory beyond the site: shortlists and referral sheets for health
visitors, posters for clinics and baby groups, area and topic pages for search engines, maps on
request, the sitemap and robots.txt."""

from collections import defaultdict

from csp.decorators import csp_update
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import seo, shortlist
from directory.filters import GroupFilter
from directory.models import Area, ExtraSession, Group, Schedule, Session, Topic, Venue
from directory.qr import qr_svg
from directory.views import GROUPS_PER_PAGE, attach_next_sessions, clean_query, public_group
from evidence import counting

# Dates printed per group: enough to pick one, few enough to fit on paper.
DATES_ON_PAPER = 3
# Map pictures come from here, and only once the visitor has asked for a map.
MAP_TILE_HOST = "https://tile.openstreetmap.org"
MAP_TILE_URL = MAP_TILE_HOST + "/{z}/{x}/{y}.png"
ROBOTS_DISALLOW = ["/manage/", "/moderation/", "/admin/", "/accounts/", "/*shortlist="]


def attach_upcoming(groups, count=DATES_ON_PAPER):
    """Set `upcoming` (the next `count` sessions that go ahead) and `next_session` on each
    group, with one query however many groups there are."""
    groups = list(groups)
    ranked = (
        Session.objects.upcoming()
        .filter(group__in=[g.pk for g in groups])
        .annotate(
            rank=Window(RowNumber(), partition_by=F("group_id"), order_by=F("starts_at").asc())
        )
        .filter(rank__lte=count)
        .select_related("venue")
    )
    by_group = defaultdict(list)
    for session in ranked:
        by_group[session.group_id].append(session)
    for group in groups:
        group.upcoming = by_group[group.pk]
        group.next_session = group.upcoming[0] if group.upcoming else None
    return groups


def current_schedules():
    today = timezone.localdate()
    still_running = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    return Schedule.objects.filter(still_running).select_related("venue")


def with_current_schedules(groups):
    return groups.prefetch_related(
        Prefetch("schedules", queryset=current_schedules(), to_attr="current_schedules")
    )


def attach_qr_codes(groups):
    """Set `page_url` (absolute, for print) and its `qr` code on each group."""
    for group in groups:
        group.page_url = seo.absolute_url(group.get_absolute_url())
        group.qr = qr_svg(group.page_url, f"QR code for {group.name}")
    return groups


def area_phrase(area):
    """How a heading names the area: "in Forres", "online or by phone", "anywhere in Moray"."""
    if area.is_online:
        return "online or by phone"
    if area.name.lower().startswith("anywhere"):
        return area.name[0].lower() + area.name[1:]
    return f"in {area.name}"


# Shortlist and referral sheet


@require_safe
def shortlist_page(request, code=""):
    asked_for = shortlist.decode(code)
    groups = attach_upcoming(shortlist.public_groups(asked_for))
    ids = [g.pk for g in groups]
    counting.count(request, "shortlist_open", *ids)
    for group in groups:
        group.remove_url = shortlist.page_path(shortlist.toggled(ids, group.pk))
    share_url = shortlist.share_url(ids)
    message = shortlist.share_message(share_url, len(groups))
    names = ", ".join(g.name for g in groups)
    return render(
        request,
        "referrals/shortlist.html",
        {
            "groups": groups,
            "code": shortlist.encode(ids),
            "no_longer_listed": len(asked_for) - len(groups),
            "share_url": share_url,
            "sms_link": shortlist.sms_link(message),
            "email_link": shortlist.email_link(message),
            "max": shortlist.MAX_GROUPS,
            "noindex": True,
            "preview": {
                "title": "Groups picked for you — Moray Peer Support",
                "description": f"Friendly peer-support groups for parents in Moray: {names}."
                if groups
                else seo.DEFAULT_DESCRIPTION,
            },
        },
    )


@require_safe
def referral_sheet(request, code):
    groups = attach_qr_codes(attach_upcoming(shortlist.public_groups(shortlist.decode(code))))
    ids = [g.pk for g in groups]
    counting.count(request, "referral_print", *ids)
    return render(
        request,
        "referrals/sheet.html",
        {
            "groups": groups,
            "shortlist_url": shortlist.page_path(ids),
            "site_url": seo.absolute_url("/"),
            "noindex": True,
            "preview": {
                "title": "Referral sheet — Moray Peer Support",
                "description": "A printable sheet of peer-support groups for parents in Moray.",
            },
        },
    )


# Posters


@require_safe
def group_poster(request, slug):
    group = public_group(slug)
    attach_upcoming([group])
    attach_qr_codes([group])
    schedules = list(current_schedules().filter(group=group))
    return render(
        request,
        "posters/group.html",
        {
            "group": group,
            "schedules": schedules,
            "venues": list({s.venue for s in schedules if s.venue}),
            "noindex": True,
        },
    )


def listing_poster(request, *, title, lead, page_url, groups):
    groups = attach_qr_codes(attach_upcoming(with_current_schedules(groups)))
    page_url = seo.absolute_url(page_url)
    return render(
        request,
        "posters/listing.html",
        {
            "title": title,
            "lead": lead,
            "page_url": page_url,
            "page_qr": qr_svg(page_url, f"QR code for {title}"),
            "groups": groups,
            "noindex": True,
            "preview": {"title": title, "description": lead},
        },
    )


@require_safe
def organisation_poster(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    return listing_poster(
        request,
        title=f"Groups run by {organisation.name}",
        lead=organisation.summary or "Friendly peer-support groups for parents.",
        page_url=organisation.get_absolute_url(),
        groups=organisation.groups.published().by_next_session().select_related("organisation"),
    )


@require_safe
def area_poster(request, slug):
    area = get_object_or_404(Area, slug=slug)
    return listing_poster(
        request,
        title=f"Groups for parents {area_phrase(area)}",
        lead="Friendly peer-support groups for parents and parents-to-be. Free to go along, "
        "no sign-up, babies welcome.",
        page_url=area.get_absolute_url(),
        groups=Group.objects.published()
        .in_areas([area])
        .by_next_session()
        .select_related("organisation"),
    )


# Area and topic landing pages


def facet_page(request, *, template, facet, groups, others, preview):
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(clean_query(request.GET).get("page"))
    groups = attach_next_sessions(page.object_list)
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


# Maps, only when asked for


def venues_with_groups(groups):
    """The venues `groups` meet at now or soon, each with `map_groups`, in town order."""
    today = timezone.localdate()
    group_ids = groups.values("pk")
    pairs = set(
        current_schedules()
        .filter(group__in=group_ids, venue__isnull=False)
        .values_list("venue_id", "group_id")
    ) | set(
        ExtraSession.objects.filter(
            group__in=group_ids, venue__isnull=False, date__gte=today
        ).values_list("venue_id", "group_id")
    )
    venues = Venue.objects.in_bulk({v for v, _ in pairs})
    by_id = Group.objects.in_bulk({g for _, g in pairs})
    for venue in venues.values():
        venue.map_groups = sorted(
            (by_id[g] for v, g in pairs if v == venue.pk), key=lambda g: g.name
        )
    return sorted(venues.values(), key=lambda v: (v.town, v.name))


def map_points(venues):
    return [
        {
            "name": venue.name,
            "address": venue.full_address,
            "lat": float(venue.latitude),
            "lng": float(venue.longitude),
            "groups": [{"name": g.name, "url": g.get_absolute_url()} for g in venue.map_groups],
        }
        for venue in venues
        if venue.latitude is not None and venue.longitude is not None
    ]


def map_page(request, *, heading, venues, back_url, back_label):
    return render(
        request,
        "directory/map.html",
        {
            "heading": heading,
            "venues": venues,
            "points": map_points(venues),
            "tile_url": MAP_TILE_URL,
            "tile_host": MAP_TILE_HOST.removeprefix("https://"),
            "back_url": back_url,
            "back_label": back_label,
            "noindex": True,
        },
    )


@require_safe
@csp_update({"img-src": [MAP_TILE_HOST]})
def groups_map(request):
    query = clean_query(request.GET)
    query.pop("page", None)
    filterset = GroupFilter(query, queryset=Group.objects.published())
    venues = venues_with_groups(filterset.qs)
    return map_page(
        request,
        heading="Where the groups meet",
        venues=venues,
        back_url=reverse("group_list") + (f"?{query.urlencode()}" if query else ""),
        back_label="Back to the list of groups",
    )


@require_safe
@csp_update({"img-src": [MAP_TILE_HOST]})
def group_map(request, slug):
    group = public_group(slug)
    venues = venues_with_groups(Group.objects.filter(pk=group.pk))
    return map_page(
        request,
        heading=f"Where {group.name} meets",
        venues=venues,
        back_url=group.get_absolute_url(),
        back_label=f"Back to {group.name}",
    )


# For search engines


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {seo.absolute_url(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
