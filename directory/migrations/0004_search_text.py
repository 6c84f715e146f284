"""Each group keeps the text a search looks in (directory.search), with one trigram index on it
on PostgreSQL; the three per-column indexes of migration 0003 are no longer used."""

from django.db import migrations, models

OLD_COLUMNS = ("name", "summary", "description")


def fill_search_text(apps, schema_editor):
    # The same text as directory.search.text_for, from the historical models.
    Group = apps.get_model("directory", "Group")
    groups = Group.objects.select_related("organisation").prefetch_related(
        "topics", "schedules__venue__area"
    )
    for group in groups:
        pieces = [group.name, group.summary, group.description, group.organisation.name]
        pieces += [topic.name for topic in group.topics.all()]
        for schedule in group.schedules.all():
            if schedule.venue is not None:
                venue = schedule.venue
                pieces += [venue.name, venue.town, venue.area.name]
        text = "\n".join(dict.fromkeys(p.strip() for p in pieces if p)).lower()
        Group.objects.filter(pk=group.pk).update(search_text=text)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directory_group_search_trgm ON directory_group "
        "USING gin (search_text gin_trgm_ops)"
    )
    for column in OLD_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS directory_group_{column}_trgm")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS directory_group_search_trgm")
    for column in OLD_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS directory_group_{column}_trgm ON directory_group "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
