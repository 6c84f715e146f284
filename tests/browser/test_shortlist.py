"""A health visitor builds a shortlist on a phone, hands it over, and prints it."""

import os
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from directory.shortlist import encode
from tests.browser.conftest import PHONE, axe_violations
from tests.factories import TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db(transaction=True)

LONG_SUMMARY = (
    "A relaxed, friendly morning for parents and parents-to-be who are finding things hard, "
    "or who just want some company and a hot drink while someone else holds the baby for a bit. "
    "Peer supporters who have been there too are always around for a quiet word."
)


@pytest.fixture
def site_here(live_server, settings):
    """Links and QR codes point at the test server, as they would at the real site."""
    settings.SITE_URL = live_server.url
    return live_server.url


def many_groups(count):
    return [
        group_with_schedule(
            name=f"Parent and Baby Wellbeing Drop-in Group Number {n} at the Community Hall",
            summary=LONG_SUMMARY[:300],
            contact_phone="01343 000000",
            contact_email=f"a-rather-long-contact-address-{n}@example-family-support.org.uk",
        )
        for n in range(count)
    ]


def test_a_shortlist_built_on_a_phone_opens_the_same_elsewhere(site_here, page, browser):
    names = ["Bumps and Babies Elgin", "Dads Den Forres", "Keith Cuppa", "Buckie Natter"]
    for name in names:
        group_with_schedule(name=name)
    page.goto(site_here + "/")
    page.evaluate("window.notReloaded = true")
    for name in names[:3]:
        page.get_by_role("link", name=f"Add to shortlist ({name})").click()
    assert page.locator("[data-shortlist-count]").inner_text() == "3 groups"
    assert page.locator("[data-shortlist-status]").inner_text().startswith("Added Keith Cuppa")
    assert page.evaluate("window.notReloaded") is True
    assert "shortlist=" in page.url
    # Taking one off and putting it back keeps the list in step.
    page.get_by_role("link", name="On your shortlist — remove (Dads Den Forres)").click()
    assert page.locator("[data-shortlist-count]").inner_text() == "2 groups"
    page.get_by_role("link", name="Add to shortlist (Dads Den Forres)").click()
    chosen = ["Bumps and Babies Elgin", "Keith Cuppa", "Dads Den Forres"]

    page.get_by_role("link", name="See and share").click()
    expect(page.locator(".shortlist h2")).to_have_text(chosen)
    share_link = page.get_by_label("Link to this list").input_value()
    assert re.fullmatch(re.escape(site_here) + r"/s/[0-9a-z]+(-[0-9a-z]+){2}/", share_link)

    family = browser.new_context(**PHONE)
    try:
        family_page = family.new_page()
        family_page.goto(share_link)
        assert family_page.locator(".shortlist h2").all_inner_texts() == chosen
        assert family.cookies() == []
    finally:
        family.close()
    assert page.context.cookies() == []
    assert page.third_party_requests == []


def test_the_shortlist_works_without_javascript(site_here, no_js_page):
    group_with_schedule(name="Bumps and Babies Elgin")
    group_with_schedule(name="Dads Den Forres")
    page = no_js_page
    page.goto(site_here + "/")
    page.get_by_role("link", name="Add to shortlist (Dads Den Forres)").click()
    page.get_by_role("link", name="Add to shortlist (Bumps and Babies Elgin)").click()
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    # Following a group and coming back keeps the list.
    page.get_by_role("link", name="Dads Den Forres").first.click()
    expect(
        page.get_by_role("link", name="On your shortlist — remove (Dads Den Forres)")
    ).to_be_visible()
    page.get_by_role("link", name="See and share").click()
    expect(page.locator(".shortlist h2")).to_have_text(
        ["Dads Den Forres", "Bumps and Babies Elgin"]
    )
    assert (
        page.get_by_role("link", name="Send by text message")
        .get_attribute("href")
        .startswith("sms:?&body=")
    )
    assert page.context.cookies() == []


def test_six_groups_print_on_one_a4_page(site_here, page):
    groups = many_groups(6)
    page.goto(f"{site_here}/s/{encode([g.pk for g in groups])}/print/")
    assert page.locator(".sheet-group").count() == 6
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    # Navigation and the site's own help panel stay off paper; the sheet's own numbers stay on.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".exit-bar")).to_be_hidden()
    expect(page.locator("#need-help")).to_be_hidden()
    expect(page.locator(".sheet-help")).to_be_visible()


def decode_qr_codes(page, tmp_path):
    if not shutil.which("zbarimg"):
        message = "zbarimg is not installed (apt-get install zbar-tools)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    image = tmp_path / "printed.png"
    page.screenshot(path=str(image), full_page=True)
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    )
    return sorted(result.stdout.split())


def test_qr_codes_on_the_sheet_and_posters_open_the_right_pages(site_here, browser, tmp_path):
    groups = many_groups(6)
    paper = browser.new_context(viewport={"width": 794, "height": 1123}, device_scale_factor=2)
    try:
        page = paper.new_page()
        page.emulate_media(media="print")
        page.goto(f"{site_here}/s/{encode([g.pk for g in groups])}/print/")
        expected = sorted(f"{site_here}/groups/{g.slug}/" for g in groups)
        assert decode_qr_codes(page, tmp_path) == expected

        page.goto(f"{site_here}/groups/{groups[0].slug}/poster/")
        assert decode_qr_codes(page, tmp_path) == [f"{site_here}/groups/{groups[0].slug}/"]
    finally:
        paper.close()


def test_shortlist_sheet_poster_area_and_topic_pages_are_accessible(site_here, page):
    groups = many_groups(2)
    groups[0].topics.add(TopicFactory(name="Anxiety"))
    code = encode([g.pk for g in groups])
    organisation = groups[0].organisation.slug
    for path in [
        f"/s/{code}/",
        "/s/",
        f"/s/{code}/print/",
        f"/groups/{groups[0].slug}/poster/",
        f"/organisations/{organisation}/poster/",
        "/areas/elgin/poster/",
        "/areas/elgin/",
        "/topics/anxiety/",
        f"/?shortlist={code}",
    ]:
        page.goto(site_here + path)
        assert axe_violations(page) == [], path
    assert page.context.cookies() == []
    assert page.third_party_requests == []


@pytest.mark.parametrize("with_javascript", [True, False], ids=["js", "no-js"])
def test_the_shortlist_holds_through_the_header_and_a_reload(
    site_here, page, no_js_page, with_javascript
):
    page = page if with_javascript else no_js_page
    for name in ["Bumps and Babies Elgin", "Dads Den Forres", "Keith Cuppa"]:
        group_with_schedule(name=name)
    page.goto(site_here + "/")
    page.get_by_role("link", name="Add to shortlist (Bumps and Babies Elgin)").click()
    expect(page.locator("[data-shortlist-count]")).to_have_text("1 group")
    page.get_by_role("link", name="Add to shortlist (Dads Den Forres)").click()
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    page.get_by_role("link", name="Keith Cuppa", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keith Cuppa")
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a group").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Keith Cuppa")
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    page.reload()
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    page.get_by_role("contentinfo").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who runs the groups")
    expect(page.locator("[data-shortlist-count]")).to_have_text("2 groups")
    assert page.context.cookies() == []


WHITE, BLACK = "rgb(255, 255, 255)", "rgb(0, 0, 0)"


def test_the_sheet_and_posters_print_black_on_white_each_on_one_a4_page(site_here, page):
    groups = many_groups(6)
    for group in groups[::2]:  # some out of date, some booked, all with the longest words
        group.last_confirmed = None
        group.drop_in = False
        group.children_welcome = False
        group.save()
    code = encode([g.pk for g in groups])
    for path in [
        f"/s/{code}/print/",
        f"/groups/{groups[0].slug}/poster/",
        f"/organisations/{groups[0].organisation.slug}/poster/",
        "/areas/elgin/poster/",
    ]:
        page.goto(site_here + path)
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, path
        page.emulate_media(media="print")
        colours = page.evaluate(
            """() => [document.documentElement, document.body, ...document.querySelectorAll(
                 '.sheet, .sheet-group, .poster, .poster-tags li')]
               .map(el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])"""
        )
        for background, text in colours:
            assert background in (WHITE, "rgba(0, 0, 0, 0)"), path
            assert text == BLACK, path
    # On the sheet, every group's facts, dates and phone fit inside its box, laid out at the
    # width of A4 inside its 10mm margins.
    page.set_viewport_size({"width": 718, "height": 1047})
    page.goto(f"{site_here}/s/{code}/print/")
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.sheet-group')].filter(box => {
             const bottom = box.getBoundingClientRect().bottom;
             return [...box.querySelectorAll('.going-along, .stale-note, .sheet-details p')]
               .some(line => line.getBoundingClientRect().bottom > bottom + 1);
           }).length"""
    )
    assert clipped == 0


def test_buttons_that_need_javascript_stay_hidden_without_it(site_here, no_js_page):
    group = group_with_schedule(name="Bumps and Babies Elgin")
    page = no_js_page
    page.goto(f"{site_here}/s/{encode([group.pk])}/")
    expect(page.get_by_role("link", name="Send by text message")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_role("button", name="Share another way")).to_be_hidden()
