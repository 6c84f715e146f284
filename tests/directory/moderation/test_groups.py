import pytest
from django.core import mail

from accounts.models import Organisation
from directory.models import Group
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(user__email="admin@keithcuppa.example")


def with_times(group):
    """A group with a regular time and its sessions: ready for parents."""
    from directory.timetable import rebuild_sessions

    ScheduleFactory(group=group)
    rebuild_sessions(group)
    return group


@pytest.fixture
def waiting(member):
    return with_times(
        GroupFactory(
            organisation=member.organisation, name="Keith Cuppa", status=Group.Status.PENDING
        )
    )


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory())
    return client


def url(group, action=""):
    return f"/moderation/groups/{group.pk}/{action}"


@pytest.mark.parametrize("action", ["", "approve/", "decline/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, waiting, action):
    response = client.post(url(waiting, action)) if action else client.get(url(waiting))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["", "approve/", "decline/"])
def test_organisers_are_refused(client, member, waiting, action):
    client.force_login(member.user)
    response = (
        client.post(url(waiting, action), {"reason": "x"}) if action else client.get(url(waiting))
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Group.Status.PENDING


@pytest.mark.parametrize("action", ["approve/", "decline/"])
def test_decisions_are_post_only(moderator_client, waiting, action):
    assert moderator_client.get(url(waiting, action)).status_code == 405


def test_the_review_page_shows_the_listing_as_submitted(moderator_client, waiting):
    schedule = ScheduleFactory(group=waiting)
    response = moderator_client.get(url(waiting))
    assert response.status_code == 200
    assert "Keith Cuppa" in response.text
    assert "Come along for a cuppa" in response.text
    assert schedule.describe() in response.text
    assert "Approve Keith Cuppa" in response.text


def test_the_review_page_escapes_organiser_text_and_does_not_link_their_urls(moderator_client):
    group = GroupFactory(
        name="<script>x()</script>",
        description="<iframe src=evil>",
        website='https://example.org/"><script>',
        status=Group.Status.PENDING,
    )
    text = moderator_client.get(url(group)).text
    assert "<script>x()" not in text
    assert "<iframe" not in text
    assert '"><script>' not in text
    assert 'href="https://example.org/' not in text


def test_approving_a_group_publishes_it_and_emails_members(moderator_client, waiting):
    response = moderator_client.post(url(waiting, "approve/"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Group.Status.PUBLISHED
    assert Group.objects.published().filter(pk=waiting.pk).exists()
    assert [m.to for m in mail.outbox] == [["admin@keithcuppa.example"]]
    assert "Keith Cuppa is approved" in mail.outbox[0].subject


def test_a_group_approved_alone_waits_for_its_organisation(moderator_client):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING)
    group = with_times(GroupFactory(organisation=organisation, status=Group.Status.PENDING))
    moderator_client.post(url(group, "approve/"))
    group.refresh_from_db()
    assert group.status == Group.Status.PUBLISHED
    assert not Group.objects.published().exists()


def test_a_group_without_times_is_not_approved_and_the_moderator_is_told_why(
    moderator_client, member
):
    bare = GroupFactory(organisation=member.organisation, status=Group.Status.PENDING)
    page = moderator_client.get(url(bare))
    assert "Not ready for parents yet" in page.text
    response = moderator_client.post(url(bare, "approve/"), follow=True)
    bare.refresh_from_db()
    assert bare.status == Group.Status.PENDING
    assert "is not approved: parents would need a regular time or an extra date" in response.text
    assert mail.outbox == []


def test_declining_a_group_sends_it_back_with_a_note(moderator_client, waiting):
    response = moderator_client.post(
        url(waiting, "decline/"), {"reason": "Please add the venue's address."}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Group.Status.DRAFT
    assert waiting.moderation_note == "Please add the venue's address."
    assert [m.to for m in mail.outbox] == [["admin@keithcuppa.example"]]
    assert "Please add the venue's address." in mail.outbox[0].body


def test_declining_a_group_needs_a_reason(moderator_client, waiting):
    response = moderator_client.post(url(waiting, "decline/"), {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required" in response.text
    waiting.refresh_from_db()
    assert waiting.status == Group.Status.PENDING


def test_approving_clears_an_earlier_note(moderator_client, waiting):
    waiting.moderation_note = "Add a venue"
    waiting.save()
    moderator_client.post(url(waiting, "approve/"))
    waiting.refresh_from_db()
    assert waiting.moderation_note == ""


def test_only_waiting_groups_can_be_decided(moderator_client):
    published = GroupFactory(status=Group.Status.PUBLISHED)
    moderator_client.post(url(published, "decline/"), {"reason": "no"})
    published.refresh_from_db()
    assert published.status == Group.Status.PUBLISHED
    assert mail.outbox == []


def test_unknown_groups_are_not_found(moderator_client):
    assert moderator_client.get("/moderation/groups/999999/").status_code == 404
