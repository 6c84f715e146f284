"""Membership changes: invitations, roles, removals. An organisation always keeps an admin."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Invitation, Membership


class LastAdminError(Exception):
    """The change would leave the organisation with nobody who can manage its members."""


class InvitationUnusable(Exception):
    """The invitation was used already or has expired."""


@transaction.atomic
def invite(organisation, email, role, invited_by):
    """Create an invitation, replacing any earlier unused one for the address (the caller
    emails it: directory.emails.invitation)."""
    email = email.strip().lower()
    organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    return invitation


def can_accept(user, invitation):
    """Only the person the invitation was sent to, proven by a verified address, may use it."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@transaction.atomic
def accept(invitation, user):
    """Join the organisation; the invitation then stops working."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.expires_at <= timezone.now():
        raise InvitationUnusable
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    return membership, created


def _other_admins(membership):
    """Lock the organisation's admin memberships, so two admins can't demote each other at
    once and leave nobody in charge."""
    admins = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
    )
    return [m for m in admins if m.pk != membership.pk]


@transaction.atomic
def change_role(membership, role):
    if membership.is_admin and role != Membership.Role.ADMIN and not _other_admins(membership):
        raise LastAdminError
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(membership):
    if membership.is_admin and not _other_admins(membership):
        raise LastAdminError
    membership.delete()
