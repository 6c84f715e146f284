"""Full-text search on PostgreSQL (directory.search): the unaccent extension, a text search
configuration "moray_english" (PostgreSQL's English, accents dropped first, as the unaccent
documentation sets one up) and a GIN index on the group's search text read by it. Nothing on
SQLite, which keeps its "contains" search."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# The same expression as directory.search.full_text_condition compiles to, so the index serves.
INDEXED = "to_tsvector('moray_english'::regconfig, COALESCE(search_text, ''))"


def create_full_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'moray_english') THEN "
        "CREATE TEXT SEARCH CONFIGURATION moray_english (COPY = english); "
        "ALTER TEXT SEARCH CONFIGURATION moray_english "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem; "
        "END IF; END $$"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS directory_group_search_fts ON directory_group "
        f"USING gin (({INDEXED}))"
    )


def drop_full_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS directory_group_search_fts")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS moray_english")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_school_holidays"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_full_text, drop_full_text),
    ]
