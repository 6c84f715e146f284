"""Accepting an invitation: only its addressee, only once, only before it expires."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from tests.accounts.organiser_world import make_world, verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def accept_url(invitation):
    return reverse("invitation_accept", args=[invitation.token])


def test_the_invited_person_joins_with_the_invited_role(client, world):
    invitee = verified(UserFactory(email="new.helper@example.org"))
    client.force_login(invitee)
    assert "Accept the invitation" in client.get(accept_url(world.invitation)).text
    response = client.post(accept_url(world.invitation))
    assert response["Location"] == reverse("dashboard")
    membership = Membership.objects.get(user=invitee, organisation=world.organisation)
    assert membership.role == "editor"
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_at is not None


def test_the_link_works_only_once(client, world):
    invitee = verified(UserFactory(email="new.helper@example.org"))
    client.force_login(invitee)
    client.post(accept_url(world.invitation))
    Membership.objects.filter(user=invitee).delete()
    response = client.post(accept_url(world.invitation))
    assert response.status_code == 410
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_expired_link_does_nothing(client, world):
    world.invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    world.invitation.save()
    invitee = verified(UserFactory(email="new.helper@example.org"))
    client.force_login(invitee)
    response = client.post(accept_url(world.invitation))
    assert response.status_code == 410
    assert "expired" in response.text
    assert not Membership.objects.filter(user=invitee).exists()


def test_someone_else_holding_the_link_cannot_use_it(client, world):
    client.force_login(world.stranger)
    response = client.post(accept_url(world.invitation))
    assert response.status_code == 403
    assert not Membership.objects.filter(
        user=world.stranger, organisation=world.organisation
    ).exists()


def test_an_unconfirmed_matching_address_is_not_enough(client, world):
    invitee = UserFactory(email="new.helper@example.org")
    client.force_login(invitee)
    assert client.post(accept_url(world.invitation)).status_code == 403


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("invitation_accept", args=["no-such-token"])).status_code == 404


def test_a_signed_out_visitor_is_offered_sign_in_or_sign_up_and_gets_no_cookie(client, world):
    response = client.get(accept_url(world.invitation))
    assert response.status_code == 200
    assert f"/accounts/login/?next={accept_url(world.invitation)}" in response.text
    assert reverse("invitation_signup", args=[world.invitation.token]) in response.text
    assert response.cookies == {}


def test_a_newcomer_signs_up_then_accepts_through_the_emailed_link(client, world):
    password = "bramble-harbour-lantern-42"
    client.post(
        reverse("account_signup"),
        {"email": "new.helper@example.org", "password1": password, "password2": password},
    )
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[1])
    client.post(reverse("account_login"), {"login": "new.helper@example.org", "password": password})
    dashboard = client.get(reverse("dashboard"))
    assert "open the link in the invitation email" in dashboard.text
    client.post(accept_url(world.invitation))
    invitee = get_user_model().objects.get(email="new.helper@example.org")
    assert Membership.objects.filter(user=invitee, organisation=world.organisation).exists()


def test_an_account_cannot_take_an_invitation_by_getting_the_invitee_to_confirm_its_address(
    client, world
):
    mallory = verified(UserFactory(email="mallory@example.org"))
    client.force_login(mallory)
    client.post(reverse("account_email"), {"action_add": "", "email": "new.helper@example.org"})
    # The invitee clicks the confirmation that reaches their mailbox first.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[1])
    client.post(reverse("account_email"), {"action_primary": "", "email": "new.helper@example.org"})
    # Only the emailed link carries the invitation: nothing on the site hands it out.
    dashboard = client.get(reverse("dashboard"))
    assert world.invitation.token not in dashboard.text
    assert not Membership.objects.filter(user=mallory, organisation=world.organisation).exists()


def test_an_account_keeps_one_email_address(client):
    user = verified(UserFactory(email="morag@example.org"))
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[1])
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "second@example.org"
    ]


PASSWORD_CHOSEN = "bramble-harbour-lantern-42"


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD_CHOSEN, "password2": PASSWORD_CHOSEN},
    )


def from_the_invitation_link(client, invitation):
    response = client.get(reverse("invitation_signup", args=[invitation.token]))
    assert response["Location"] == reverse("account_signup")
    return client.get(response["Location"])


def test_the_sign_up_page_from_an_invitation_has_the_invited_address_filled_in(client, world):
    response = from_the_invitation_link(client, world.invitation)
    assert 'value="new.helper@example.org"' in response.text
    assert f"listings of <strong>{world.organisation.name}</strong>" in response.text
    assert 'value="new.helper@example.org"' not in Client().get(reverse("account_signup")).text


def test_signing_up_from_the_invitation_link_ends_as_a_member_with_no_second_click(client, world):
    from_the_invitation_link(client, world.invitation)
    response = sign_up(client, "New.Helper@example.org")
    assert response.status_code == 302
    invitee = get_user_model().objects.get(email__iexact="new.helper@example.org")
    assert Membership.objects.get(user=invitee, organisation=world.organisation).role == "editor"
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_at is not None
    # The invitation's link was the proof of the mailbox: no confirmation email, signed in.
    assert EmailAddress.objects.get(user=invitee).verified
    assert not any("confirm-email" in message.body for message in mail.outbox)
    dashboard = client.get(response["Location"], follow=True)
    assert f"Welcome to {world.organisation.name}." in dashboard.text
    assert world.group.name in dashboard.text


def test_signing_up_from_the_link_with_another_address_confirms_it_by_email_and_joins_nothing(
    client, world
):
    from_the_invitation_link(client, world.invitation)
    sign_up(client, "someone.else@example.org")
    other = get_user_model().objects.get(email="someone.else@example.org")
    assert not EmailAddress.objects.get(user=other).verified
    assert not EmailAddress.objects.filter(email__iexact="new.helper@example.org").exists()
    assert "confirm-email" in mail.outbox[-1].body
    assert not Membership.objects.filter(user=other).exists()
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_at is None


def test_signing_up_with_the_invited_address_but_not_from_the_link_proves_nothing(client, world):
    sign_up(client, "new.helper@example.org")
    invitee = get_user_model().objects.get(email="new.helper@example.org")
    assert not EmailAddress.objects.get(user=invitee).verified
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.parametrize("spent", ["used", "expired"])
def test_a_spent_invitations_sign_up_link_explains_instead_and_vouches_for_nothing(
    client, world, spent
):
    if spent == "used":
        world.invitation.accepted_at = timezone.now()
    else:
        world.invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    world.invitation.save()
    response = client.get(reverse("invitation_signup", args=[world.invitation.token]))
    assert response["Location"] == accept_url(world.invitation)
    assert client.get(response["Location"]).status_code == 410
    sign_up(client, "new.helper@example.org")
    invitee = get_user_model().objects.get(email="new.helper@example.org")
    assert not EmailAddress.objects.get(user=invitee).verified


def test_someone_signed_in_following_the_sign_up_link_goes_to_the_invitation(client, world):
    client.force_login(world.stranger)
    response = client.get(reverse("invitation_signup", args=[world.invitation.token]))
    assert response["Location"] == accept_url(world.invitation)
    assert "account_verified_email" not in client.session
