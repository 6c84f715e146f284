"""/sitemap.xml: every public page, so search engines find each group, area and topic."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from accounts.models import Organisation
from directory.models import Area, Group, Topic


class PublicSitemap(Sitemap):
    """Addresses built from SITE_URL, whatever host name the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class GroupSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Group.objects.published().order_by("pk")

    def lastmod(self, group):
        return group.updated


class OrganisationSitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        return Organisation.objects.approved().order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated


class AreaSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Area.objects.order_by("pk")


class TopicSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Topic.objects.order_by("pk")


class PageSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        return ["group_list", "whats_on", "organisation_list", "help", "open_data"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "groups": GroupSitemap,
    "organisations": OrganisationSitemap,
    "areas": AreaSitemap,
    "topics": TopicSitemap,
}
