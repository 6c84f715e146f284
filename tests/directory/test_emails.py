"""Every email goes out only when the change it tells of is saved (directory.emails)."""

import pytest
from django.core import mail
from django.db import transaction

from accounts import services
from accounts.models import Invitation, Membership
from directory import emails
from tests.factories import MembershipFactory, ModeratorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def test_a_rolled_back_invitation_never_sends_its_link(django_capture_on_commit_callbacks):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        invitation = services.invite(
            admin.organisation, "friend@example.org", Membership.Role.EDITOR, admin.user
        )
        emails.invitation(invitation)
        raise RolledBack
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_saved_invitation_sends_its_link_once_committed(django_capture_on_commit_callbacks):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        with transaction.atomic():
            invitation = services.invite(
                admin.organisation, "friend@example.org", Membership.Role.EDITOR, admin.user
            )
            emails.invitation(invitation)
        assert mail.outbox == []
    for work in waiting:
        work()
    assert [m.to for m in mail.outbox] == [["friend@example.org"]]
    assert invitation.token in mail.outbox[0].body


def test_every_subject_starts_with_the_prefix_from_settings(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_SUBJECT_PREFIX = "[Test] "
    ModeratorFactory(email="mod@example.org")
    organisation = OrganisationFactory(name="Forres Family Circle")
    with django_capture_on_commit_callbacks(execute=True):
        emails.new_organisation(organisation, applicant=None)
    assert [m.subject for m in mail.outbox] == [
        "[Test] New organisation waiting for approval: Forres Family Circle"
    ]


def test_each_recipient_gets_a_message_of_their_own(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    for email in ("a@example.org", "b@example.org"):
        MembershipFactory(organisation=organisation, user__email=email)
    with django_capture_on_commit_callbacks(execute=True):
        emails.organisation_declined(organisation, "Please tell us more.")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
