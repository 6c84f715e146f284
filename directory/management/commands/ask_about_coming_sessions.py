"""Ask organisers who chose to be asked whether their coming dates are still on. Run daily.

Someone who chose "the day before" gets one email for each of tomorrow's dates; someone who
chose "weekly" gets one email on SESSION_QUESTIONS_WEEKDAY about the seven days after it. Only
published listings' dates that are not cancelled are asked about. Each question is recorded
(SessionQuestion, one per person and date) before its email goes, so running the command
twice, or twice at once, never asks anyone twice about the same date.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Membership
from directory import emails
from directory.models import Session, SessionQuestion

WEEK = datetime.timedelta(days=7)


def days_to_ask_about(choice, today):
    """The first and last day whose dates someone with this choice is asked about today, or
    None on a day they are not asked."""
    tomorrow = today + datetime.timedelta(days=1)
    if choice == Membership.SessionEmails.DAY_BEFORE:
        return tomorrow, tomorrow
    if choice == Membership.SessionEmails.WEEKLY and today.weekday() == (
        settings.SESSION_QUESTIONS_WEEKDAY
    ):
        return tomorrow, today + WEEK
    return None


class Command(BaseCommand):
    help = "Email organisers who opted in: is each of their coming dates still on?"

    def handle(self, *args, **options):
        today = timezone.localdate()
        memberships = (
            Membership.objects.filter(user__is_active=True)
            .exclude(user__email="")
            .exclude(session_emails=Membership.SessionEmails.NEVER)
            .select_related("user", "organisation")
            .order_by("pk")
        )
        sent = asked = 0
        for membership in memberships:
            days = days_to_ask_about(membership.session_emails, today)
            if days is None:
                continue
            sessions = (
                Session.objects.public()
                .filter(group__organisation=membership.organisation, cancelled=False)
                .between(*days)
                .select_related("group", "venue", "extra")
                .order_by("starts_at", "group__name")
            )
            questions = [(q, s) for s in sessions if (q := self.ask(membership.user, s))]
            if not questions:
                continue
            asked += len(questions)
            if membership.session_emails == Membership.SessionEmails.WEEKLY:
                sent += emails.session_questions(membership, questions, weekly=True)
            else:
                for question in questions:
                    sent += emails.session_questions(membership, [question])
        self.stdout.write(f"Sent {sent} email(s) asking about {asked} date(s).")

    def ask(self, user, session):
        """A new question about `session` for `user`; None if they were already asked (also
        by another run at the same moment: get_or_create reads the row that run made)."""
        question, created = SessionQuestion.objects.get_or_create(
            user=user,
            group=session.group,
            starts_at=session.starts_at,
            defaults={"ends_at": session.ends_at},
        )
        return question if created else None
