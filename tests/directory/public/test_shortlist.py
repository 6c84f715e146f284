import html
import re
from urllib.parse import unquote

import pytest
from django.utils import timezone

from directory import shortlist
from directory.models import Group
from tests.factories import AudienceFactory, GroupFactory, TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def code_for(*groups):
    return shortlist.encode([g.pk for g in groups])


# The code in the address


@pytest.mark.django_db(False)
def test_codes_are_short_base36_ids_that_read_back_in_order():
    ids = [1295, 1, 36, 35]
    assert shortlist.encode(ids) == "zz-1-10-z"
    assert shortlist.decode("zz-1-10-z") == ids


@pytest.mark.django_db(False)
def test_decoding_drops_junk_repeats_and_anything_past_the_limit():
    assert shortlist.decode("K3--!!-k3-0-ü-" + "9" * 40) == [int("k3", 36)]
    assert shortlist.decode("1-2-3-4-5-6-7-8") == [1, 2, 3, 4, 5, 6]
    assert shortlist.decode("") == []
    assert shortlist.decode(None) == []


@pytest.mark.django_db(False)
def test_toggling_adds_at_the_end_removes_and_never_overfills():
    assert shortlist.toggled([1, 2], 3) == [1, 2, 3]
    assert shortlist.toggled([1, 2, 3], 2) == [1, 3]
    assert shortlist.toggled([1, 2, 3, 4, 5, 6], 7) == [1, 2, 3, 4, 5, 6]


# The shortlist page


def test_it_lists_the_groups_in_the_order_chosen_with_their_next_dates(client):
    first = group_with_schedule(name="Bumps and Babies Elgin")
    second = group_with_schedule(name="Dads Den Forres")
    response = client.get(f"/s/{code_for(second, first)}/")
    assert response.status_code == 200
    text = response.text
    assert text.index("Dads Den Forres") < text.index("Bumps and Babies Elgin")
    next_session = first.sessions.upcoming().first()
    assert next_session.starts_at.strftime("%A") in text
    assert "Then:" in text


def test_it_leaves_out_groups_no_longer_public_and_says_so(client):
    shown = group_with_schedule(name="Still Running")
    hidden = group_with_schedule(name="Now Paused", status=Group.Status.PAUSED)
    response = client.get(f"/s/{code_for(shown, hidden)}/")
    assert "Still Running" in response.text
    assert "Now Paused" not in response.text
    assert "One group on this list isn't listed any more" in response.text
    # The link to hand over only names what can be shown.
    assert f"/s/{code_for(shown)}/" in response.text


def test_share_link_text_message_and_email_carry_the_public_address(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group = group_with_schedule()
    response = client.get(f"/s/{code_for(group)}/")
    share_url = f"https://peer.example.org/s/{code_for(group)}/"
    assert f'value="{share_url}"' in response.text
    sms = re.search(r'href="(sms:[^"]+)"', response.text).group(1)
    email = re.search(r'href="(mailto:[^"]+)"', response.text).group(1)
    assert html.unescape(sms).startswith("sms:?&body=")
    assert html.unescape(email).startswith("mailto:?subject=Peer%20support%20groups")
    for link in (sms, email):
        body = unquote(html.unescape(link).split("body=")[1])
        assert body.startswith("Groups for parents in Moray you might like:")
        assert group.name in body
        assert body.endswith(share_url)
    assert f'href="/s/{code_for(group)}/print/"' in response.text


def sms_body(response):
    link = re.search(r'href="(sms:[^"]+)"', response.text).group(1)
    return unquote(html.unescape(link).split("body=")[1])


def test_the_text_message_names_each_group_with_its_next_date_town_and_phone(client):
    drop_in = group_with_schedule(name="Bumps and Babies", contact_phone="01632 960001")
    booked = group_with_schedule(
        name="Parenting Together Evenings", drop_in=False, contact_phone="01632 960002"
    )
    response = client.get(f"/s/{code_for(drop_in, booked)}/")
    lines = sms_body(response).splitlines()
    session = timezone.localtime(drop_in.sessions.upcoming().first().starts_at)
    day = session.strftime("%a ") + str(session.day) + session.strftime(" %b")
    town = drop_in.schedules.get().venue.town
    assert lines[1] == f"1) Bumps and Babies. {day} 10:00am, {town}. Drop in, call 01632 960001"
    assert lines[2].startswith("2) Parenting Together Evenings. ")
    assert lines[2].endswith("Book first: call 01632 960002")
    assert lines[-1].startswith("Details: http")  # the link comes last


def test_a_group_with_no_dates_says_to_ask_in_the_message(client):
    group = GroupFactory(name="Quiet Just Now", contact_phone="")
    group.organisation.phone = ""
    group.organisation.save()
    lines = sms_body(client.get(f"/s/{code_for(group)}/")).splitlines()
    assert lines[1] == "1) Quiet Just Now. ask for the next date. Drop in"


def test_six_groups_go_in_a_few_text_messages_in_the_plain_sms_alphabet(client):
    names = [
        "Parenting Together Evenings, Elgin",
        "Forres Evening Parents’ Cuppa",
        "Speyside Bumps — Babies and Beyond",
        "Lossiemouth Little Ones Natter",
        "Buckie Dads and Partners Breakfast",
        "Keith New Parents Wellbeing Walk",
    ]
    groups = [
        group_with_schedule(name=name, drop_in=i % 2 == 0, contact_phone="01632 960123")
        for i, name in enumerate(names)
    ]
    body = sms_body(client.get(f"/s/{code_for(*groups)}/"))
    # Curly quotes and dashes would send it all as UCS-2, at 67 characters a part.
    assert "’" not in body and "—" not in body
    assert shortlist.sms_segments(body) <= 5
    response = client.get(f"/s/{code_for(groups[0])}/")
    assert shortlist.sms_segments(sms_body(response)) <= 2
    assert "It goes as 1 text message" in response.text or "It goes as 2 text messages" in (
        response.text
    )


@pytest.mark.django_db(False)
def test_sms_segments_count_gsm_parts_ucs2_parts_and_double_width_characters():
    assert shortlist.sms_segments("a" * 160) == 1
    assert shortlist.sms_segments("a" * 161) == 2
    assert shortlist.sms_segments("a" * 306) == 2
    assert shortlist.sms_segments("a" * 307) == 3
    assert shortlist.sms_segments("€" * 80) == 1  # two places each
    assert shortlist.sms_segments("€" * 81) == 2
    assert shortlist.sms_segments("’" * 70) == 1  # outside GSM: UCS-2
    assert shortlist.sms_segments("’" * 71) == 2
    assert shortlist.sms_segments("’" * 135) == 3


def test_the_introduction_promises_only_what_every_group_offers(client):
    drop_in = group_with_schedule(name="Cuppa Drop-in")
    booked = group_with_schedule(
        name="Parenting Together Evenings",
        drop_in=False,
        children_welcome=False,
        is_free=False,
        cost="£2 a couple",
    )
    mixed = client.get(f"/s/{code_for(drop_in, booked)}/").text
    assert "You can just go along" not in mixed
    assert "bring your baby" not in mixed
    assert "others ask you to book first" in mixed
    assert "others are for grown-ups only" in mixed
    assert "Some are free; others have a cost" in mixed
    only_booked = client.get(f"/s/{code_for(booked)}/").text
    assert "Please book before you go" in only_booked
    assert "for grown-ups, so please arrange childcare" in only_booked
    only_drop_in = client.get(f"/s/{code_for(drop_in)}/").text
    assert "You can just go along: no need to book." in only_drop_in
    assert "Babies and children are welcome." in only_drop_in


def test_each_group_says_how_to_go_what_it_costs_who_it_is_for_and_about_babies(client):
    booked = group_with_schedule(
        name="Parenting Together Evenings",
        drop_in=False,
        children_welcome=False,
        is_free=False,
        cost="£1 per family",
        contact_phone="01632 960555",
    )
    booked.audiences.add(AudienceFactory(name="Dads and partners"))
    for url in (f"/s/{code_for(booked)}/", f"/s/{code_for(booked)}/print/"):
        text = client.get(url).text
        assert "Book first: call 01632 960555" in text, url
        assert "Cost: £1 per family" in text, url
        assert "For: Dads and partners" in text, url
        assert "For grown-ups: please arrange childcare" in text, url


def test_a_listing_that_may_be_out_of_date_says_so_on_the_list_and_sheet(client):
    stale = group_with_schedule(last_confirmed=None)
    fresh = group_with_schedule()
    for url in (f"/s/{code_for(stale)}/", f"/s/{code_for(stale)}/print/"):
        assert "This listing may be out of date" in client.get(url).text, url
    assert "may be out of date" not in client.get(f"/s/{code_for(fresh)}/").text


def test_the_empty_shortlist_explains_how_to_build_one(client):
    response = client.get("/s/")
    assert response.status_code == 200
    assert "Your shortlist is empty" in response.text


@pytest.mark.parametrize("code", ["%00", "z" * 5000, "ünï", "-", "..", "1-1-1-1"])
def test_odd_codes_give_an_ordinary_page(client, code):
    assert client.get(f"/s/{code}/").status_code == 200
    assert client.get(f"/s/{code}/print/").status_code == 200


def test_shortlist_pages_are_kept_out_of_search_results(client):
    group = group_with_schedule()
    assert '<meta name="robots" content="noindex">' in client.get(f"/s/{code_for(group)}/").text


def test_page_queries_do_not_grow_with_the_list(client, django_assert_max_num_queries):
    groups = [group_with_schedule() for _ in range(6)]
    with django_assert_max_num_queries(6) as one:
        client.get(f"/s/{code_for(groups[0])}/")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/s/{code_for(*groups)}/")


# Adding from the list and the group page, without JavaScript


def test_each_result_links_to_the_same_list_with_the_group_added(client):
    on_list = group_with_schedule(name="Chosen Natter")
    other = group_with_schedule(name="Another Natter")
    response = client.get(f"/?q=natter&shortlist={code_for(on_list)}")
    add = f'href="/?q=natter&amp;shortlist={code_for(on_list, other)}#shortlist-{other.pk}"'
    remove = f'href="/?q=natter#shortlist-{on_list.pk}"'
    assert add in response.text
    assert remove in response.text
    assert "On your shortlist — remove" in response.text


def test_the_added_groups_link_keeps_the_rest_of_the_address_in_its_order(client):
    on_list = group_with_schedule(name="Chosen Natter")
    other = group_with_schedule(name="Another Natter")
    response = client.get(f"/?shortlist={code_for(on_list)}&q=natter&format=drop-in")
    code = code_for(on_list, other)
    assert f'href="/?shortlist={code}&amp;q=natter&amp;format=drop-in#shortlist-{other.pk}"' in (
        response.text
    )
    assert f'href="/?q=natter&amp;format=drop-in#shortlist-{on_list.pk}"' in response.text


def test_links_and_filters_carry_the_shortlist(client):
    group = group_with_schedule()
    code = code_for(group)
    response = client.get(f"/?shortlist={code}")
    assert f'href="{group.get_absolute_url()}?shortlist={code}"' in response.text
    assert f'<input type="hidden" name="shortlist" value="{code}">' in response.text
    assert f'href="/s/{code}/"' in response.text  # the shortlist bar
    assert "Shortlist: <strong data-shortlist-count>1 group</strong>" in response.text


def test_without_a_shortlist_the_bar_is_hidden_and_links_are_plain(client):
    group = group_with_schedule()
    response = client.get("/")
    assert f'href="{group.get_absolute_url()}"' in response.text
    assert "data-shortlist-bar" in response.text
    assert 'data-base="/s/" hidden>' in response.text


def test_the_group_page_can_add_itself(client):
    group = group_with_schedule()
    response = client.get(group.get_absolute_url())
    expected = f'href="{group.get_absolute_url()}?shortlist={code_for(group)}#shortlist-{group.pk}"'
    assert expected in response.text


def test_a_full_shortlist_adds_nothing_more(client):
    chosen = [GroupFactory() for _ in range(shortlist.MAX_GROUPS)]
    extra = group_with_schedule(name="One Too Many")
    code = code_for(*chosen)
    response = client.get(f"{extra.get_absolute_url()}?shortlist={code}")
    assert (
        f'href="{extra.get_absolute_url()}?shortlist={code}#shortlist-{extra.pk}"' in response.text
    )
    assert "Your shortlist is full (6 groups)" in response.text


def test_none_of_these_pages_sets_a_cookie(client):
    group = group_with_schedule()
    code = code_for(group)
    for url in ["/s/", f"/s/{code}/", f"/s/{code}/print/", f"/?shortlist={code}"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.cookies == {}, url


# The list holds on ordinary navigation: every link between public pages carries it


LINK = re.compile(r"<a\b([^>]*)>")
HREF = re.compile(r'href="([^"]*)"')


def links_that_drop(text, code):
    """The internal links on a page that would lose the shortlist when followed."""
    dropped = []
    for attributes in LINK.findall(text):
        href = HREF.search(attributes)
        if not href or 'rel="nofollow"' in attributes:  # add/remove links set their own list
            continue
        url = html.unescape(href.group(1))
        if url.startswith(("#", "tel:", "mailto:", "sms:", "http", "//", "/static/", "/s/")):
            continue
        if url.endswith(".ics") or "/poster/" in url:
            continue  # a download or a page to print, not a page of the directory
        if f"shortlist={code}" not in url:
            dropped.append(url)
    return dropped


def test_every_link_between_public_pages_carries_the_shortlist(client):
    topic = TopicFactory(name="Anxiety")
    group = group_with_schedule(name="Cuppa and Chat")
    group.topics.add(topic)
    other = group_with_schedule(name="Second Group")
    area = group.schedules.get().venue.area
    code = code_for(group, other)
    pages = [
        "/",
        "/?q=nothing-matches-this",
        "/?format=drop-in",
        "/whats-on/",
        "/organisations/",
        group.organisation.get_absolute_url(),
        area.get_absolute_url(),
        topic.get_absolute_url(),
        group.get_absolute_url(),
        "/help/",
        "/map/",
        f"{group.get_absolute_url()}report/",
        f"/s/{code}/",
    ]
    for page in pages:
        joiner = "&" if "?" in page else "?"
        response = client.get(f"{page}{joiner}shortlist={code}")
        assert response.status_code == 200, page
        assert links_that_drop(response.text, code) == [], page
