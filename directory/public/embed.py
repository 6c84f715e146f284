"""The directory on partners' websites: a GP practice, a health-visiting team, the council's
family pages or an organisation's own site frames an embed page with one snippet.

An embed page lists an organisation's, an area's, a topic's or a saved search's groups with
their next date, each linking to its full page in a new tab. It has no menus, sets no cookie
and needs no script; a tiny optional script tells the host page its height. Only these pages
may be framed by other sites (`embeddable`): everywhere else frame-ancestors stays 'none'.

Views are counted for the evidence by embed ("organisation:12", "area:elgin",
"groups:topic=anxiety"), never by the host site or its visitor.
"""

from functools import wraps
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from accounts.models import Organisation
from directory import seo
from directory.filters import GroupFilter
from directory.models import Area, Group, Topic, attach_upcoming
from directory.page_cache import cache_public_page
from directory.public.lookups import clean_query
from evidence import counting
from evidence.models import Metric
from evidence.organisation_evidence import embed_key

# An embed is a taster: the full list is one link away.
GROUPS_SHOWN = 10
# The frame's height before the optional script sizes it.
FRAME_HEIGHT = 600
HOST_SCRIPT = "js/embed.js"


def embeddable(view):
    """Let any site frame `view`'s page (outside the page cache, so kept pages keep it)."""
    return wraps(view)(xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view)))


def embed_page(request, *, title, groups, full_url, key):
    groups = groups.by_next_session().for_cards()
    total = groups.count()
    shown = attach_upcoming(list(groups[:GROUPS_SHOWN]))
    counting.count(request, Metric.EMBED_VIEW, key)
    return render(
        request,
        "embed/groups.html",
        {"title": title, "groups": shown, "total": total, "full_url": full_url},
    )


@embeddable
@require_safe
@cache_public_page
def organisation_embed(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    return embed_page(
        request,
        title=f"Groups run by {organisation.name}",
        groups=organisation.groups.published(),
        full_url=organisation.get_absolute_url(),
        key=embed_key(organisation),
    )


@embeddable
@require_safe
@cache_public_page
def area_embed(request, slug):
    area = get_object_or_404(Area, slug=slug)
    return embed_page(
        request,
        title=f"Peer support groups: {area.name}",
        groups=Group.objects.published().in_areas([area]),
        full_url=area.get_absolute_url(),
        key=f"area:{area.slug}",
    )


@embeddable
@require_safe
@cache_public_page
def topic_embed(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return embed_page(
        request,
        title=f"Peer support groups: {topic.name}",
        groups=Group.objects.published().filter(topics=topic),
        full_url=topic.get_absolute_url(),
        key=f"topic:{topic.slug}",
    )


@embeddable
@require_safe
@cache_public_page
def search_embed(request):
    """A saved search: the group list's filters, as its query string carries them."""
    filterset, chosen = saved_search(clean_query(request.GET), Group.objects.published())
    return embed_page(
        request,
        title=search_title(filterset),
        groups=filterset.qs,
        full_url=reverse("group_list") + (f"?{urlencode(chosen)}" if chosen else ""),
        key="groups:" + counting.search_key(filterset),
    )


def saved_search(query, groups):
    """(the group list's filters for `query`, the recognised (name, value) pairs chosen)."""
    filterset = GroupFilter(query, queryset=groups)
    return filterset, [(name, value) for name, value, _label in filterset.active_choices()]


def search_title(filterset):
    labels = [label for _name, _value, label in filterset.active_choices()]
    return "Peer support groups" + (f": {', '.join(labels)}" if labels else " in Moray")


# --- The snippet a partner copies -----------------------------------------------------------


def snippet(embed_path, title):
    """The HTML a partner pastes: the frame, and the optional script that sizes it. Escaped
    here as HTML for the partner's page (the template escapes it again to show it)."""
    src = seo.absolute_url(embed_path)
    return {
        "src": src,
        "title": title,
        "frame": format_html(
            '<iframe src="{}" title="{}" style="width:100%;height:{}px;border:0" loading="lazy">'
            "</iframe>",
            src,
            title,
            FRAME_HEIGHT,
        ),
        "script": format_html(
            '<script src="{}" async></script>',
            seo.absolute_url(settings.STATIC_URL + HOST_SCRIPT),
        ),
    }


def organisation_snippet(organisation):
    return snippet(
        reverse("organisation_embed", args=[organisation.slug]),
        f"Peer support groups run by {organisation.name}",
    )


def chosen_embed(query):
    """(embed path, frame title) for what the snippet page's form or query string chose."""
    choice = query.get("show", "")
    kind, _, slug = choice.partition(":")
    if kind == "organisation":
        organisation = Organisation.objects.approved().filter(slug=slug).first()
        if organisation:
            return organisation_snippet(organisation)
    elif kind in ("area", "topic"):
        model = Area if kind == "area" else Topic
        facet = model.objects.filter(slug=slug).first()
        if facet:
            return snippet(
                reverse(f"{kind}_embed", args=[facet.slug]), f"Peer support groups: {facet.name}"
            )
    filterset, chosen = saved_search(query, Group.objects.none())
    if choice == "all" or chosen:
        path = reverse("search_embed") + (f"?{urlencode(chosen)}" if chosen else "")
        return snippet(path, search_title(filterset))
    return None


@require_safe
def snippet_page(request):
    """ "Put our groups on your website": choose what to show, copy the code."""
    query = clean_query(request.GET)
    return render(
        request,
        "directory/embed_snippet.html",
        {
            "organisations": Organisation.objects.approved().order_by("name"),
            "areas": Area.objects.all(),
            "topics": Topic.objects.all(),
            "chosen": query.get("show", ""),
            "snippet": chosen_embed(query),
        },
    )
