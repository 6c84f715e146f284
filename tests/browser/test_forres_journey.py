"""The journey a tired parent makes on her phone (390 × 844): "a drop-in group this week in
Forres where I can bring my baby, about anxiety", from the home page in at most 3 taps, the
first result on screen without scrolling, and every card's words true of its group."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from directory.timetable import rebuild_sessions
from tests.browser.test_quick_choices import first_result_is_on_screen
from tests.factories import (
    AreaFactory,
    GroupFactory,
    OrganisationFactory,
    ScheduleFactory,
    TopicFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = ZoneInfo("Europe/London")
# A Wednesday afternoon, so "this week" runs into the next: the groups below meet on days
# counted from it, never from the day the test happens to run.
NOW = datetime.datetime(2027, 1, 13, 15, 0, tzinfo=LONDON)


def forres_and_around():
    forres, elgin = AreaFactory(name="Forres"), AreaFactory(name="Elgin")
    anxiety, loneliness = TopicFactory(name="Anxiety"), TopicFactory(name="Loneliness")
    hub = OrganisationFactory(name="Moray Wellbeing Hub")
    today = NOW.date()

    def group(name, area, days_ahead, topics, *, starts_on=None, **fields):
        venue = VenueFactory(organisation=hub, area=area, town=area.name, name=f"{name} Hall")
        made = GroupFactory(organisation=hub, name=name, **fields)
        made.topics.add(*topics)
        ScheduleFactory(
            group=made,
            venue=venue,
            weekday=(today + datetime.timedelta(days=days_ahead)).weekday(),
            starts_on=starts_on or today,
            start_time=datetime.time(10),
            end_time=datetime.time(11, 30),
        )
        rebuild_sessions(made)
        return made

    group("Forres Calm Parents", forres, 1, [anxiety, loneliness])
    group("Forres Worry Cafe", forres, 5, [anxiety])
    # Each of these misses one of her wishes.
    group("Forres Anxiety Course", forres, 2, [anxiety], drop_in=False)
    group("Forres Quiet Hour", forres, 3, [anxiety], children_welcome=False)
    group("Forres Cuppa", forres, 2, [loneliness])
    group("Elgin Worry Cafe", elgin, 1, [anxiety])
    group(
        "Forres New Year Circle",
        forres,
        4,
        [anxiety],
        starts_on=today + datetime.timedelta(days=14),
    )


def test_the_forres_journey_takes_three_taps_and_every_card_is_true(live_server, page):
    with time_machine.travel(NOW, tick=True):
        forres_and_around()
        page.goto(live_server.url + "/")
        page.get_by_role("navigation", name="Quick choices").get_by_role(
            "link", name="Forres", exact=True
        ).click()  # tap 1
        narrowing = page.get_by_role("navigation", name="Narrow these down")
        expect(narrowing).to_be_visible()
        narrowing.get_by_role("link", name="Anxiety (5)").click()  # tap 2
        narrowing.get_by_role("link", name="Drop in with your baby, next 7 days (2)").click()
        # tap 3
        expect(page.get_by_role("heading", name="2 groups match your choices")).to_be_visible()
        assert first_result_is_on_screen(page)

        cards = page.locator("article.card")
        names = cards.locator("h3").all_inner_texts()
        assert names == ["Forres Calm Parents", "Forres Worry Cafe"]
        week_end = NOW.date() + datetime.timedelta(days=7)
        for card in cards.all():
            expect(card.locator(".tags")).to_contain_text("Drop in")
            expect(card.locator(".tags")).to_contain_text("Babies welcome")
            expect(card.locator(".helps-with")).to_contain_text("Anxiety")
            expect(card.locator(".next")).to_contain_text("Forres")
            starts = datetime.datetime.fromisoformat(
                card.locator(".next time").get_attribute("datetime")
            )
            assert NOW.date() <= starts.date() <= week_end
