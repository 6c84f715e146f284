"""Trigram indexes for free-text search on PostgreSQL (GroupQuerySet.search).

The search is a case-insensitive "contains" on a group's name, summary and description, which
Django sends as UPPER(column::text) LIKE UPPER('%word%'). A pg_trgm GIN index on exactly that
expression lets PostgreSQL find the matching groups without reading every description, so a
search stays as fast at 10,000 groups as at 100. Other databases (SQLite in development and
tests) search the same way without them.
"""

from django.db import migrations

COLUMNS = ("name", "summary", "description")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS directory_group_{column}_trgm ON directory_group "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS directory_group_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_organiser_fields"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
