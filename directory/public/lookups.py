"""How public pages fetch what they show: only published listings, and query strings a
database can take."""

from django.shortcuts import get_object_or_404

from directory.models import Group


def clean_query(querydict):
    """The query string without NUL bytes, which no database will take in a lookup."""
    cleaned = querydict.copy()
    for key in list(cleaned.keys()):
        cleaned.setlist(key, [v.replace("\x00", "") for v in cleaned.getlist(key)])
    return cleaned


def public_group(slug):
    """The one way a public view fetches a group: 404 unless it is published."""
    return get_object_or_404(Group.objects.published().select_related("organisation"), slug=slug)
