from django.contrib.sitemaps.views import sitemap
from django.urls import path

from directory import reach_views
from directory.sitemaps import SITEMAPS

urlpatterns = [
    path("s/", reach_views.shortlist_page, name="shortlist_empty"),
    path("s/<str:code>/", reach_views.shortlist_page, name="shortlist"),
    path("s/<str:code>/print/", reach_views.referral_sheet, name="referral_sheet"),
    path("groups/<slug:slug>/poster/", reach_views.group_poster, name="group_poster"),
    path("groups/<slug:slug>/map/", reach_views.group_map, name="group_map"),
    path(
        "organisations/<slug:slug>/poster/",
        reach_views.organisation_poster,
        name="organisation_poster",
    ),
    path("areas/<slug:slug>/", reach_views.area_detail, name="area_detail"),
    path("areas/<slug:slug>/poster/", reach_views.area_poster, name="area_poster"),
    path("topics/<slug:slug>/", reach_views.topic_detail, name="topic_detail"),
    path("map/", reach_views.groups_map, name="groups_map"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", reach_views.robots_txt, name="robots_txt"),
]
