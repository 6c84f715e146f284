from django.urls import path

from directory import report_views, views

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("groups/<slug:slug>/calendar.ics", views.group_calendar, name="group_calendar"),
    path("groups/<slug:slug>/report/", report_views.group_report, name="group_report"),
    path(
        "groups/<slug:slug>/report/thanks/",
        report_views.group_report_thanks,
        name="group_report_thanks",
    ),
    path("whats-on/", views.whats_on, name="whats_on"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("help/", views.help_page, name="help"),
]
