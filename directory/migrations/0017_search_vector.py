"""Each group's search text kept read by the full-text configuration (Group.search_vector,
brought up to date with the text by directory.search.refresh), with a GIN index on it, in
place of 0012's index on reading the text afresh: a search then reads each candidate's stored
reading instead of parsing its whole text again, and PostgreSQL knows how common each word
is. Filled on PostgreSQL only; SQLite keeps its "contains" search."""

import django.contrib.postgres.search
from django.db import migrations


def fill_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE directory_group SET search_vector = "
        "to_tsvector('moray_english'::regconfig, COALESCE(search_text, ''))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_group_search_vector ON directory_group "
        "USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS directory_group_search_fts")


def restore_text_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS directory_group_search_vector")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_group_search_fts ON directory_group USING gin "
        "((to_tsvector('moray_english'::regconfig, COALESCE(search_text, ''))))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0016_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_vector, restore_text_index),
    ]
