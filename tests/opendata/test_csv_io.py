import csv
import datetime
import io

import pytest
from django.utils import timezone

from directory.models import Group, Schedule, Session, Venue
from opendata import csv_io
from tests.factories import GroupFactory, OrganisationFactory, VenueFactory
from tests.opendata.conftest import days_from_today

pytestmark = pytest.mark.django_db


def export_text(organisation=None):
    out = io.StringIO()
    csv_io.write_csv(csv_io.export_groups(organisation), timezone.localdate(), out)
    return out.getvalue()


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def to_csv(rows, columns=None):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def plan(organisation, text):
    return csv_io.plan_import(organisation, text, timezone.localdate())


def snapshot(organisation):
    """Everything an import could touch, to compare before and after."""
    groups = Group.objects.filter(organisation=organisation).order_by("pk")
    return (
        list(groups.values()),
        list(Schedule.objects.filter(group__in=groups).order_by("pk").values()),
        list(Venue.objects.filter(organisation=organisation).order_by("pk").values()),
        [list(g.topics.values_list("pk")) for g in groups],
        list(Session.objects.filter(group__in=groups).order_by("pk").values_list("pk")),
    )


def test_the_export_has_one_row_per_group_with_readable_meetings(directory):
    rows = {row["name"]: row for row in rows_of(export_text())}
    assert set(rows) == {"Cuppa and Chat", "Buggy Walk", "Draft Group", "Waiting Group"}
    cuppa = rows["Cuppa and Chat"]
    schedules = cuppa["schedules"].splitlines()
    assert len(schedules) == 5
    assert any(line.startswith("Last Friday of the month, 19:00-20:00") for line in schedules)
    assert any(line.startswith("Every other ") and "until" in line for line in schedules)
    assert any(line.endswith(", online") for line in schedules)
    assert cuppa["extra_dates"].splitlines()[0].endswith("at Library, Forres; note: Bring a friend")
    assert cuppa["cancellations"] == f"{days_from_today(7)}; note: Hall closed"
    assert cuppa["topics"] == "Anxiety; Feeding"
    assert cuppa["venue_name"] == "Town Hall"
    assert cuppa["venue_latitude"] == "57.64900"
    assert cuppa["online"] == "yes"


def test_round_trip_export_then_import_changes_nothing(directory):
    hub = directory["hub"]
    before = snapshot(hub)
    result = plan(hub, export_text(hub))
    assert result.errors == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 3}
    csv_io.apply_plan(result, timezone.localdate())
    assert snapshot(hub) == before


def test_text_typed_in_a_browser_survives_the_round_trip(directory):
    walk = directory["walk"]
    Group.objects.filter(pk=walk.pk).update(description="Line one.\r\nLine two.")
    result = plan(walk.organisation, export_text(walk.organisation))
    assert result.counts["changed"] == 0


def test_cells_that_would_run_as_formulas_are_defused_and_restored(directory):
    walk = directory["walk"]
    Group.objects.filter(pk=walk.pk).update(
        summary="=HYPERLINK(1)", contact_phone="+44 1343 123456"
    )
    text = export_text(walk.organisation)
    row = next(r for r in rows_of(text) if r["name"] == "Buggy Walk")
    assert row["summary"] == "'=HYPERLINK(1)"
    assert row["contact_phone"] == "'+44 1343 123456"
    assert plan(walk.organisation, text).counts["changed"] == 0


def test_a_change_is_planned_and_applied(directory):
    hub, walk = directory["hub"], directory["walk"]
    rows = rows_of(export_text(hub))
    row = next(r for r in rows if r["name"] == "Buggy Walk")
    row["summary"] = "A walk with buggies."
    row["schedules"] = "Every Thursday, 09:30-10:30, at Cafe, Elgin"
    result = plan(hub, to_csv(rows))
    assert result.errors == []
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 2}
    changed = next(r for r in result.rows if r.action == "changed")
    assert {c.column for c in changed.changes} == {"summary", "schedules"}
    summary = next(c for c in changed.changes if c.column == "summary")
    assert summary.before == "A relaxed drop-in for parents and babies."
    assert summary.after == row["summary"]

    version = walk.version
    csv_io.apply_plan(result, timezone.localdate())
    walk.refresh_from_db()
    assert walk.summary == "A walk with buggies."
    assert walk.version == version + 1
    schedule = walk.schedules.get()
    assert (schedule.weekday, schedule.start_time) == (3, datetime.time(9, 30))
    assert schedule.starts_on == timezone.localdate()
    assert walk.sessions.filter(date__gte=timezone.localdate()).exists()
    # Applying again finds nothing more to do.
    assert plan(hub, to_csv(rows)).counts["changed"] == 0


def test_unchanged_schedules_keep_their_ids(directory):
    hub, cuppa = directory["hub"], directory["cuppa"]
    ids = set(cuppa.schedules.values_list("uuid", flat=True))
    rows = rows_of(export_text(hub))
    row = next(r for r in rows if r["name"] == "Cuppa and Chat")
    row["schedules"] = "\n".join(row["schedules"].splitlines()[1:])
    csv_io.apply_plan(plan(hub, to_csv(rows)), timezone.localdate())
    assert len(ids - set(cuppa.schedules.values_list("uuid", flat=True))) == 1


def test_a_new_group_with_a_new_venue(directory):
    hub = directory["hub"]
    columns = ["name", "summary", "description", "status", "topics", "schedules"]
    columns += ["venue_name", "venue_address", "venue_town", "venue_postcode", "venue_area"]
    row = {
        "name": "Dads' Breakfast",
        "summary": "Bacon rolls and a chat.",
        "description": "For dads and partners.",
        "status": "published",
        "topics": "anxiety; Feeding",
        "schedules": (
            "First Saturday of the month, 09:00-10:30, from 2025-01-04, at Scout Hut, Lossiemouth"
        ),
        "venue_name": "Scout Hut",
        "venue_address": "4 Shore Road",
        "venue_town": "Lossiemouth",
        "venue_postcode": "IV31 6AA",
        "venue_area": "Elgin",
    }
    result = plan(hub, to_csv([row], columns))
    assert result.errors == []
    assert result.counts["new"] == 1
    csv_io.apply_plan(result, timezone.localdate())
    group = Group.objects.get(name="Dads' Breakfast")
    assert group.status == Group.Status.PUBLISHED
    assert group.organisation == hub
    assert sorted(group.topics.values_list("slug", flat=True)) == ["anxiety", "feeding"]
    schedule = group.schedules.get()
    assert (schedule.frequency, schedule.week_of_month, schedule.weekday) == ("monthly", 1, 5)
    assert schedule.venue.name == "Scout Hut"
    assert schedule.venue.organisation == hub


def test_rows_with_problems_are_reported_by_row_and_column_and_nothing_is_applied(directory):
    hub = directory["hub"]
    rows = rows_of(export_text(hub))
    rows[0]["summary"] = "Changed but never saved"
    rows[1]["schedules"] = "Most Tuesdays, about ten"
    rows[2]["website"] = "javascript:alert(1)"
    result = plan(hub, to_csv(rows))
    assert [(p.row, p.column, p.listing) for p in result.errors] == [
        (3, "schedules", rows[1]["name"]),
        (4, "website", rows[2]["name"]),
    ]
    with pytest.raises(ValueError):
        csv_io.apply_plan(result, timezone.localdate())
    assert not Group.objects.filter(summary="Changed but never saved").exists()


def test_rows_are_numbered_as_the_spreadsheet_shows_them_not_by_text_line(directory):
    hub = directory["hub"]
    rows = rows_of(export_text(hub))
    last = rows[-1]
    last["status"] = "maybe"
    text = to_csv(rows)
    text_line = text.count("\n", 0, text.index(last["id"])) + 1
    spreadsheet_row = len(rows) + 1  # the header is row 1
    assert text_line > spreadsheet_row  # cells above it span several lines
    result = plan(hub, text)
    assert [str(problem) for problem in result.errors] == [
        f"Row {spreadsheet_row} ({last['name']}), column 'status': Write one of draft, "
        "pending, published, paused."
    ]


@pytest.mark.parametrize(
    "change, column",
    [
        ({"id": "not-an-id"}, "id"),
        ({"organisation": "someone-else"}, "organisation"),
        ({"online": "perhaps"}, "online"),
        ({"topics": "Juggling"}, "topics"),
        ({"last_confirmed": "last week"}, "last_confirmed"),
        ({"schedules": "Every Funday, 10:00-11:00, online"}, "schedules"),
        ({"schedules": "Every Monday, 11:00-10:00, online"}, "schedules"),
        ({"schedules": "Every Monday, 10:00-11:00, at Nowhere Hall, Elgin"}, "schedules"),
        ({"extra_dates": "2030-01-01, 10:00-11:00, in a field"}, "extra_dates"),
        ({"cancellations": "soon"}, "cancellations"),
        ({"breaks": "2030-08-01 to 2030-07-01"}, "breaks"),
        ({"in_person": "no", "online": "no", "phone": "no"}, ""),
        ({"name": ""}, "name"),
        ({"venue_area": "Atlantis"}, "venue_area"),
        ({"venue_latitude": "north"}, "venue_latitude"),
    ],
)
def test_each_kind_of_bad_cell_is_an_error_naming_its_row_and_column(directory, change, column):
    hub = directory["hub"]
    rows = rows_of(export_text(hub))
    index, row = next((i, r) for i, r in enumerate(rows) if r["name"] == "Cuppa and Chat")
    row.update(change)
    result = plan(hub, to_csv(rows))
    assert len(result.errors) == 1, result.errors
    problem = result.errors[0]
    assert (problem.row, problem.column) == (index + 2, column)
    where = f"Row {index + 2}" + (f" ({row['name']})" if row["name"] else "")
    where += f", column '{column}'" if column else ""
    assert str(problem).startswith(where + ": ")


def test_a_listing_of_another_organisation_is_refused(directory):
    other = GroupFactory(organisation=OrganisationFactory(name="Other"), name="Theirs")
    text = to_csv([{"id": str(other.uuid), "name": "Theirs"}])
    result = plan(directory["hub"], text)
    assert str(result.errors[0]) == (
        "Row 2 (Theirs), column 'id': That listing belongs to another organisation."
    )


def test_the_same_listing_twice_is_an_error(directory):
    text = to_csv([{"name": "Buggy Walk"}, {"name": "buggy walk"}])
    result = plan(directory["hub"], text)
    assert [str(problem) for problem in result.errors] == [
        "Row 3 (buggy walk), column 'name': This listing is already on row 2."
    ]


def test_a_venue_described_two_ways_is_an_error(directory):
    hub = directory["hub"]
    VenueFactory(organisation=hub, name="Hall", town="Keith", area=directory["areas"][0])
    hall = {"venue_name": "Hall", "venue_town": "Keith"}
    text = to_csv(
        [
            {"name": "Buggy Walk", **hall, "venue_postcode": "AB55 1AA"},
            {"name": "Cuppa and Chat", **hall, "venue_postcode": "AB55 9ZZ"},
        ]
    )
    result = plan(hub, text)
    assert [str(problem) for problem in result.errors] == [
        "Row 3 (Cuppa and Chat), column 'venue_postcode': The venue “Hall, Keith” is "
        "described differently on row 2."
    ]


def test_unknown_columns_stop_the_whole_file(directory):
    result = plan(directory["hub"], "name,nmae\nA,B\n")
    assert [str(problem) for problem in result.errors] == [
        "Row 1, column 'nmae': There is no column called that."
    ]
    assert result.rows == []


def test_absent_columns_keep_what_is_stored(directory):
    hub, cuppa = directory["hub"], directory["cuppa"]
    result = plan(hub, to_csv([{"id": str(cuppa.uuid), "name": "Cuppa and Chat"}]))
    assert result.errors == []
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 1}


def test_a_schedule_without_a_first_date_keeps_the_stored_one(directory):
    walk = directory["walk"]
    schedule = walk.schedules.get()
    line = csv_io.schedule_line(csv_io.stored_schedule(schedule)).replace(
        f", from {schedule.starts_on}", ""
    )
    result = plan(walk.organisation, to_csv([{"name": "Buggy Walk", "schedules": line}]))
    assert result.counts["unchanged"] == 1


def test_dates_in_day_month_year_are_read(directory):
    walk = directory["walk"]
    row = {"name": "Buggy Walk", "last_confirmed": "31/01/2025"}
    result = plan(walk.organisation, to_csv([row]))
    assert result.rows[0].last_confirmed == datetime.date(2025, 1, 31)


def test_past_extra_dates_are_left_alone(directory):
    cuppa = directory["cuppa"]
    past = cuppa.extra_sessions.create(
        date=days_from_today(-30), start_time=datetime.time(10), end_time=datetime.time(11)
    )
    result = plan(cuppa.organisation, to_csv([{"name": "Cuppa and Chat", "extra_dates": ""}]))
    assert result.counts["changed"] == 1
    csv_io.apply_plan(result, timezone.localdate())
    assert list(cuppa.extra_sessions.all()) == [past]


def test_a_weekly_schedule_at_an_existing_venue_by_any_case(directory):
    hub = directory["hub"]
    line = "every wednesday, 9.30 - 10.30, at CAFE,  elgin"
    result = plan(hub, to_csv([{"name": "Buggy Walk", "schedules": line}]))
    assert result.errors == []
    change = result.rows[0].changes[0]
    assert change.after.startswith("Every Wednesday, 09:30-10:30, from ")
    assert change.after.endswith(", at Cafe, Elgin")


def test_an_import_counts_as_a_check_so_imported_listings_are_not_out_of_date(directory):
    walk = directory["walk"]
    Group.objects.filter(pk=walk.pk).update(last_confirmed=None)
    result = plan(walk.organisation, to_csv([{"name": "Buggy Walk", "summary": walk.summary}]))
    assert result.rows[0].last_confirmed == timezone.localdate()


@pytest.mark.parametrize(
    "note, problem",
    [("Hall \x1b[31mclosed", "hidden characters"), ("x" * 201, "at most 200 characters")],
)
def test_a_note_with_hidden_characters_or_too_long_is_refused_with_its_row(
    directory, note, problem
):
    hub = directory["hub"]
    rows = rows_of(export_text(hub))
    cuppa = next(row for row in rows if row["name"] == "Cuppa and Chat")
    cuppa["cancellations"] = f"{days_from_today(9)}; note: {note}"
    result = plan(hub, to_csv(rows))
    assert [(p.column, problem in p.message) for p in result.errors] == [("cancellations", True)]
    assert result.counts["changed"] == 0


def test_an_empty_column_without_a_heading_is_ignored_and_a_used_one_explained(directory):
    walk = directory["walk"]
    trailing = "name,summary,\nBuggy Walk,A walk,\n"
    assert plan(walk.organisation, trailing).errors == []
    used = "name,summary,\nBuggy Walk,A walk,surprise\n"
    assert [str(p) for p in plan(walk.organisation, used).errors] == [
        "Row 2: Column 3 has no heading, but this row uses it."
    ]


def test_a_file_full_of_problems_lists_the_first_fifty(directory):
    hub = directory["hub"]
    too_wide = "name,summary\n" + "a,b,c\n" * 300_000
    errors = [str(p) for p in plan(hub, too_wide).errors]
    assert len(errors) == csv_io.MAX_PROBLEMS + 1
    assert errors[-1] == "There may be more: these are the first 50."
    too_long = "name,summary\n" + ",x\n" * 300_000
    assert [str(p) for p in plan(hub, too_long).errors] == [
        "The file has over 2000 rows; import at most that many at a time."
    ]


def test_of_two_columns_without_headings_the_one_a_row_uses_is_named(directory):
    walk = directory["walk"]
    second_used = "name,,summary,\nBuggy Walk,,A walk,surprise\n"
    assert [str(p) for p in plan(walk.organisation, second_used).errors] == [
        "Row 2: Column 4 has no heading, but this row uses it."
    ]
