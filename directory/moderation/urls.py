"""The moderators' pages, under /moderation/: the queue, reports, CSV exchange, demand."""

from django.urls import include, path

from directory.moderation import views
from evidence import views as evidence

organisation_patterns = [
    path("", views.organisation_review, name="moderation_organisation"),
    path("approve/", views.organisation_approve, name="moderation_organisation_approve"),
    path("decline/", views.organisation_decline, name="moderation_organisation_decline"),
]

group_patterns = [
    path("", views.group_review, name="moderation_group"),
    path("approve/", views.group_approve, name="moderation_group_approve"),
    path("decline/", views.group_decline, name="moderation_group_decline"),
]

urlpatterns = [
    path("", views.overview, name="moderation_overview"),
    path("organisations/<slug:slug>/", include(organisation_patterns)),
    path("groups/<int:pk>/", include(group_patterns)),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="moderation_report_resolve"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="moderation_report_reopen"),
    path("csv/", include("opendata.csv_urls")),
    path("demand/", evidence.demand, name="demand_report"),
    path("demand.csv", evidence.demand_csv, name="demand_report_csv"),
]
