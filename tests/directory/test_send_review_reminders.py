"""send_review_reminders: a reminder at 60 days and another at 85, once each, safe to rerun."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


def run():
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    return make_world()


def set_confirmed(group, days):
    Group.objects.filter(pk=group.pk).update(last_confirmed=days_ago(days))
    group.refresh_from_db()


def test_nothing_is_sent_for_listings_checked_recently(world):
    set_confirmed(world.group, 59)
    run()
    assert mail.outbox == []


def test_at_60_days_every_member_gets_one_reminder(world):
    set_confirmed(world.group, 60)
    output = run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.admin.email, world.editor.email])
    message = mail.outbox[0]
    assert len(message.to) == 1  # members don't see each other's addresses
    assert "still correct" in message.subject
    assert "Cuppa and Chat Elgin" in message.body
    assert reverse("group_manage", args=[world.group.pk]) in message.body
    world.group.refresh_from_db()
    assert world.group.stale_reminders_sent == 1
    assert "Sent 2 reminder email(s) about 1 listing(s)." in output


def test_running_twice_sends_nothing_more(world):
    set_confirmed(world.group, 61)
    run()
    run()
    assert len(mail.outbox) == 2


def test_a_second_reminder_goes_at_85_days_and_no_third(world):
    set_confirmed(world.group, 60)
    run()
    set_confirmed(world.group, 85)
    run()
    assert len(mail.outbox) == 4
    world.group.refresh_from_db()
    assert world.group.stale_reminders_sent == 2
    set_confirmed(world.group, 120)
    run()
    assert len(mail.outbox) == 4


def test_a_listing_first_found_at_85_days_gets_one_reminder_not_two(world):
    set_confirmed(world.group, 86)
    run()
    assert len(mail.outbox) == 2
    world.group.refresh_from_db()
    assert world.group.stale_reminders_sent == 2


def test_still_correct_starts_the_count_again(client, world):
    set_confirmed(world.group, 61)
    run()
    client.force_login(world.editor)
    client.post(reverse("group_confirm", args=[world.group.pk]))
    world.group.refresh_from_db()
    assert world.group.stale_reminders_sent == 0
    set_confirmed(world.group, 60)
    run()
    assert len(mail.outbox) == 4


def test_one_email_per_member_lists_all_the_organisations_due_listings(world):
    set_confirmed(world.group, 70)
    second = GroupFactory(organisation=world.organisation, name="Dads Walk Forres")
    set_confirmed(second, 90)
    run()
    assert len(mail.outbox) == 2
    assert "Cuppa and Chat Elgin" in mail.outbox[0].body
    assert "Dads Walk Forres" in mail.outbox[0].body


def test_unpublished_listings_are_left_alone(world):
    set_confirmed(world.group, 70)
    Group.objects.filter(pk=world.group.pk).update(status=Group.Status.DRAFT)
    run()
    assert mail.outbox == []


def test_a_never_confirmed_listing_counts_from_when_it_was_added(world):
    Group.objects.filter(pk=world.group.pk).update(
        last_confirmed=None, created=timezone.now() - datetime.timedelta(days=65)
    )
    run()
    assert len(mail.outbox) == 2


def test_no_reminder_is_claimed_when_nobody_can_receive_it(world):
    world.organisation.memberships.all().delete()
    set_confirmed(world.group, 70)
    run()
    world.group.refresh_from_db()
    assert mail.outbox == []
    assert world.group.stale_reminders_sent == 0
