"""What each group stands for in a search's vocabulary (its topics, audiences, areas, and
online), kept as marks beside its search text (Group.search_marks) and in its stored reading,
so a search in everyday words is one "contains", or on PostgreSQL one lookup in the full-text
index (directory.search.meaning_marks). Filled here for the groups there are;
directory.search.refresh keeps them from now on."""

from django.db import migrations, models


def _mark(kind, pk=""):
    return f"={kind}{pk}="


def add_marks(apps, schema_editor):
    Group = apps.get_model("directory", "Group")
    groups = Group.objects.prefetch_related(
        "topics", "audiences", "schedules__venue__area", "extra_sessions__venue__area"
    )
    for group in groups.iterator(chunk_size=500):
        marks = [_mark("topic", topic.pk) for topic in group.topics.all()]
        marks += [_mark("audience", audience.pk) for audience in group.audiences.all()]
        meetings = [*group.schedules.all(), *group.extra_sessions.all()]
        areas = {m.venue.area for m in meetings if m.venue_id is not None}
        marks += [_mark("area", area.pk) for area in areas if not area.is_online]
        if group.online or group.phone:
            marks.append(_mark("online"))
        marks = " ".join(sorted(marks))
        Group.objects.filter(pk=group.pk).update(search_marks=marks)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE directory_group SET search_vector = "
            "to_tsvector('moray_english'::regconfig, search_text) || search_marks::tsvector"
        )


def remove_marks_from_reading(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE directory_group SET search_vector = "
            "to_tsvector('moray_english'::regconfig, COALESCE(search_text, ''))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0017_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="search_marks",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(add_marks, remove_marks_from_reading),
    ]
