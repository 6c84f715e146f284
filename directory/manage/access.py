"""The one way organiser views fetch what they act on, with what the caller may do with it.

Strangers get a 404 (we do not confirm that someone else's listing exists), members without
the right role get a 403, moderators may act on every organisation's listings. Each helper
returns the object and the caller's `Access`, as one lookup.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation
from directory.models import Group, Venue


@dataclass(frozen=True)
class Access:
    """What a signed-in user may do with one organisation's listings."""

    membership: Membership | None
    is_moderator: bool

    @property
    def is_admin(self):
        return self.is_moderator or (self.membership is not None and self.membership.is_admin)


def access_to(user, organisation, admin_only=False):
    """The user's Access to the organisation; Http404 for strangers, PermissionDenied for
    editors where an admin is needed."""
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    access = Access(membership=membership, is_moderator=user.is_moderator)
    if not access.is_moderator:
        if membership is None:
            raise Http404("Not found")
        if admin_only and not access.is_admin:
            raise PermissionDenied("Only the organisation's admins can do this")
    return access


def organisation_for_user(request, slug, admin_only=False):
    organisation = get_object_or_404(Organisation, slug=slug)
    return organisation, access_to(request.user, organisation, admin_only)


def group_for_user(request, pk, admin_only=False):
    group = get_object_or_404(Group.objects.select_related("organisation"), pk=pk)
    return group, access_to(request.user, group.organisation, admin_only)


def venue_for_user(request, pk, admin_only=False):
    venue = get_object_or_404(Venue.objects.select_related("organisation"), pk=pk)
    return venue, access_to(request.user, venue.organisation, admin_only)
