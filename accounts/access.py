"""The one way organiser views fetch what they act on.

Strangers get a 404 (we do not confirm that someone else's listing exists), members without
the right role get a 403, moderators may act on every organisation's listings.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation


def membership_for(user, organisation):
    """The user's membership of the organisation, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def check_access(user, organisation, admin_only=False):
    """Raise Http404 for strangers and PermissionDenied for editors where admins are needed."""
    if user.is_staff:
        return
    membership = membership_for(user, organisation)
    if membership is None:
        raise Http404("Not found")
    if admin_only and not membership.is_admin:
        raise PermissionDenied("Only the organisation's admins can do this")


def get_organisation(request, slug, admin_only=False):
    organisation = get_object_or_404(Organisation, slug=slug)
    check_access(request.user, organisation, admin_only)
    return organisation


def get_group(request, pk, admin_only=False):
    from directory.models import Group

    group = get_object_or_404(Group.objects.select_related("organisation"), pk=pk)
    check_access(request.user, group.organisation, admin_only)
    return group


def get_venue(request, pk, admin_only=False):
    from directory.models import Venue

    venue = get_object_or_404(Venue.objects.select_related("organisation"), pk=pk)
    check_access(request.user, venue.organisation, admin_only)
    return venue


def get_schedule(request, pk):
    from directory.models import Schedule

    schedule = get_object_or_404(Schedule.objects.select_related("group__organisation"), pk=pk)
    check_access(request.user, schedule.group.organisation)
    return schedule


def moderator_required(view):
    """Staff only: anonymous visitors are sent to sign in, organisers get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("Moderators only")
        return view(request, *args, **kwargs)

    return wrapper
