"""Template tags for the shortlist, link previews, schema.org data and QR codes."""

from django import template
from django.urls import reverse

from directory import seo, shortlist
from directory.qr import qr_svg

register = template.Library()


def shortlist_ids(request):
    """The ids carried in this request's ?shortlist=, read once per request."""
    if request is None:
        return []
    if not hasattr(request, "_shortlist_ids"):
        request._shortlist_ids = shortlist.decode(request.GET.get(shortlist.PARAM, ""))
    return request._shortlist_ids


@register.simple_tag(takes_context=True)
def shortlist_carry(context, url):
    """`url` with the visitor's shortlist added, so it survives following the link: every
    link between public pages goes through this or `carry_url`, so the list holds without
    JavaScript and after a reload."""
    ids = shortlist_ids(context.get("request"))
    if not ids:
        return url
    joiner = "" if url.endswith(("?", "&")) else "&" if "?" in url else "?"
    return f"{url}{joiner}{shortlist.PARAM}={shortlist.encode(ids)}"


@register.simple_tag(takes_context=True)
def carry_url(context, name, *args):
    """`{% url name *args %}`, carrying the visitor's shortlist."""
    return shortlist_carry(context, reverse(name, args=args))


def toggle_addresses(request):
    """This page's address split around the shortlist's value, and the address without a
    shortlist: made once per request rather than once per card, which copied the query and
    encoded it again for each one."""
    if not hasattr(request, "_shortlist_addresses"):
        query = request.GET.copy()
        query[shortlist.PARAM] = ""
        pairs = query.urlencode().split("&")
        at = pairs.index(f"{shortlist.PARAM}=")
        before = "&".join([*pairs[:at], f"{shortlist.PARAM}="])
        after = "".join(f"&{pair}" for pair in pairs[at + 1 :])
        query.pop(shortlist.PARAM)
        without = request.path + (f"?{query.urlencode()}" if query else "")
        request._shortlist_addresses = (f"{request.path}?{before}", after, without)
    return request._shortlist_addresses


@register.inclusion_tag("includes/shortlist_toggle.html", takes_context=True)
def shortlist_toggle(context, group):
    """An "Add to shortlist" link: this same page, with the group added (or taken off)."""
    request = context["request"]
    ids = shortlist_ids(request)
    next_ids = shortlist.toggled(ids, group.pk)
    before, after, without = toggle_addresses(request)
    anchor = f"shortlist-{group.pk}"
    address = f"{before}{shortlist.encode(next_ids)}{after}" if next_ids else without
    on_list = group.pk in ids
    return {
        "group": group,
        "code": shortlist.encode([group.pk]),
        "anchor": anchor,
        "href": f"{address}#{anchor}",
        "on_list": on_list,
        "full": not on_list and len(ids) >= shortlist.MAX_GROUPS,
        "max": shortlist.MAX_GROUPS,
    }


@register.inclusion_tag("includes/shortlist_bar.html", takes_context=True)
def shortlist_bar(context):
    ids = shortlist_ids(context.get("request"))
    return {
        "count": len(ids),
        "code": shortlist.encode(ids),
        "page_url": shortlist.page_path(ids),
        "max": shortlist.MAX_GROUPS,
        "base_url": reverse("shortlist_empty"),
    }


@register.inclusion_tag("includes/og.html", takes_context=True)
def social_meta(context):
    """Canonical address, Open Graph and Twitter card tags for the page."""
    request = context.get("request")
    preview = seo.preview_for(context)
    width, height = seo.SHARE_IMAGE_SIZE
    return {
        "canonical": seo.canonical_url(request) if request else seo.absolute_url("/"),
        "title": preview["title"],
        "description": preview["description"],
        "site_name": seo.SITE_NAME,
        "image": seo.share_image_url(),
        "image_width": width,
        "image_height": height,
        "image_alt": seo.SHARE_IMAGE_ALT,
        "noindex": context.get("noindex", False),
    }


@register.inclusion_tag("includes/jsonld.html", takes_context=True)
def group_jsonld(context):
    """schema.org data for the group page: its organisation, venues and coming dates."""
    return {
        "request": context.get("request"),
        "data": seo.json_ld(seo.group_graph(context["group"], context.get("sessions", []))),
    }


@register.simple_tag
def qr_code(url, label):
    return qr_svg(url, label)
