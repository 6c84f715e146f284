import xml.etree.ElementTree as ET

import pytest

from accounts.models import Organisation
from directory.models import Group
from tests.factories import AreaFactory, OrganisationFactory, TopicFactory, group_with_schedule

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_it_lists_published_groups_only(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    published = group_with_schedule(name="Published")
    hidden = [
        group_with_schedule(name="Draft", status=Group.Status.DRAFT),
        group_with_schedule(name="Pending", status=Group.Status.PENDING),
        group_with_schedule(name="Paused", status=Group.Status.PAUSED),
        group_with_schedule(
            name="Unapproved organisation", organisation__status=Organisation.Status.PENDING
        ),
    ]
    entries = sitemap_entries(client)
    group_urls = {url for url in entries if "/groups/" in url}
    assert group_urls == {f"https://peer.example.org/groups/{published.slug}/"}
    assert entries[f"https://peer.example.org/groups/{published.slug}/"] == (
        published.updated.date().isoformat()
    )
    for group in hidden:
        assert not any(group.slug in url for url in entries)


def test_it_lists_approved_organisations_areas_topics_and_the_main_pages(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    approved = OrganisationFactory(name="Approved Org")
    pending = OrganisationFactory(name="Pending Org", status=Organisation.Status.PENDING)
    AreaFactory(name="Forres")
    TopicFactory(name="Loneliness")
    entries = sitemap_entries(client)
    site = "https://peer.example.org"
    for path in [
        "/",
        "/whats-on/",
        "/organisations/",
        "/help/",
        "/open-data/",
        f"/organisations/{approved.slug}/",
        "/areas/forres/",
        "/topics/loneliness/",
    ]:
        assert site + path in entries, path
    assert site + f"/organisations/{pending.slug}/" not in entries


def test_addresses_use_the_public_site_address_whatever_the_request_host(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    group_with_schedule()
    response = client.get("/sitemap.xml", headers={"host": "localhost"})
    assert b"http://localhost" not in response.content
    assert b"https://peer.example.org/groups/" in response.content


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, settings):
    settings.SITE_URL = "https://peer.example.org"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/manage/", "/moderation/", "/admin/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://peer.example.org/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_neither_sets_a_cookie(client):
    assert client.get("/sitemap.xml").cookies == {}
    assert client.get("/robots.txt").cookies == {}
