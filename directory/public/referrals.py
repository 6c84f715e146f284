"""What a health visitor hands over: a shortlist to text or email, and a sheet to print."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory import ics, seo, shortlist
from directory.models import attach_upcoming, going_along_summary
from directory.public.posters import DATES_ON_PAPER, attach_qr_codes
from directory.public.views import calendar_response
from evidence import counting


@require_safe
def shortlist_page(request, code=""):
    asked_for = shortlist.decode(code)
    groups = attach_upcoming(shortlist.public_groups(asked_for), DATES_ON_PAPER)
    ids = [g.pk for g in groups]
    # Links from this page carry the list in its address, as links from other pages carry
    # the one in their ?shortlist= (directory.templatetags.reach).
    request._shortlist_ids = ids
    counting.count(request, "shortlist_open", *ids)
    for group in groups:
        group.remove_url = shortlist.page_path(shortlist.toggled(ids, group.pk))
    share_url = shortlist.share_url(ids)
    message = shortlist.share_message(share_url, groups)
    feed_path = reverse("shortlist_feed", args=[shortlist.encode(ids)]) if ids else ""
    names = ", ".join(g.name for g in groups)
    return render(
        request,
        "referrals/shortlist.html",
        {
            "groups": groups,
            "code": shortlist.encode(ids),
            "summary": going_along_summary(groups),
            "message": message,
            "message_segments": shortlist.sms_segments(message),
            "no_longer_listed": len(asked_for) - len(groups),
            "share_url": share_url,
            "subscribe_url": ics.webcal_url(feed_path) if ids else "",
            "feed_address": ics.feed_address(feed_path) if ids else "",
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
def shortlist_feed(request, code):
    groups = shortlist.public_groups(shortlist.decode(code))
    body = ics.sessions_calendar("Groups picked for you — Moray Peer Support", groups)
    return calendar_response(body, "shortlist", download=False)


@require_safe
def referral_sheet(request, code):
    groups = shortlist.public_groups(shortlist.decode(code))
    groups = attach_qr_codes(attach_upcoming(groups, DATES_ON_PAPER))
    ids = [g.pk for g in groups]
    counting.count(request, "referral_print", *ids)
    return render(
        request,
        "referrals/sheet.html",
        {
            "groups": groups,
            "summary": going_along_summary(groups),
            "shortlist_url": shortlist.page_path(ids),
            "site_url": seo.absolute_url("/"),
            "noindex": True,
            "preview": {
                "title": "Referral sheet — Moray Peer Support",
                "description": "A printable sheet of peer-support groups for parents in Moray.",
            },
        },
    )
