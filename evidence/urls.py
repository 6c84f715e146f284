from django.urls import path

from evidence import views

urlpatterns = [
    path("groups/<slug:slug>/helpful/", views.group_helpful, name="group_helpful"),
    path("manage/groups/<int:pk>/evidence/", views.group_evidence, name="group_evidence"),
    path(
        "manage/groups/<int:pk>/evidence.csv",
        views.group_evidence_csv,
        name="group_evidence_csv",
    ),
    path("moderation/demand/", views.demand, name="demand_report"),
    path("moderation/demand.csv", views.demand_csv, name="demand_report_csv"),
]
