"""Every email the site sends, one function each.

Each is sent only once the surrounding transaction commits (`transaction.on_commit`), so a
rolled-back change, such as an invitation that failed to save, never emails its link. One
message per address, so no recipient sees who else was told; every subject starts with
`EMAIL_SUBJECT_PREFIX`.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User


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
        User.objects.moderators()
        .filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def send_to_each(recipients, subject, template, context, reply_to=None):
    """Queue one message per address for when the current transaction commits."""
    body = render_to_string(template, context)
    messages = [
        EmailMessage(
            subject=settings.EMAIL_SUBJECT_PREFIX + subject,
            body=body,
            to=[address],
            reply_to=[reply_to] if reply_to else None,
        )
        for address in dict.fromkeys(recipients)
    ]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)


def new_organisation(organisation, applicant):
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


def organisation_approved(organisation, published):
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


def organisation_declined(organisation, reason):
    send_to_each(
        member_emails(organisation),
        f"About your application for {organisation.name}",
        "moderation/email/organisation_declined.txt",
        {"organisation": organisation, "reason": reason},
    )


def group_approved(group):
    send_to_each(
        member_emails(group.organisation),
        f"{group.name} is approved",
        "moderation/email/group_approved.txt",
        {"group": group, "group_url": site_url(group.get_absolute_url())},
    )


def group_declined(group, reason):
    send_to_each(
        member_emails(group.organisation),
        f"About your listing {group.name}",
        "moderation/email/group_declined.txt",
        {"group": group, "reason": reason, "dashboard_url": site_url(reverse("dashboard"))},
    )


def problem_reported(report):
    """The organisation's members are sent to their own listing's page, where they can reply
    and mark it dealt with; moderators to the moderation overview."""
    group = report.group
    context = {"report": report, "group": group, "group_url": site_url(group.get_absolute_url())}
    subject = f"Problem reported with {group.name}"
    reply_to = report.email or None
    members = member_emails(group.organisation)
    send_to_each(
        members,
        subject,
        "moderation/email/report.txt",
        {**context, "action_url": site_url(reverse("group_manage", args=[group.pk]) + "#reports")},
        reply_to=reply_to,
    )
    send_to_each(
        [address for address in moderator_emails() if address not in members],
        subject,
        "moderation/email/report.txt",
        {
            **context,
            "for_moderators": True,
            "action_url": site_url(reverse("moderation_overview")) + "#reports",
        },
        reply_to=reply_to,
    )


def invitation(invitation):
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "invited_by": invitation.invited_by,
        "url": site_url(reverse("invitation_accept", args=[invitation.token])),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("organiser/email/invitation_subject.txt", context).strip()
    send_to_each([invitation.email], subject, "organiser/email/invitation.txt", context)


def member_removed(user, organisation, removed_by):
    """Tell someone an admin took away their access to an organisation's listings."""
    send_to_each(
        [user.email],
        f"You no longer have access to {organisation.name}",
        "organiser/email/member_removed.txt",
        {"organisation": organisation, "removed_by": removed_by, "site_url": settings.SITE_URL},
    )


def review_reminder(organisation, groups, recipients):
    """Ask an organisation's members "is it still on?" about listings nobody has confirmed
    for a while; each links to its one-button check page."""
    context = {"organisation": organisation, "groups": groups, "site_url": settings.SITE_URL}
    subject = render_to_string("organiser/email/review_reminder_subject.txt", context).strip()
    return send_to_each(recipients, subject, "organiser/email/review_reminder.txt", context)


def session_questions(membership, questions, weekly=False):
    """Ask one organiser "is it still on?" about coming dates: `questions` are
    (SessionQuestion, Session) pairs, each with its two signed links."""
    organisation = membership.organisation
    dates = [
        {
            "session": session,
            "on_url": site_url(reverse("session_answer", args=[question.link_token("on")])),
            "cancel_url": site_url(reverse("session_answer", args=[question.link_token("cancel")]))
            if session.called_off_with_its_day
            else "",
            "dates_url": site_url(reverse("group_manage", args=[session.group_id])) + "#dates",
        }
        for question, session in questions
    ]
    context = {
        "organisation": organisation,
        "dates": dates,
        "weekly": weekly,
        "settings_url": site_url(reverse("session_emails", args=[organisation.slug])),
    }
    subject = render_to_string("organiser/email/session_questions_subject.txt", context).strip()
    return send_to_each(
        [membership.user.email], subject, "organiser/email/session_questions.txt", context
    )


def calendar_feed_failing(feed):
    group = feed.group
    send_to_each(
        member_emails(group.organisation),
        f"We can't read the calendar for {group.name}",
        "organiser/email/calendar_feed_failing.txt",
        {
            "group": group,
            "feed": feed,
            "manage_url": site_url(reverse("calendar_feed", args=[group.pk])),
        },
    )
