from django.urls import path

from directory import moderation_views as views

urlpatterns = [
    path("", views.overview, name="moderation_overview"),
    path("organisations/<slug:slug>/", views.organisation_review, name="moderation_organisation"),
    path(
        "organisations/<slug:slug>/approve/",
        views.organisation_approve,
        name="moderation_organisation_approve",
    ),
    path(
        "organisations/<slug:slug>/decline/",
        views.organisation_decline,
        name="moderation_organisation_decline",
    ),
    path("groups/<int:pk>/", views.group_review, name="moderation_group"),
    path("groups/<int:pk>/approve/", views.group_approve, name="moderation_group_approve"),
    path("groups/<int:pk>/decline/", views.group_decline, name="moderation_group_decline"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="moderation_report_resolve"),
]
