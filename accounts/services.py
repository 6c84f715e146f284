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


# The invitation whose emailed link started a sign-up in this browser (directory.manage.members).
INVITATION_SESSION_KEY = "accounts.invitation_token"


def remember_for_sign_up(session, invitation):
    session[INVITATION_SESSION_KEY] = invitation.token


def invitation_for_sign_up(session):
    """The usable invitation whose link started a sign-up in this browser, if any."""
    token = session.get(INVITATION_SESSION_KEY)
    if not token:
        return None
    return Invitation.objects.usable().filter(token=token).select_related("organisation").first()


def accept_on_sign_up(session, user):
    """Accept the invitation whose link started this sign-up, once the account exists: the
    membership, or None when there was none, it can no longer be used, or the account's
    confirmed address is not the one it was sent to."""
    invitation = invitation_for_sign_up(session)
    session.pop(INVITATION_SESSION_KEY, None)
    if invitation is None or not can_accept(user, invitation):
        return None
    try:
        membership, _ = accept(invitation, user)
    except InvitationUnusable:
        return None
    return membership


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
