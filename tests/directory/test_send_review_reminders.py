"""send_review_reminders: "is it still on?" at 60 days and again at 85, once each, safe to rerun."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.conftest import LONDON
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
    assert "still on?" in message.subject
    assert "Cuppa and Chat Elgin" in message.body
    assert reverse("group_still_on", args=[world.group.pk]) in message.body
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


@pytest.mark.parametrize("status", [Group.Status.DRAFT, Group.Status.PAUSED, Group.Status.PENDING])
def test_unpublished_listings_are_left_alone(world, status):
    set_confirmed(world.group, 70)
    Group.objects.filter(pk=world.group.pk).update(status=status)
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


def test_day_by_day_each_check_period_asks_twice_at_most_and_a_yes_starts_a_new_one(client, world):
    """The command run every morning from a fixed date: nothing until day 60, one email at
    60 and one at 85, silence while parents see the note, and after "Yes, it's all still on"
    on day 100 the next ask comes 60 days after that."""
    checked = datetime.date(2027, 1, 4)
    world.group.confirm(on=checked)
    sent_on = []
    with time_machine.travel(
        datetime.datetime(2027, 1, 4, 8, 30, tzinfo=LONDON), tick=False
    ) as clock:
        for day in range(1, 181):
            clock.move_to(
                datetime.datetime.combine(checked, datetime.time(8, 30), LONDON)
                + datetime.timedelta(days=day)
            )
            if day == 100:
                client.force_login(world.editor)
                client.post(reverse("group_confirm", args=[world.group.pk]), {"back": "still_on"})
            before = len(mail.outbox)
            run()
            if len(mail.outbox) > before:
                sent_on.append(day)
    assert sent_on == [60, 85, 160]
    assert len(mail.outbox) == 6  # each time to the admin and the editor


def test_the_email_says_by_when_and_links_to_the_one_button_page(world):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 8, 30, tzinfo=LONDON), tick=False):
        world.group.confirm(on=datetime.date(2026, 12, 6))  # 85 days before
        run()
    body = mail.outbox[0].body
    assert "Cuppa and Chat Elgin: please check it by 6 March" in body
    assert body.count(reverse("group_still_on", args=[world.group.pk])) == 1
    assert "Yes, it's all still on" in body
