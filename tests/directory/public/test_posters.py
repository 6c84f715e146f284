import re

import pytest
import segno

from accounts.models import Organisation
from directory.models import Group
from tests.factories import AreaFactory, OrganisationFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def qr_paths(text):
    return re.findall(r'<path class="qrline"[^>]* d="([^"]+)"', text)


def qr_path_for(url):
    return re.search(r' d="([^"]+)"', segno.make(url, error="m").svg_inline()).group(1)


def test_a_group_poster_has_what_to_expect_when_where_and_a_qr_code(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = group_with_schedule(
        name="Cuppa and Chat Keith", what_to_expect="You don't have to talk."
    )
    response = client.get(f"/groups/{group.slug}/poster/")
    assert response.status_code == 200
    text = response.text
    assert "Cuppa and Chat Keith" in text
    assert "You don&#x27;t have to talk." in text
    schedule = group.schedules.get()
    assert schedule.describe() in text
    assert f"{schedule.venue.name}, {schedule.venue.address}" in text
    assert qr_paths(text) == [qr_path_for(f"https://peer.example.org/groups/{group.slug}/")]
    assert '<meta name="robots" content="noindex">' in text


def test_the_group_page_links_to_its_poster(client):
    group = group_with_schedule()
    assert f'href="/groups/{group.slug}/poster/"' in client.get(group.get_absolute_url()).text


def test_there_is_no_poster_for_a_group_that_is_not_public(client):
    group = group_with_schedule(status=Group.Status.DRAFT)
    assert client.get(f"/groups/{group.slug}/poster/").status_code == 404


def test_an_organisation_poster_lists_its_public_groups_each_with_a_qr_code(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    organisation = OrganisationFactory(name="Keith Family Hub")
    shown = group_with_schedule(name="Keith Natter", organisation=organisation)
    group_with_schedule(name="Keith Draft", organisation=organisation, status=Group.Status.DRAFT)
    group_with_schedule(name="Someone Else's Group")
    response = client.get(f"/organisations/{organisation.slug}/poster/")
    text = response.text
    assert "Groups run by Keith Family Hub" in text
    assert "Keith Natter" in text
    assert "Keith Draft" not in text
    assert "Someone Else" not in text
    assert qr_paths(text) == [
        qr_path_for(f"https://peer.example.org/organisations/{organisation.slug}/"),
        qr_path_for(f"https://peer.example.org/groups/{shown.slug}/"),
    ]
    assert shown.schedules.get().describe() in text


def test_the_organisation_page_links_to_its_poster(client):
    group = group_with_schedule()
    page = client.get(group.organisation.get_absolute_url()).text
    assert f'href="/organisations/{group.organisation.slug}/poster/"' in page


def test_there_is_no_poster_for_an_organisation_awaiting_approval(client):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING)
    assert client.get(f"/organisations/{organisation.slug}/poster/").status_code == 404


def test_an_area_poster_lists_the_groups_meeting_there(client):
    keith = AreaFactory(name="Keith")
    group_with_schedule(
        name="Keith Cuppa", schedule_kwargs={"venue": VenueFactory(area=keith, town="Keith")}
    )
    group_with_schedule(name="Elgin Cuppa")
    response = client.get("/areas/keith/poster/")
    assert "Groups for parents in Keith" in response.text
    assert "Keith Cuppa" in response.text
    assert "Elgin Cuppa" not in response.text
    assert len(qr_paths(response.text)) == 2  # the area page and the one group


def test_poster_queries_do_not_grow_with_the_groups(client, django_assert_max_num_queries):
    organisation = OrganisationFactory()
    group_with_schedule(organisation=organisation)
    # One more than before: who each group is for, fetched for all groups at once.
    with django_assert_max_num_queries(7) as one:
        client.get(f"/organisations/{organisation.slug}/poster/")
    for _ in range(5):
        group_with_schedule(organisation=organisation)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/organisations/{organisation.slug}/poster/")


def test_posters_set_no_cookie(client):
    group = group_with_schedule()
    for url in [
        f"/groups/{group.slug}/poster/",
        f"/organisations/{group.organisation.slug}/poster/",
        "/areas/elgin/poster/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.cookies == {}, url


def test_an_area_poster_promises_only_what_every_group_there_offers(client):
    area = AreaFactory()
    free = group_with_schedule(schedule_kwargs={"venue__area": area})
    costs = group_with_schedule(
        name="Forres Toddler Natter",
        is_free=False,
        cost="£1 per family",
        schedule_kwargs={"venue__area": area},
    )
    text = client.get(f"/areas/{area.slug}/poster/").text
    assert "Free to go along" not in text
    assert "Some are free; others have a cost" in text
    assert "Cost: £1 per family" in text
    assert free.name in text and costs.name in text


def test_a_group_poster_says_how_to_book_the_cost_and_if_it_may_be_out_of_date(client):
    group = group_with_schedule(
        drop_in=False, children_welcome=False, contact_phone="01632 960777", last_confirmed=None
    )
    text = client.get(f"/groups/{group.slug}/poster/").text
    assert "Book first: call 01632 960777" in text
    assert "For grown-ups: please arrange childcare" in text
    assert "This listing may be out of date" in text
    assert "Just drop in" not in text
