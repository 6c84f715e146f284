"""Organisers' pages, all under /manage/ (mounted in moray_peer/urls.py)."""

from django.urls import path

from directory import organiser_views as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schedule-preview/", views.schedule_preview, name="schedule_preview"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_manage, name="group_manage"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/confirm/", views.group_confirm, name="group_confirm"),
    path("groups/<int:pk>/publish/", views.group_publish, name="group_publish"),
    path("groups/<int:pk>/pause/", views.group_pause, name="group_pause"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("groups/<int:pk>/history/", views.group_history, name="group_history"),
    path(
        "groups/<int:pk>/history/<slug:kind>/<int:record_pk>/restore/",
        views.group_restore,
        name="group_restore",
    ),
    path("groups/<int:pk>/times/new/", views.schedule_create, name="schedule_create"),
    path(
        "groups/<int:pk>/times/<int:schedule_pk>/edit/",
        views.schedule_edit,
        name="schedule_edit",
    ),
    path(
        "groups/<int:pk>/times/<int:schedule_pk>/delete/",
        views.schedule_delete,
        name="schedule_delete",
    ),
    path("groups/<int:pk>/breaks/new/", views.pause_create, name="pause_create"),
    path("groups/<int:pk>/breaks/<int:pause_pk>/delete/", views.pause_delete, name="pause_delete"),
    path("groups/<int:pk>/dates/<str:day>/cancel/", views.date_cancel, name="date_cancel"),
    path(
        "groups/<int:pk>/cancellations/<int:cancellation_pk>/undo/",
        views.cancellation_undo,
        name="cancellation_undo",
    ),
    path("groups/<int:pk>/extra-dates/new/", views.extra_create, name="extra_create"),
    path(
        "groups/<int:pk>/extra-dates/<int:extra_pk>/delete/",
        views.extra_delete,
        name="extra_delete",
    ),
    path("organisations/<slug:slug>/venues/", views.venue_list, name="venue_list"),
    path("organisations/<slug:slug>/venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/delete/", views.venue_delete, name="venue_delete"),
    path("venues/<int:pk>/history/", views.venue_history, name="venue_history"),
    path(
        "venues/<int:pk>/history/<int:record_pk>/restore/",
        views.venue_restore,
        name="venue_restore",
    ),
]
