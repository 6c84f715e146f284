import pytest
from django.core import mail

from accounts.models import Membership, Organisation
from directory.models import Group
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    organisation = OrganisationFactory(
        name="Lossie Dads",
        status=Organisation.Status.PENDING,
        contact_name="Sam",
        why="Dads' walks on the beach.",
    )
    return MembershipFactory(organisation=organisation, user__email="sam@lossiedads.example")


@pytest.fixture
def moderator_client(client):
    client.force_login(ModeratorFactory(email="mod@example.org"))
    return client


def with_times(group):
    from tests.directory.moderation.test_groups import with_times as add_times

    return add_times(group)


def review_url(organisation):
    return f"/moderation/organisations/{organisation.slug}/"


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("action", ["", "approve/", "decline/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, applicant, action):
    url = review_url(applicant.organisation) + action
    response = client.post(url) if action else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["", "approve/", "decline/"])
def test_organisers_even_its_own_admin_are_refused(client, applicant, action):
    client.force_login(applicant.user)
    url = review_url(applicant.organisation) + action
    response = client.post(url, {"reason": "x"}) if action else client.get(url)
    assert response.status_code == 403
    applicant.organisation.refresh_from_db()
    assert applicant.organisation.status == Organisation.Status.PENDING


@pytest.mark.parametrize("action", ["approve/", "decline/"])
def test_decisions_are_post_only(moderator_client, applicant, action):
    response = moderator_client.get(review_url(applicant.organisation) + action)
    assert response.status_code == 405


def test_the_review_page_is_get_only(moderator_client, applicant):
    assert moderator_client.post(review_url(applicant.organisation)).status_code == 405


def test_the_review_page_shows_the_application(moderator_client, applicant):
    GroupFactory(
        organisation=applicant.organisation, name="Beach Walks", status=Group.Status.PENDING
    )
    response = moderator_client.get(review_url(applicant.organisation))
    assert response.status_code == 200
    assert "Dads&#x27; walks on the beach." in response.text
    assert "sam@lossiedads.example" in response.text
    assert "Beach Walks" in response.text
    assert "Approve Lossie Dads" in response.text


def test_the_review_page_escapes_what_the_organisation_wrote(moderator_client):
    organisation = OrganisationFactory(
        name="<script>x()</script>",
        slug="x",
        why="<img src=x onerror=alert(1)>",
        charity_number="<b>SC1</b>",
        status=Organisation.Status.PENDING,
    )
    text = moderator_client.get(review_url(organisation)).text
    assert "<script>x()" not in text
    assert "<img src=x" not in text
    assert "<b>SC1</b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


# --- Approving --------------------------------------------------------------------------


def test_approving_publishes_waiting_groups_and_emails_members(moderator_client, applicant):
    organisation = applicant.organisation
    waiting = with_times(
        GroupFactory(
            organisation=organisation,
            name="Beach Walks",
            status=Group.Status.PENDING,
            last_confirmed=None,
        )
    )
    draft = GroupFactory(organisation=organisation, status=Group.Status.DRAFT)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    MembershipFactory(user__email="someone@else.example")  # another organisation's member

    response = moderator_client.post(review_url(organisation) + "approve/")

    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    organisation.refresh_from_db()
    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert organisation.status == Organisation.Status.APPROVED
    assert waiting.status == Group.Status.PUBLISHED
    assert waiting.last_confirmed is not None
    assert draft.status == Group.Status.DRAFT
    assert Group.objects.published().filter(pk=waiting.pk).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["sam@lossiedads.example", editor.user.email]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Lossie Dads is approved" in mail.outbox[0].subject
    assert "Beach Walks" in mail.outbox[0].body


def test_approving_twice_sends_no_second_email(moderator_client, applicant):
    url = review_url(applicant.organisation) + "approve/"
    moderator_client.post(url)
    moderator_client.post(url)
    assert len(mail.outbox) == 1


def test_approving_is_kept_in_the_groups_history(moderator_client, applicant):
    group = with_times(
        GroupFactory(organisation=applicant.organisation, status=Group.Status.PENDING)
    )
    moderator_client.post(review_url(applicant.organisation) + "approve/")
    latest = group.history.first()
    assert latest.status == Group.Status.PUBLISHED
    assert latest.history_user.email == "mod@example.org"


def test_approving_keeps_an_unfinished_listing_back_and_says_what_it_needs(
    moderator_client, applicant
):
    bare = GroupFactory(
        organisation=applicant.organisation, name="Dads Walk", status=Group.Status.PENDING
    )
    response = moderator_client.post(review_url(applicant.organisation) + "approve/", follow=True)
    bare.refresh_from_db()
    assert bare.status == Group.Status.DRAFT
    assert "Dads Walk” is not published yet: it needs a regular time" in response.text
    assert not Group.objects.published().exists()


# --- Declining --------------------------------------------------------------------------


def test_declining_keeps_the_reason_and_emails_it(moderator_client, applicant):
    organisation = applicant.organisation
    response = moderator_client.post(
        review_url(organisation) + "decline/",
        {"reason": "We only list groups in Moray & nearby."},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.DECLINED
    assert organisation.decline_reason == "We only list groups in Moray & nearby."
    assert [m.to for m in mail.outbox] == [["sam@lossiedads.example"]]
    assert "We only list groups in Moray & nearby." in mail.outbox[0].body


def test_declining_needs_a_reason(moderator_client, applicant):
    response = moderator_client.post(review_url(applicant.organisation) + "decline/", {})
    assert response.status_code == 200
    assert "This field is required" in response.text
    applicant.organisation.refresh_from_db()
    assert applicant.organisation.status == Organisation.Status.PENDING
    assert mail.outbox == []


def test_declined_organisations_stay_hidden(moderator_client, applicant):
    GroupFactory(organisation=applicant.organisation, status=Group.Status.PENDING)
    moderator_client.post(review_url(applicant.organisation) + "decline/", {"reason": "No."})
    assert not Group.objects.published().exists()


def test_an_approved_organisation_cannot_be_declined_by_a_stale_form(moderator_client):
    organisation = OrganisationFactory(status=Organisation.Status.APPROVED)
    MembershipFactory(organisation=organisation)
    moderator_client.post(review_url(organisation) + "decline/", {"reason": "Too late"})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPROVED
    assert mail.outbox == []


def test_members_without_email_or_inactive_are_skipped(moderator_client, applicant):
    MembershipFactory(organisation=applicant.organisation, user=UserFactory(is_active=False))
    moderator_client.post(review_url(applicant.organisation) + "approve/")
    assert [m.to for m in mail.outbox] == [["sam@lossiedads.example"]]
