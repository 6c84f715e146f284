"""What moderators decide, and who is told.

New organisations wait for a moderator, and so do the groups they add while they wait.
Approving an organisation publishes those groups; from then on the organisation's edits
publish at once. Every decision is emailed to the organisation's members.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from directory import emails
from directory.models import Group


@transaction.atomic
def approve_organisation(organisation):
    """Approve the organisation and publish the groups that waited for it, if they have what
    parents need; the others go back to draft for the organiser to finish and publish.

    Returns (published, held back), or None when it was already approved (a second click).
    """
    if organisation.is_approved:
        return None
    today = timezone.localdate()
    organisation.status = Organisation.Status.APPROVED
    organisation.decline_reason = ""
    organisation.save(update_fields=["status", "decline_reason", "updated"])
    published, held = [], []
    for group in organisation.groups.filter(status=Group.Status.PENDING):
        if group.approve(today):
            published.append(group)
        else:
            group.held_for = group.missing_for_publishing()
            group.decline("Nearly there: it needs " + " and ".join(group.held_for) + ".")
            held.append(group)
    emails.organisation_approved(organisation, published)
    return published, held


@transaction.atomic
def decline_organisation(organisation, reason):
    """Decline the application with a reason the members are sent. False if not pending."""
    if organisation.status != Organisation.Status.PENDING:
        return False
    organisation.status = Organisation.Status.DECLINED
    organisation.decline_reason = reason
    organisation.save(update_fields=["status", "decline_reason", "updated"])
    emails.organisation_declined(organisation, reason)
    return True


@transaction.atomic
def approve_group(group):
    """Publish one waiting group. False if it was not waiting."""
    if not group.approve():
        return False
    emails.group_approved(group)
    return True


@transaction.atomic
def decline_group(group, reason):
    """Send a waiting group back to draft with the moderator's reason. False if not waiting."""
    if not group.decline(reason):
        return False
    emails.group_declined(group, reason)
    return True


def resolve_report(report, moderator, note=""):
    """Mark a report dealt with, with an optional note. False if it already was."""
    return report.resolve(moderator, note)
