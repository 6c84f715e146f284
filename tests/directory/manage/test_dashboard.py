"""The organiser's dashboard: their organisations' groups, next dates, status and review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.factories import GroupFactory, MembershipFactory, group_with_schedule

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")


@pytest.fixture
def world():
    return make_world()


def test_it_lists_the_organisations_groups_with_their_next_date(client, world):
    client.force_login(world.editor)
    response = client.get(URL)
    assert response.status_code == 200
    assert world.organisation.name in response.text
    assert "Cuppa and Chat Elgin" in response.text
    next_date = world.group.sessions.upcoming().first().date
    assert reverse("date_cancel", args=[world.group.pk, next_date.isoformat()]) in response.text
    assert "Published" in response.text


def test_it_shows_each_status_in_plain_words(client, world):
    for status in (Group.Status.DRAFT, Group.Status.PENDING, Group.Status.PAUSED):
        GroupFactory(organisation=world.organisation, status=status, name=f"{status} group")
    client.force_login(world.editor)
    text = client.get(URL).text
    for words in ("Draft", "Awaiting approval", "Paused", "Published"):
        assert f">{words}</span>" in text


def test_it_flags_listings_not_confirmed_for_90_days(client, world):
    world.group.last_confirmed = timezone.localdate() - datetime.timedelta(days=91)
    world.group.save()
    client.force_login(world.editor)
    response = client.get(URL)
    assert "Needs review" in response.text
    assert "1 listing needs checking" in response.text


def test_the_dashboard_says_a_check_is_due_when_the_first_reminder_goes(client, world, settings):
    from django.core.management import call_command

    first_reminder = settings.REVIEW_REMINDER_DAYS[0]
    world.group.last_confirmed = timezone.localdate() - datetime.timedelta(days=first_reminder)
    world.group.save()
    call_command("send_review_reminders")
    from django.core import mail

    check_by = world.group.last_confirmed + datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    assert f"please check it by {check_by:%-d %B}" in mail.outbox[0].body
    client.force_login(world.editor)
    text = client.get(URL).text
    assert f"Check by {check_by:%-d %B}" in text  # the same date as the email
    assert "1 listing needs checking" in text
    assert "Needs review" not in text  # parents don't see the note yet


def test_listings_that_need_checking_come_first(client, world):
    GroupFactory(organisation=world.organisation, name="Aardvark Group")
    world.group.last_confirmed = timezone.localdate() - datetime.timedelta(days=91)
    world.group.save()
    client.force_login(world.editor)
    text = client.get(URL).text
    assert text.index(world.group.name) < text.index("Aardvark Group")


def test_fresh_listings_are_not_flagged(client, world):
    client.force_login(world.editor)
    assert "Needs review" not in client.get(URL).text


def test_it_shows_nothing_from_other_organisations(client, world):
    group_with_schedule(name="Someone Else's Group")
    client.force_login(world.editor)
    assert "Someone Else" not in client.get(URL).text


def test_only_admins_get_the_members_link(client, world):
    members = reverse("member_list", args=[world.organisation.slug])
    client.force_login(world.editor)
    assert members not in client.get(URL).text
    client.force_login(world.admin)
    assert members in client.get(URL).text


def test_still_correct_from_the_dashboard_stamps_today_and_returns_there(client, world):
    world.group.last_confirmed = timezone.localdate() - datetime.timedelta(days=100)
    world.group.stale_reminders_sent = 2
    world.group.save()
    client.force_login(world.editor)
    response = client.post(reverse("group_confirm", args=[world.group.pk]), {"back": "dashboard"})
    assert response["Location"] == f"{URL}#card-{world.group.pk}"  # back to the card
    world.group.refresh_from_db()
    assert world.group.last_confirmed == timezone.localdate()
    assert world.group.stale_reminders_sent == 0


def test_the_query_count_does_not_grow_with_the_number_of_groups(
    client, world, django_assert_max_num_queries
):
    for n in range(10):
        group_with_schedule(organisation=world.organisation, name=f"Group {n}")
    other = MembershipFactory(user=world.editor).organisation
    for n in range(5):
        group_with_schedule(organisation=other, name=f"Other {n}")
    client.force_login(world.editor)
    # 11: the page's own queries, with the session saved on every signed-in request (it idles
    # out); fifteen groups in two organisations must not add any.
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert "Group 9" in response.text and "Other 4" in response.text


def test_someone_without_an_organisation_is_told_how_to_get_one(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(URL)
    assert reverse("organisation_signup") in response.text


def test_it_offers_two_step_sign_in_to_every_organiser(client, world):
    client.force_login(world.editor)
    response = client.get(URL)
    assert f'href="{reverse("mfa_index")}">Two-step sign-in</a>' in response.text


def test_it_gives_the_snippet_that_puts_the_organisations_groups_on_its_website(
    client, world, settings
):
    settings.SITE_URL = "https://moray.example"
    client.force_login(world.editor)
    text = client.get(URL).text
    embed = f"https://moray.example/embed/organisations/{world.organisation.slug}/"
    assert f"&lt;iframe src=&quot;{embed}&quot;" in text
    assert "/static/js/embed.js" in text


def test_it_gives_no_snippet_before_the_organisation_is_approved(client):
    from accounts.models import Organisation

    world = make_world(status=Organisation.Status.PENDING)
    client.force_login(world.editor)
    text = client.get(URL).text
    assert "/embed/organisations/" not in text


def test_it_gives_no_snippet_for_other_organisations(client, world):
    client.force_login(world.stranger)
    assert f"/embed/organisations/{world.organisation.slug}/" not in client.get(URL).text


def test_a_moderator_outside_any_organisation_lands_on_moderation(client):
    from tests.factories import ModeratorFactory

    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation_overview")
