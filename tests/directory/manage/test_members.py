"""An organisation's admins invite, re-role and remove members; one admin always remains."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Membership
from tests.accounts.organiser_world import make_world
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def members_url(world):
    return reverse("member_list", args=[world.organisation.slug])


def test_admins_see_members_and_waiting_invitations(client, world):
    client.force_login(world.admin)
    response = client.get(members_url(world))
    assert response.status_code == 200
    assert world.admin.email in response.text
    assert world.editor.email in response.text
    assert "new.helper@example.org" in response.text


def test_the_members_page_makes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(5):
        MembershipFactory(organisation=world.organisation, role=Membership.Role.EDITOR)
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        client.get(members_url(world))


def test_an_editor_cannot_open_the_members_page(client, world):
    client.force_login(world.editor)
    assert client.get(members_url(world)).status_code == 403


def test_inviting_someone_emails_them_a_link_that_works_once(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("member_invite", args=[world.organisation.slug]),
        {"email": "Fiona@Example.org", "role": "admin"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="fiona@example.org")
    assert invitation.role == "admin"
    assert invitation.invited_by == world.admin
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fiona@example.org"]
    assert world.organisation.name in message.subject
    assert reverse("invitation_accept", args=[invitation.token]) in message.body


def test_inviting_again_replaces_the_earlier_link(client, world):
    client.force_login(world.admin)
    url = reverse("member_invite", args=[world.organisation.slug])
    client.post(url, {"email": "fiona@example.org", "role": "editor"})
    first = Invitation.objects.get(email="fiona@example.org")
    client.post(url, {"email": "fiona@example.org", "role": "editor"})
    assert not Invitation.objects.filter(pk=first.pk).exists()
    assert Invitation.objects.filter(email="fiona@example.org").count() == 1


def test_inviting_a_current_member_is_refused_plainly(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("member_invite", args=[world.organisation.slug]),
        {"email": world.editor.email, "role": "editor"},
    )
    assert response.status_code == 400
    assert "already a member" in response.text
    assert 'class="error-summary"' in response.text
    assert mail.outbox == []


def test_an_invalid_email_is_shown_in_the_error_summary_linked_to_the_field(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("member_invite", args=[world.organisation.slug]),
        {"email": "not an email", "role": "editor"},
    )
    assert response.status_code == 400
    assert 'href="#id_email"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_admin_changes_a_members_role(client, world):
    client.force_login(world.admin)
    membership = world.editor_membership
    client.post(
        reverse("member_role", args=[world.organisation.slug, membership.pk]), {"role": "admin"}
    )
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_an_admin_removes_a_member(client, world):
    client.force_login(world.admin)
    membership = world.editor_membership
    response = client.post(reverse("member_remove", args=[world.organisation.slug, membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_member_asks_first_then_emails_them(client, world):
    from django.core import mail

    client.force_login(world.admin)
    membership = world.editor_membership
    url = reverse("member_remove", args=[world.organisation.slug, membership.pk])
    members_page = client.get(reverse("member_list", args=[world.organisation.slug])).text
    assert f'href="{url}"' in members_page  # a link to the question, not a one-tap button
    question = client.get(url)
    assert question.status_code == 200
    assert f"Remove {world.editor.email} from {world.organisation.name}?" in question.text
    assert Membership.objects.filter(pk=membership.pk).exists()  # asking changes nothing
    response = client.post(url, follow=True)
    assert "emailed them to let them know" in response.text
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert [m.to for m in mail.outbox] == [[world.editor.email]]
    assert world.organisation.name in mail.outbox[0].subject
    assert "invite you again" in mail.outbox[0].body


def test_leaving_asks_first_and_sends_no_email(client, world):
    from django.core import mail

    world.editor_membership.role = Membership.Role.ADMIN
    world.editor_membership.save()
    client.force_login(world.admin)
    own = Membership.objects.get(user=world.admin, organisation=world.organisation)
    url = reverse("member_remove", args=[world.organisation.slug, own.pk])
    assert f"Leave {world.organisation.name}?" in client.get(url).text
    client.post(url)
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert mail.outbox == []


def test_the_last_admin_cannot_demote_themselves(client, world):
    client.force_login(world.admin)
    own = Membership.objects.get(user=world.admin, organisation=world.organisation)
    response = client.post(
        reverse("member_role", args=[world.organisation.slug, own.pk]),
        {"role": "editor"},
        follow=True,
    )
    own.refresh_from_db()
    assert own.role == "admin"
    assert "needs one" in response.text


def test_the_last_admin_cannot_remove_themselves(client, world):
    client.force_login(world.admin)
    own = Membership.objects.get(user=world.admin, organisation=world.organisation)
    response = client.post(
        reverse("member_remove", args=[world.organisation.slug, own.pk]), follow=True
    )
    assert Membership.objects.filter(pk=own.pk).exists()
    assert "only admin" in response.text


def test_an_admin_may_leave_when_another_admin_remains(client, world):
    world.editor_membership.role = Membership.Role.ADMIN
    world.editor_membership.save()
    client.force_login(world.admin)
    own = Membership.objects.get(user=world.admin, organisation=world.organisation)
    response = client.post(reverse("member_remove", args=[world.organisation.slug, own.pk]))
    assert response["Location"] == reverse("dashboard")
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_a_moderator_cannot_remove_the_last_admin_either(client, world):
    client.force_login(world.moderator)
    own = Membership.objects.get(user=world.admin, organisation=world.organisation)
    client.post(reverse("member_remove", args=[world.organisation.slug, own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()


def test_members_of_another_organisation_cannot_be_touched_through_this_one(client, world):
    client.force_login(world.admin)
    other = Membership.objects.get(user=world.stranger)
    response = client.post(reverse("member_remove", args=[world.organisation.slug, other.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_an_admin_withdraws_an_invitation(client, world):
    client.force_login(world.admin)
    client.post(reverse("invitation_withdraw", args=[world.organisation.slug, world.invitation.pk]))
    assert not Invitation.objects.filter(pk=world.invitation.pk).exists()
