"""Posters for clinics, baby groups and noticeboards: one group, or an organisation's or an
area's groups, each with a QR code to its page."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import seo
from directory.models import Area, Group, attach_upcoming, going_along_summary
from directory.public.lookups import public_group
from directory.public.views import area_phrase
from directory.qr import qr_svg

# Dates printed per group: enough to pick one, few enough to fit on paper.
DATES_ON_PAPER = 3


def attach_qr_codes(groups):
    """Set `page_url` (absolute, for print) and its `qr` code on each group."""
    for group in groups:
        group.page_url = seo.absolute_url(group.get_absolute_url())
        group.qr = qr_svg(group.page_url, f"QR code for {group.name}")
    return groups


@require_safe
def group_poster(request, slug):
    group = public_group(slug)
    attach_qr_codes(attach_upcoming([group], DATES_ON_PAPER))
    return render(
        request,
        "posters/group.html",
        {
            "group": group,
            "schedules": group.running_schedules(),
            "venues": group.current_venues(),
            "noindex": True,
        },
    )


def listing_poster(request, *, title, lead, page_url, groups):
    groups = groups.with_current_meetings().prefetch_related("audiences")
    groups = attach_qr_codes(attach_upcoming(groups, DATES_ON_PAPER))
    lead = f"{lead} {going_along_summary(groups)}".strip()
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
        lead="Friendly peer-support groups for parents and parents-to-be.",
        page_url=area.get_absolute_url(),
        groups=Group.objects.published()
        .in_areas([area])
        .by_next_session()
        .select_related("organisation"),
    )
