"""What moderators do, and the emails that tell people about it.

New organisations wait for a moderator, and so do the groups they add while they wait.
Approving an organisation publishes those groups; from then on the organisation's edits
publish at once. Every decision is emailed to the organisation's members.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from directory.models import Group

SUBJECT_PREFIX = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX


def site_url(path):
    """An absolute link for an email."""
    return settings.SITE_URL + path


def member_emails(organisation):
    return list(
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def moderator_emails():
    return list(
        User.objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def send_to_each(recipients, subject, template, context, reply_to=None):
    """One message per address, so no recipient sees who else was told."""
    body = render_to_string(template, context)
    messages = [
        EmailMessage(
            subject=SUBJECT_PREFIX + subject,
            body=body,
            to=[address],
            reply_to=[reply_to] if reply_to else None,
        )
        for address in dict.fromkeys(recipients)
    ]
    if messages:
        get_connection().send_messages(messages)


def notify_new_organisation(organisation, applicant):
    send_to_each(
        moderator_emails(),
        f"New organisation waiting for approval: {organisation.name}",
        "moderation/email/new_organisation.txt",
        {
            "organisation": organisation,
            "applicant": applicant,
            "review_url": site_url(reverse("moderation_organisation", args=[organisation.slug])),
        },
    )


def approve_organisation(organisation):
    """Approve the organisation and publish the groups that waited for it.

    Returns the groups published, or None when it was already approved (a second click).
    """
    if organisation.is_approved:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        organisation.status = Organisation.Status.APPROVED
        organisation.decline_reason = ""
        organisation.save(update_fields=["status", "decline_reason", "updated"])
        published = list(organisation.groups.filter(status=Group.Status.PENDING))
        for group in published:
            _publish(group, today)
    send_to_each(
        member_emails(organisation),
        f"{organisation.name} is approved",
        "moderation/email/organisation_approved.txt",
        {
            "organisation": organisation,
            "groups": [(g, site_url(g.get_absolute_url())) for g in published],
            "dashboard_url": site_url(reverse("dashboard")),
        },
    )
    return published


def decline_organisation(organisation, reason):
    """Decline the application with a reason the members are sent. False if not pending."""
    if organisation.status != Organisation.Status.PENDING:
        return False
    organisation.status = Organisation.Status.DECLINED
    organisation.decline_reason = reason
    organisation.save(update_fields=["status", "decline_reason", "updated"])
    send_to_each(
        member_emails(organisation),
        f"About your application for {organisation.name}",
        "moderation/email/organisation_declined.txt",
        {"organisation": organisation, "reason": reason},
    )
    return True


def approve_group(group):
    """Publish one waiting group. False if it was not waiting."""
    if group.status != Group.Status.PENDING:
        return False
    _publish(group, timezone.localdate())
    send_to_each(
        member_emails(group.organisation),
        f"{group.name} is approved",
        "moderation/email/group_approved.txt",
        {"group": group, "group_url": site_url(group.get_absolute_url())},
    )
    return True


def decline_group(group, reason):
    """Send a waiting group back to draft with the moderator's reason. False if not waiting."""
    if group.status != Group.Status.PENDING:
        return False
    group.status = Group.Status.DRAFT
    group.moderation_note = reason
    group.save(update_fields=["status", "moderation_note", "updated"])
    send_to_each(
        member_emails(group.organisation),
        f"About your listing {group.name}",
        "moderation/email/group_declined.txt",
        {"group": group, "reason": reason, "dashboard_url": site_url(reverse("dashboard"))},
    )
    return True


def _publish(group, today):
    group.status = Group.Status.PUBLISHED
    group.moderation_note = ""
    fields = ["status", "moderation_note", "updated"]
    # A moderator has just checked it, so it does not start out "may be out of date".
    if group.last_confirmed is None:
        group.last_confirmed = today
        fields.append("last_confirmed")
    group.save(update_fields=fields)


def resolve_report(report, moderator):
    """Mark a report dealt with. False if it already was."""
    if not report.is_open:
        return False
    report.resolved_at = timezone.now()
    report.resolved_by = moderator
    report.save(update_fields=["resolved_at", "resolved_by"])
    return True
