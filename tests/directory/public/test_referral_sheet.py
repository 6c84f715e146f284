import re

import pytest
import segno

from directory import shortlist
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db


def sheet_for(client, *groups):
    return client.get(f"/s/{shortlist.encode([g.pk for g in groups])}/print/")


def test_each_group_has_its_dates_venue_contact_and_a_qr_code(client):
    group = group_with_schedule(name="Bumps and Babies Elgin", contact_phone="01343 123456")
    response = sheet_for(client, group)
    assert response.status_code == 200
    text = response.text
    assert "Bumps and Babies Elgin" in text
    sessions = list(group.sessions.upcoming()[:4])
    for session in sessions[:3]:
        assert session.starts_at.strftime("%a %-d %b") in text
    assert sessions[3].starts_at.strftime("%a %-d %b") not in text
    venue = sessions[0].venue
    assert f"{venue.name}, {venue.address}, {venue.town} {venue.postcode}" in text
    assert "01343 123456" in text
    assert text.count('<svg role="img"') == 1


def test_the_qr_code_holds_the_groups_public_address(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = group_with_schedule()
    text = sheet_for(client, group).text
    drawn = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', text).group(1)
    expected = segno.make(f"https://peer.example.org/groups/{group.slug}/", error="m")
    assert f'd="{drawn}"' in expected.svg_inline()


def test_it_falls_back_to_the_organisations_phone(client):
    group = group_with_schedule(contact_phone="", organisation__phone="01309 555000")
    assert "01309 555000" in sheet_for(client, group).text


def test_it_has_a_note_box_and_the_urgent_help_numbers(client):
    text = sheet_for(client, group_with_schedule()).text
    assert "A note for you" in text
    for number in (
        "999",
        "111",
        "116 123",
        "0800 83 85 87",
        "Text SHOUT to 85258",
        "Text PANDAS to 85258",
    ):
        assert f"<strong>{number}</strong>" in text


def test_it_asks_for_nothing_about_the_family(client):
    text = sheet_for(client, group_with_schedule()).text
    assert "<form" not in text.split('<main id="main"')[1].split("</main>")[0]


def test_six_groups_take_no_more_queries_than_one(client, django_assert_max_num_queries):
    groups = [group_with_schedule() for _ in range(6)]
    with django_assert_max_num_queries(5) as one:
        sheet_for(client, groups[0])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = sheet_for(client, *groups)
    assert response.text.count('<svg role="img"') == 6


def test_the_sheet_sets_no_cookie(client):
    response = sheet_for(client, group_with_schedule())
    assert response.cookies == {}
