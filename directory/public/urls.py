"""The parent-facing site: every page a parent, health visitor or search engine may open."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from directory.public import embed, maps, offline, posters, referrals, reports, views
from directory.sitemaps import SITEMAPS
from evidence import views as evidence

group_patterns = [
    path("", views.group_detail, name="group_detail"),
    path("calendar.ics", views.group_calendar, name="group_calendar"),
    path("feed.ics", views.group_feed, name="group_feed"),
    path("dates/<str:day>.ics", views.group_date_calendar, name="group_date_calendar"),
    path("report/", reports.group_report, name="group_report"),
    path("report/thanks/", reports.group_report_thanks, name="group_report_thanks"),
    path("poster/", posters.group_poster, name="group_poster"),
    path("map/", maps.group_map, name="group_map"),
    path("helpful/", evidence.group_helpful, name="group_helpful"),
]

organisation_patterns = [
    path("", views.organisation_detail, name="organisation_detail"),
    path("poster/", posters.organisation_poster, name="organisation_poster"),
    path("feed.ics", views.organisation_feed, name="organisation_feed"),
]

area_patterns = [
    path("", views.area_detail, name="area_detail"),
    path("poster/", posters.area_poster, name="area_poster"),
    path("feed.ics", views.area_feed, name="area_feed"),
]

shortlist_patterns = [
    path("", referrals.shortlist_page, name="shortlist"),
    path("print/", referrals.referral_sheet, name="referral_sheet"),
    path("feed.ics", referrals.shortlist_feed, name="shortlist_feed"),
]

# The only pages other sites may frame (directory.public.embed).
embed_patterns = [
    path("groups/", embed.search_embed, name="search_embed"),
    path("organisations/<slug:slug>/", embed.organisation_embed, name="organisation_embed"),
    path("areas/<slug:slug>/", embed.area_embed, name="area_embed"),
    path("topics/<slug:slug>/", embed.topic_embed, name="topic_embed"),
]

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("groups/<slug:slug>/", include(group_patterns)),
    path("whats-on/", views.whats_on, name="whats_on"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", include(organisation_patterns)),
    path("areas/<slug:slug>/", include(area_patterns)),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("s/", referrals.shortlist_page, name="shortlist_empty"),
    path("s/<str:code>/", include(shortlist_patterns)),
    path("map/", maps.groups_map, name="groups_map"),
    path("help/", views.help_page, name="help"),
    path("embed/", include(embed_patterns)),
    path("on-your-website/", embed.snippet_page, name="embed_snippet"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("offline/", offline.offline_page, name="offline"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
]
