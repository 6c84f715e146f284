"""Embed pages partners' websites frame, and the snippet they copy."""

import pytest

from accounts.models import Organisation
from directory.models import Group
from evidence.models import DailyCount, Metric
from tests.factories import (
    AreaFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
    VenueFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari"}


@pytest.fixture
def hub():
    hub = OrganisationFactory(name="Moray Wellbeing Hub")
    group_with_schedule(organisation=hub, name="Cuppa and Chat Elgin")
    group_with_schedule(organisation=hub, name="Hidden Draft", status=Group.Status.DRAFT)
    group_with_schedule(name="Someone Else's Group")
    return hub


def test_an_organisation_embed_lists_its_published_groups_with_their_next_date(client, hub):
    response = client.get(f"/embed/organisations/{hub.slug}/")
    assert response.status_code == 200
    assert "Groups run by Moray Wellbeing Hub" in response.text
    assert "Cuppa and Chat Elgin" in response.text
    assert "Next:" in response.text
    assert "Hidden Draft" not in response.text
    assert "Someone Else&#x27;s Group" not in response.text


def test_embed_links_open_the_full_pages_in_a_new_tab(client, hub):
    group = hub.groups.get(name="Cuppa and Chat Elgin")
    text = client.get(f"/embed/organisations/{hub.slug}/").text
    assert f'<a href="{group.get_absolute_url()}" target="_blank" rel="noopener">' in text
    assert f'<a href="/organisations/{hub.slug}/" target="_blank" rel="noopener">' in text
    assert "(opens in a new tab)" in text


def test_an_embed_shows_ten_groups_and_links_to_all_of_them(client):
    hub = OrganisationFactory()
    for n in range(12):
        group_with_schedule(organisation=hub, name=f"Group {n:02}")
    text = client.get(f"/embed/organisations/{hub.slug}/").text
    assert text.count('<article class="group">') == 10
    assert "See all 12 groups on Moray Peer Support" in text


@pytest.mark.parametrize("status", [Organisation.Status.PENDING, Organisation.Status.DECLINED])
def test_an_organisation_not_approved_has_no_embed(client, status):
    hub = OrganisationFactory(status=status)
    assert client.get(f"/embed/organisations/{hub.slug}/").status_code == 404


def test_an_area_embed_lists_the_groups_meeting_there(client):
    forres = AreaFactory(name="Forres", slug="forres")
    group_with_schedule(
        name="Forres Walk", schedule_kwargs={"venue": VenueFactory(area=forres, town="Forres")}
    )
    group_with_schedule(name="Elgin Chat")
    text = client.get("/embed/areas/forres/").text
    assert "Peer support groups: Forres" in text
    assert "Forres Walk" in text
    assert "Elgin Chat" not in text


def test_a_topic_embed_lists_the_groups_about_it(client):
    sleep = TopicFactory(name="Sleep", slug="sleep")
    group_with_schedule(name="Sleep Circle").topics.add(sleep)
    group_with_schedule(name="Other Group")
    text = client.get("/embed/topics/sleep/").text
    assert "Sleep Circle" in text
    assert "Other Group" not in text


def test_a_saved_search_embed_applies_the_group_lists_filters(client):
    sleep = TopicFactory(name="Sleep", slug="sleep")
    group_with_schedule(name="Sleep Circle").topics.add(sleep)
    group_with_schedule(name="Other Group")
    text = client.get("/embed/groups/?topic=sleep").text
    assert "Peer support groups: Sleep" in text
    assert "Sleep Circle" in text
    assert "Other Group" not in text
    assert '<a href="/?topic=sleep" target="_blank" rel="noopener">' in text


def test_only_embed_pages_may_be_framed_by_other_sites(client, hub):
    embed = client.get(f"/embed/organisations/{hub.slug}/")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    for path in ("/", f"/organisations/{hub.slug}/", "/on-your-website/", "/help/"):
        page = client.get(path)
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"], path
        assert page["X-Frame-Options"] == "DENY", path


def test_an_embed_kept_in_the_page_cache_may_still_be_framed(client, hub, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    client.get(f"/embed/organisations/{hub.slug}/")
    again = client.get(f"/embed/organisations/{hub.slug}/")
    assert "frame-ancestors *" in again["Content-Security-Policy"]
    assert "X-Frame-Options" not in again


def test_an_embed_keeps_its_other_protections(client, hub):
    policy = client.get(f"/embed/organisations/{hub.slug}/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_an_embed_sets_no_cookie_and_needs_no_script_to_show(client, hub):
    response = client.get(f"/embed/organisations/{hub.slug}/")
    assert response.cookies == {}
    assert "Cuppa and Chat Elgin" in response.text  # in the HTML itself, not written by script


def test_an_embed_never_shows_the_organiser_or_moderator_menus(client, hub):
    client.force_login(UserFactory(is_staff=True))
    text = client.get(f"/embed/organisations/{hub.slug}/").text
    for menu_item in ("Your listings", "Moderation", "Sign out", "/manage/", "/moderation/"):
        assert menu_item not in text


def test_embed_views_are_counted_by_embed(client, hub):
    client.get(f"/embed/organisations/{hub.slug}/", **BROWSER)
    client.get(f"/embed/organisations/{hub.slug}/", HTTP_REFERER="https://gp.example/", **BROWSER)
    client.get("/embed/groups/?topic=anxiety&area=elgin", **BROWSER)
    counts = {(c.metric, c.key): c.count for c in DailyCount.objects.all()}
    assert counts[(Metric.EMBED_VIEW, f"organisation:{hub.pk}")] == 2
    assert (Metric.GROUP_VIEW, str(hub.groups.first().pk)) not in counts
    assert not any("example" in key for _metric, key in counts)


def test_the_snippet_page_gives_a_titled_frame_and_the_optional_script(client, hub, settings):
    settings.SITE_URL = "https://moray.example"
    response = client.get(f"/on-your-website/?show=organisation:{hub.slug}")
    assert response.status_code == 200
    text = response.text
    assert (
        f"&lt;iframe src=&quot;https://moray.example/embed/organisations/{hub.slug}/&quot; "
        "title=&quot;Peer support groups run by Moray Wellbeing Hub&quot;"
    ) in text
    assert "&lt;script src=&quot;https://moray.example/static/js/embed.js&quot; async" in text


def test_the_snippet_page_offers_a_saved_search_from_the_group_list(client, settings):
    settings.SITE_URL = "https://moray.example"
    TopicFactory(name="Sleep", slug="sleep")
    text = client.get("/on-your-website/?topic=sleep&area=nowhere").text
    assert "/embed/groups/?topic=sleep&amp;amp;" not in text
    assert "src=&quot;https://moray.example/embed/groups/?topic=sleep&quot;" in text


def test_the_snippet_escapes_typed_text_for_the_partners_page_too(client):
    text = client.get("/on-your-website/?q=%3Cscript%3Ealert(1)%3C/script%3E").text
    # Shown escaped once more than the partner's page will get it: no raw tag either way.
    assert "title=&quot;Peer support groups: “&amp;lt;script&amp;gt;alert(1)" in text
    assert "<script>alert" not in text


def test_the_snippet_page_shows_no_code_until_a_choice_is_made(client):
    assert "&lt;iframe" not in client.get("/on-your-website/").text


def test_the_group_list_links_to_the_snippet_for_its_filters(client):
    TopicFactory(name="Sleep", slug="sleep")
    group_with_schedule().topics.add(*TopicFactory._meta.model.objects.all())
    assert '/on-your-website/?topic=sleep#code"' in client.get("/?topic=sleep").text
