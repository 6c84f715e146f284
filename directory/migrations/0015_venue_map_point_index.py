"""A GiST index on each fixed venue's map point drawn flat (directory.places.FlatDistance), so
"Where are you?" reads the venues nearest her first instead of every venue. PostgreSQL only:
SQLite reads every venue."""

from django.db import migrations

# The same expression as directory.places.FlatDistance compiles to, so the index serves.
FLAT_POINT = "point((longitude)::float8 * 0.5373, (latitude)::float8)"
FIXED = "latitude IS NOT NULL AND longitude IS NOT NULL AND NOT agreed_place"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS directory_venue_flat_point ON directory_venue "
            f"USING gist (({FLAT_POINT})) WHERE {FIXED}"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_venue_flat_point")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0014_session_questions"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
