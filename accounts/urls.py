"""Members and invitations, under /manage/ (mounted in moray_peer/urls.py)."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("organisations/<slug:slug>/members/", views.member_list, name="member_list"),
    path("organisations/<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "organisations/<slug:slug>/members/<int:membership_pk>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
