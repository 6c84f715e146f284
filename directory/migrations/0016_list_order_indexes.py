"""Indexes for a page of the list without sorting every group (pagination.SoonestFirst): the
usual order of groups whose stored next session is still to come, and, on PostgreSQL, a GIN
index of group names read by the full-text configuration, for the groups a search ranks
first (search.named_condition)."""

from django.db import migrations, models

# The same expression as directory.search.named_condition compiles to, so the index serves.
NAME_INDEXED = "to_tsvector('moray_english'::regconfig, COALESCE(name, ''))"


def create_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS directory_group_name_fts ON directory_group "
            f"USING gin (({NAME_INDEXED}))"
        )


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_group_name_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0015_venue_map_point_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="group",
            index=models.Index(
                fields=["status", "booked_service", "next_session_at", "name", "id"],
                name="directory_g_status_d0d869_idx",
            ),
        ),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
