"""Moderators' CSV exchange, under /moderation/csv/."""

from django.urls import path

from opendata import csv_views

urlpatterns = [
    path("export/", csv_views.export, name="csv_export"),
    path("import/", csv_views.upload, name="csv_import"),
    path("import/apply/", csv_views.apply, name="csv_import_apply"),
]
