"""The public group page."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import Organisation
from directory.models import Group
from directory.timetable import rebuild_sessions
from tests.factories import (
    AudienceFactory,
    CancellationFactory,
    ExtraSessionFactory,
    GroupFactory,
    PauseFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
    group_with_schedule,
    online_group,
)

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def short_date(day):
    return date_format(day, "D j M")


@pytest.fixture
def group():
    """A group meeting weekly, two days from now, with everything a parent might look for."""
    group = GroupFactory(
        name="Bumps, Babies and a Brew",
        summary="A relaxed drop-in for parents and babies in Forres.",
        description="Tea, toast and a chat with other parents.",
        what_to_expect="You don't have to talk. Bring your baby.",
        organisation__name="Forres Family Friends",
        leadership=Group.Leadership.PEER,
        is_free=False,
        cost="£1 for tea and toast",
        contact_name="Morag",
        contact_phone="01309 123 456",
        contact_email="hello@example.org",
        last_confirmed=timezone.localdate() - datetime.timedelta(days=12),
    )
    group.topics.add(TopicFactory(name="Loneliness"), TopicFactory(name="Confidence"))
    group.audiences.add(AudienceFactory(name="New baby"), AudienceFactory(name="Dads"))
    venue = VenueFactory(
        organisation=group.organisation,
        name="Forres Town Hall",
        address="High Street",
        town="Forres",
        postcode="IV36 1PB",
        latitude="57.60900",
        longitude="-3.61700",
        step_free=True,
        baby_change=True,
        parking=False,
        directions="Use the side door beside the car park.",
    )
    ScheduleFactory(group=group, venue=venue, weekday=in_days(2).weekday())
    CancellationFactory(group=group, date=in_days(9), note="The hall is closed for voting")
    rebuild_sessions(group)
    return group


def test_it_shows_what_happens_and_what_to_expect(client, group):
    text = client.get(group.get_absolute_url()).text
    assert "Bumps, Babies and a Brew" in text
    assert "A relaxed drop-in for parents and babies in Forres." in text
    assert "Tea, toast and a chat with other parents." in text
    assert "You don&#x27;t have to talk. Bring your baby." in text


def test_it_says_who_runs_it_and_who_it_is_for(client, group):
    text = client.get(group.get_absolute_url()).text
    assert "Peer-led (trained peer supporters), run by" in text
    assert f'href="{group.organisation.get_absolute_url()}">Forres Family Friends</a>' in text
    assert "Who it's for: Dads, New baby" in text
    assert "Loneliness" in text
    assert "Confidence" in text


def test_it_shows_the_cost_and_how_to_get_in_touch(client, group):
    text = client.get(group.get_absolute_url()).text
    assert "Cost: £1 for tea and toast" in text
    assert 'href="tel:01309123456"' in text
    assert 'href="mailto:hello@example.org"' in text


def test_it_shows_the_venue_its_accessibility_and_a_directions_link(client, group):
    text = client.get(group.get_absolute_url()).text
    assert "Forres Town Hall<br>High Street<br>Forres IV36 1PB" in text
    assert "Step-free access" in text
    assert "Baby changing" in text
    assert "Parking" not in text
    assert "Use the side door beside the car park." in text
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination=57.60900%2C-3.61700"' in text
    )


def test_it_lists_the_next_dates_with_cancellations_shown(client, group):
    text = client.get(group.get_absolute_url()).text
    assert short_date(in_days(2)) in text
    assert f"No group on {short_date(in_days(9))}" in text
    assert "The hall is closed for voting" in text
    assert short_date(in_days(16)) in text
    assert "Every " + in_days(2).strftime("%A") + ", 10:00am to 11:30am at Forres Town Hall" in text


def test_next_time_is_the_next_session_that_goes_ahead(client, group):
    CancellationFactory(group=group, date=in_days(2))
    rebuild_sessions(group)
    response = client.get(group.get_absolute_url())
    assert response.context["next_session"].date == in_days(16)


def test_it_shows_several_dates_but_not_endless_ones(client, group):
    response = client.get(group.get_absolute_url())
    assert len(response.context["sessions"]) == 8


def test_it_shows_breaks_and_extra_dates(client, group):
    PauseFactory(group=group, starts_on=in_days(20), ends_on=in_days(40), note="Summer holidays")
    ExtraSessionFactory(group=group, date=in_days(3), note="Summer picnic in Grant Park")
    rebuild_sessions(group)
    text = client.get(group.get_absolute_url()).text
    assert f"No group from {date_format(in_days(20), 'j M')}" in text
    assert "Summer holidays" in text
    assert "Summer picnic in Grant Park" in text


def test_it_says_when_the_organiser_last_confirmed_it(client, group):
    text = client.get(group.get_absolute_url()).text
    last = date_format(group.last_confirmed, "j F Y")
    assert f"The organiser last confirmed these details on {last}." in text
    assert "may be out of date" not in text


@pytest.mark.parametrize("days_ago", [91, 400])
def test_it_warns_the_listing_may_be_out_of_date_after_90_days(client, group, days_ago):
    group.last_confirmed = timezone.localdate() - datetime.timedelta(days=days_ago)
    group.save()
    assert "may be out of date" in client.get(group.get_absolute_url()).text


def test_exactly_90_days_is_not_yet_out_of_date(client, group):
    group.last_confirmed = timezone.localdate() - datetime.timedelta(days=90)
    group.save()
    assert "may be out of date" not in client.get(group.get_absolute_url()).text


def test_an_online_group_says_so_instead_of_an_address(client):
    group = online_group(phone=True)
    text = client.get(group.get_absolute_url()).text
    assert "Online or by phone" in text
    assert "Getting there" not in text


def test_a_group_that_meets_only_online_does_not_promise_a_phone_call(client):
    group = online_group()
    text = client.get(group.get_absolute_url()).text
    assert "Online" in text
    assert "Online or by phone" not in text
    assert "Babies and children welcome" not in text


def test_it_offers_the_next_date_and_a_subscription(client, group, settings):
    settings.SITE_URL = "https://peer.example.org"
    text = client.get(group.get_absolute_url()).text
    day = group.sessions.upcoming().first().date
    assert f'href="/groups/{group.slug}/dates/{day:%Y-%m-%d}.ics" download' in text
    assert f'href="webcal://peer.example.org/groups/{group.slug}/feed.ics"' in text
    # Apps that ask for the address get it to copy, not a file download.
    assert f'readonly value="https://peer.example.org/groups/{group.slug}/feed.ics"' in text


@pytest.mark.parametrize(
    "group_fields",
    [
        {"status": Group.Status.DRAFT},
        {"status": Group.Status.PENDING},
        {"status": Group.Status.PAUSED},
        {"organisation__status": Organisation.Status.PENDING},
        {"organisation__status": Organisation.Status.DECLINED},
    ],
)
def test_groups_not_public_are_not_found(client, group_fields):
    hidden = group_with_schedule(**group_fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_an_unknown_group_is_not_found(client):
    assert client.get("/groups/no-such-group/").status_code == 404


def test_it_sets_no_cookie(client, group):
    response = client.get(group.get_absolute_url())
    assert response.status_code == 200
    assert response.cookies == {}


def test_it_is_a_read_only_page(client, group):
    assert client.post(group.get_absolute_url()).status_code == 405


def test_its_query_count_does_not_grow_with_its_dates_and_venues(
    client, group, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        client.get(group.get_absolute_url())
    for n in range(3):
        ScheduleFactory(group=group, weekday=in_days(n + 3).weekday())
        ExtraSessionFactory(group=group, date=in_days(n + 1))
    rebuild_sessions(group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(group.get_absolute_url())


def test_when_the_dates_are_not_all_in_one_place_each_says_where(client, group):
    hall = VenueFactory(organisation=group.organisation, name="Lossie Hall", town="Lossiemouth")
    ExtraSessionFactory(group=group, date=in_days(3), venue=hall)
    rebuild_sessions(group)
    text = client.get(group.get_absolute_url()).text
    dates = text.split('<ul class="dates">')[1].split("</ul>")[0]
    assert "· Lossie Hall, Lossiemouth" in dates
    assert dates.count("· Forres Town Hall, Forres") == 6  # 8 dates: the extra, a cancellation


def test_when_every_date_is_in_one_place_the_dates_do_not_repeat_it(client, group):
    text = client.get(group.get_absolute_url()).text
    dates = text.split('<ul class="dates">')[1].split("</ul>")[0]
    assert "Forres Town Hall" not in dates
