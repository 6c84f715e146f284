"""The directory as a spreadsheet (CSV), out and back in.

One row per group: its own fields, when it meets (one schedule, extra date, cancellation or
break per line inside a cell, in plain words) and one venue's details. Export and import share
one encoding, so importing an export changes nothing.

An import is planned before anything is written: each row is read, checked with the forms
organisers use, and compared with what is stored, cell by cell in the export's encoding. The
moderator sees the plan (new, changed and unchanged rows with each change) and every error with
its row as the spreadsheet numbers it (the header is row 1; a cell's line breaks do not count),
its column and its listing; a plan is applied only when it has no error at all, in one transaction.

Schedules are the group's full set (an import replaces them); extra dates, cancellations and
breaks count from today on, since earlier ones are history and are left alone.
"""

import csv
import datetime
import io
import re
import uuid
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Prefetch

from directory.manage.forms import GroupForm, VenueForm
from directory.models import (
    Area,
    Audience,
    Cancellation,
    ExtraSession,
    Group,
    Schedule,
    Topic,
    Venue,
)
from directory.recurrence import DAY_NAMES
from directory.timetable import rebuild_sessions
from moray_peer import spreadsheets
from moray_peer.text import has_control_characters

# The upload travels back, signed, in the preview page: it must stay well within Django's
# 2.5 MB limit on a form's size.
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
# A file with more problems than this is not worth listing them all: fix these first.
MAX_PROBLEMS = 50


def _by_kind(model, names):
    """A model's content fields split into yes-or-no flags, choices and text."""
    fields = [model._meta.get_field(name) for name in names]
    flags = [f.name for f in fields if isinstance(f, models.BooleanField)]
    choices = [f.name for f in fields if f.choices and f.name not in flags]
    text = [f.name for f in fields if f.name not in flags + choices]
    return flags, choices, text


GROUP_FLAGS, GROUP_CHOICES, GROUP_TEXT = _by_kind(Group, Group.CONTENT_FIELDS)
FACETS = {"topics": Topic, "audiences": Audience}
MEETINGS = ["schedules", "extra_dates", "cancellations", "breaks"]
VENUE_FLAGS = ["agreed_place", *Venue.FEATURES]
# The file's venue columns, in this order; the text among them is what the CSV escapes.
VENUE_FIELDS = [
    "name",
    "agreed_place",
    "address",
    "town",
    "postcode",
    "area",
    "latitude",
    "longitude",
    *VENUE_FLAGS[1:],
    "accessibility_notes",
    "directions",
]
VENUE_TEXT = [n for n in VENUE_FIELDS if n not in {*VENUE_FLAGS, "area", "latitude", "longitude"}]
VENUE_COLUMNS = [f"venue_{name}" for name in VENUE_FIELDS]

COLUMNS = [
    "id",
    "organisation",
    "status",
    "name",
    "summary",
    "description",
    "what_to_expect",
    *GROUP_FLAGS,
    *GROUP_CHOICES,
    "cost",
    *FACETS,
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "booking_url",
    "last_confirmed",
    *MEETINGS,
    *VENUE_COLUMNS,
]
TEXT_COLUMNS = {*GROUP_TEXT, *(f"venue_{name}" for name in VENUE_TEXT)}
YES, NO = "yes", "no"
BOOLEANS = {"yes": True, "y": True, "true": True, "1": True}
BOOLEANS |= {"no": False, "n": False, "false": False, "0": False, "": False}
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
DATE = r"[0-9/-]+"
TIMES = r"(?P<start>\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(?P<end>\d{1,2}[:.]\d{2})"
PLACE = r",\s*(?:at\s+(?P<venue>.+?)|(?P<online>online))\s*"
TERM_TIME = r"not\s+in\s+(?:the\s+)?school\s+holidays"
SCHEDULE_LINE = re.compile(
    rf"(?P<when>[^,]+),\s*{TIMES}(?:,\s*from\s+(?P<first>{DATE}))?"
    rf"(?:,\s*until\s+(?P<last>{DATE}))?(?P<term>,\s*{TERM_TIME})?{PLACE}",
    re.I,
)
WEEKLY = re.compile(r"every\s+(?P<other>other\s+)?(?P<day>[a-z]+)", re.I)
MONTHLY = re.compile(
    r"(?P<nth>first|second|third|fourth|last)\s+(?P<day>[a-z]+)\s+of\s+the\s+month", re.I
)
EXTRA_LINE = re.compile(rf"(?P<date>{DATE}),\s*{TIMES}{PLACE}", re.I)
BREAK_LINE = re.compile(rf"(?P<first>{DATE})\s+to\s+(?P<last>{DATE})", re.I)
NOTE = re.compile(r";\s*note:\s*", re.I)


# The longest note a cancellation, break or extra date keeps (each model's field is this long).
NOTE_LENGTH = Cancellation._meta.get_field("note").max_length


class RowError(Exception):
    """Problems with one row: (column, message) pairs, column "" for the row as a whole."""

    def __init__(self, message="", column="", problems=None):
        super().__init__(message)
        self.problems = problems or [(column, message)]


@dataclass(frozen=True)
class Problem:
    """What a moderator is told: a spreadsheet row (None for the whole file), the column, the
    listing the row names, and what is wrong."""

    row: int | None
    message: str
    column: str = ""
    listing: str = ""

    def __str__(self):
        if self.row is None:
            return self.message
        where = f"Row {self.row}"
        if self.listing:
            where += f" ({self.listing})"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


# --- One encoding for stored and imported data ------------------------------------------


@dataclass
class Meeting:
    """A schedule (frequency set) or an extra date (date set); venue as "name, town"."""

    start: datetime.time
    end: datetime.time
    venue: str | None = None
    frequency: str = ""
    weekday: int = 0
    week_of_month: int | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    date: datetime.date | None = None
    note: str = ""
    term_time_only: bool = False

    def schedule_key(self):
        return (
            self.frequency,
            self.weekday,
            self.week_of_month,
            self.start,
            self.end,
            self.term_time_only,
        )


def text(value):
    """Stored text as a cell, with one kind of line break whichever browser typed it."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def flag(value):
    return YES if value else NO


def iso(value):
    return value.isoformat() if value else ""


def clock(value):
    return value.strftime("%H:%M")


def one_line(value):
    return " ".join((value or "").split())


def venue_label(venue):
    return f"{venue.name}, {venue.town}" if venue else None


def venue_key(label):
    return one_line(label).lower()


def place(label):
    return f", at {label}" if label else ", online"


def with_note(line, note):
    return f"{line}; note: {one_line(note)}" if one_line(note) else line


def schedule_line(m):
    day = DAY_NAMES[m.weekday]
    if m.frequency == Schedule.Frequency.MONTHLY:
        when = f"{ORDINALS[m.week_of_month or 1]} {day} of the month"
    elif m.frequency == Schedule.Frequency.FORTNIGHTLY:
        when = f"Every other {day}"
    else:
        when = f"Every {day}"
    line = f"{when}, {clock(m.start)}-{clock(m.end)}, from {iso(m.starts_on)}"
    if m.ends_on:
        line += f", until {iso(m.ends_on)}"
    if m.term_time_only:
        line += ", not in the school holidays"
    return line + place(m.venue)


def extra_line(m):
    return with_note(f"{iso(m.date)}, {clock(m.start)}-{clock(m.end)}{place(m.venue)}", m.note)


def meeting_cells(schedules, extras, cancellations, breaks):
    """The four meeting columns: lists of Meetings, (date, note) and (first, last, note)."""
    schedules = sorted(schedules, key=lambda m: (m.weekday, m.start, m.starts_on, m.frequency))
    extras = sorted(extras, key=lambda m: (m.date, m.start, m.venue or ""))
    return {
        "schedules": "\n".join(schedule_line(m) for m in schedules),
        "extra_dates": "\n".join(extra_line(m) for m in extras),
        "cancellations": "\n".join(
            with_note(iso(day), note) for day, note in sorted(cancellations)
        ),
        "breaks": "\n".join(
            with_note(f"{iso(first)} to {iso(last)}", note) for first, last, note in sorted(breaks)
        ),
    }


def facet_names(items):
    return "; ".join(item.name for item in sorted(items, key=lambda i: (i.order, i.name)))


def venue_cells(venue):
    cells = {f"venue_{name}": text(getattr(venue, name)) for name in VENUE_TEXT}
    cells |= {f"venue_{name}": flag(getattr(venue, name)) for name in VENUE_FLAGS}
    cells["venue_area"] = venue.area.name
    for name in ("latitude", "longitude"):
        value = getattr(venue, name)
        cells[f"venue_{name}"] = "" if value is None else f"{value:.5f}"
    return cells


def stored_schedule(schedule):
    return Meeting(
        schedule.start_time,
        schedule.end_time,
        venue_label(schedule.venue),
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        week_of_month=schedule.week_of_month
        if schedule.frequency == Schedule.Frequency.MONTHLY
        else None,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        term_time_only=schedule.term_time_only,
    )


def stored_extra(extra):
    return Meeting(
        extra.start_time, extra.end_time, venue_label(extra.venue), date=extra.date, note=extra.note
    )


@dataclass
class Meetings:
    """A row's four meeting columns: Meetings, (date, note) and (first, last, note) tuples."""

    schedules: list
    extras: list
    cancellations: list
    breaks: list


def stored_meetings(group, today):
    """What a group's meeting columns hold (its relations prefetched by export_groups)."""
    return Meetings(
        [stored_schedule(s) for s in group.schedules.all()],
        [stored_extra(e) for e in group.extra_sessions.all() if e.date >= today],
        [(c.date, c.note) for c in group.cancellations.all() if c.date >= today],
        [(p.starts_on, p.ends_on, p.note) for p in group.pauses.all() if p.ends_on >= today],
    )


def group_cells(group, today):
    """A stored group as a row of cells."""
    meetings = stored_meetings(group, today)
    cells = {
        "id": str(group.uuid),
        "organisation": group.organisation.slug,
        "status": group.status,
        **{name: text(getattr(group, name)) for name in GROUP_TEXT},
        **{name: flag(getattr(group, name)) for name in GROUP_FLAGS},
        **{name: getattr(group, name) for name in GROUP_CHOICES},
        **{name: facet_names(getattr(group, name).all()) for name in FACETS},
        "last_confirmed": iso(group.last_confirmed),
        **meeting_cells(
            meetings.schedules, meetings.extras, meetings.cancellations, meetings.breaks
        ),
    }
    # The row describes the first venue the group meets at; others are named in the meetings.
    venues = group.current_venues(today)
    cells |= venue_cells(venues[0]) if venues else dict.fromkeys(VENUE_COLUMNS, "")
    return cells


# --- Export -----------------------------------------------------------------------------


def export_groups(organisation=None):
    """Every group whatever its status, with what its row needs, in a fixed number of queries."""
    groups = Group.objects.select_related("organisation").prefetch_related(
        "topics",
        "audiences",
        Prefetch("schedules", queryset=Schedule.objects.select_related("venue__area")),
        Prefetch("extra_sessions", queryset=ExtraSession.objects.select_related("venue__area")),
        "cancellations",
        "pauses",
    )
    if organisation is not None:
        groups = groups.filter(organisation=organisation)
    return groups.order_by("organisation__name", "name", "pk")


def defuse_cell(column, value):
    return spreadsheets.defuse(value) if column in TEXT_COLUMNS else value


def write_csv(groups, today, out):
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for group in groups:
        cells = group_cells(group, today)
        writer.writerow([defuse_cell(column, cells[column]) for column in COLUMNS])


# --- Reading cells ----------------------------------------------------------------------


def parse_date(value, column):
    value = value.strip()
    # Spreadsheets often rewrite 2025-03-31 as 31/03/2025 when they save.
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise RowError(f"“{value}” is not a date. Write it like 2025-03-31.", column)


def parse_time(value, column):
    try:
        return datetime.datetime.strptime(value.replace(".", ":"), "%H:%M").time()
    except ValueError as exc:
        raise RowError(f"“{value}” is not a time. Write it like 09:30.", column) from exc


def parse_day(value, column):
    for number, name in enumerate(DAY_NAMES):
        if value.lower() in (name.lower(), name[:3].lower()):
            return number
    raise RowError(f"“{value}” is not a day of the week.", column)


def parse_schedule(line):
    column = "schedules"
    match = SCHEDULE_LINE.fullmatch(line)
    if not match:
        raise RowError(
            f"“{line}” is not a schedule we understand. Write it like “Every "
            "Tuesday, 10:00-11:30, from 2025-01-07, at Town Hall, Elgin”, “Every other "
            "Monday, …” or “First Friday of the month, …, online”.",
            column,
        )
    when = match["when"].strip()
    if weekly := WEEKLY.fullmatch(when):
        frequency = Schedule.Frequency.FORTNIGHTLY if weekly["other"] else Schedule.Frequency.WEEKLY
        weekday, week_of_month = parse_day(weekly["day"], column), None
    elif monthly := MONTHLY.fullmatch(when):
        frequency = Schedule.Frequency.MONTHLY
        weekday = parse_day(monthly["day"], column)
        week_of_month = next(
            n for n, word in ORDINALS.items() if word.lower() == monthly["nth"].lower()
        )
    else:
        raise RowError(
            f"“{when}” should read like “Every Tuesday”, “Every other Tuesday” or "
            "“Last Tuesday of the month”.",
            column,
        )
    meeting = Meeting(
        parse_time(match["start"], column),
        parse_time(match["end"], column),
        None if match["online"] else one_line(match["venue"]),
        frequency=frequency,
        weekday=weekday,
        week_of_month=week_of_month,
        starts_on=parse_date(match["first"], column) if match["first"] else None,
        ends_on=parse_date(match["last"], column) if match["last"] else None,
        term_time_only=bool(match["term"]),
    )
    if meeting.starts_on and meeting.ends_on and meeting.ends_on < meeting.starts_on:
        raise RowError(f"In “{line}” the last date is before the first.", column)
    return check_times(meeting, line, column)


def split_note(line, column):
    """A meeting line and its note, the note held to what a note on the site may be: one line
    of at most NOTE_LENGTH characters (parents see it, and calendars carry it)."""
    parts = NOTE.split(line, maxsplit=1)
    note = one_line(parts[1]) if len(parts) > 1 else ""
    if has_control_characters(note):
        raise RowError(f"The note in “{line}” has hidden characters: take them out.", column)
    if len(note) > NOTE_LENGTH:
        raise RowError(f"A note can be at most {NOTE_LENGTH} characters.", column)
    return parts[0].strip(), note


def parse_extra(line):
    column = "extra_dates"
    body, note = split_note(line, column)
    match = EXTRA_LINE.fullmatch(body)
    if not match:
        raise RowError(
            f"“{line}” is not an extra date we understand. Write it like "
            "“2025-04-05, 10:00-12:00, at Town Hall, Elgin; note: Easter special”.",
            column,
        )
    meeting = Meeting(
        parse_time(match["start"], column),
        parse_time(match["end"], column),
        None if match["online"] else one_line(match["venue"]),
        date=parse_date(match["date"], column),
        note=note,
    )
    return check_times(meeting, line, column)


def check_times(meeting, line, column):
    if meeting.end <= meeting.start:
        raise RowError(f"In “{line}” the finish time is not after the start.", column)
    return meeting


def parse_cancellation(line):
    body, note = split_note(line, "cancellations")
    return parse_date(body, "cancellations"), note


def parse_break(line):
    body, note = split_note(line, "breaks")
    match = BREAK_LINE.fullmatch(body)
    if not match:
        raise RowError(
            f"“{line}” is not a break we understand. Write it like "
            "“2025-07-01 to 2025-08-15; note: Summer holidays”.",
            "breaks",
        )
    first, last = parse_date(match["first"], "breaks"), parse_date(match["last"], "breaks")
    if last < first:
        raise RowError(f"In “{line}” the last day is before the first.", "breaks")
    return first, last, note


def cell_lines(cell):
    return [line.strip() for line in cell.splitlines() if line.strip()]


def read_flag(row, column, current):
    if column not in row:
        return current
    value = row[column].strip().lower()
    if value not in BOOLEANS:
        raise RowError(f"Write yes or no, not “{row[column]}”.", column)
    return BOOLEANS[value]


def find_choice(word, items):
    word = word.strip().lower()
    return next((item for item in items if word in (item.slug, item.name.lower())), None)


def read_facets(row, column, items, current):
    if column not in row:
        return [item.pk for item in current]
    chosen = []
    for word in filter(None, (part.strip() for part in row[column].split(";"))):
        item = find_choice(word, items)
        if item is None:
            names = ", ".join(i.name for i in items)
            raise RowError(f"“{word}” is not one of ours ({names}).", column)
        chosen.append(item.pk)
    return chosen


def form_problems(form, prefix=""):
    """A form's errors as a RowError, each under the column of its field."""
    return RowError(
        problems=[
            ("" if name == "__all__" else prefix + name, " ".join(errors))
            for name, errors in form.errors.items()
        ]
    )


# --- Planning an import -----------------------------------------------------------------


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class RowPlan:
    row: int
    name: str
    group: Group | None
    group_data: dict
    status: str
    last_confirmed: datetime.date | None
    meetings: Meetings
    changes: list = field(default_factory=list)
    venue_key: str = ""
    venue_data: dict | None = None

    @property
    def action(self):
        if self.group is None:
            return "new"
        return "changed" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    organisation: object
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def add_errors(self, number, row, error):
        self.errors += [
            Problem(number, message, column, listing_name(row))
            for column, message in error.problems
        ]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in ("new", "changed", "unchanged")}

    @property
    def has_changes(self):
        return any(row.action != "unchanged" for row in self.rows)


def decode(data):
    """Uploaded bytes as text: UTF-8, with or without the byte-order mark spreadsheets add."""
    if len(data) > MAX_BYTES:
        raise RowError(f"The file is larger than {MAX_BYTES // 1_000_000} MB: split it up.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RowError("The file is not UTF-8 text: save it as “CSV UTF-8”.") from exc


def listing_name(row):
    return one_line(row.get("name", ""))


def read_rows(content):
    """[(spreadsheet row number, {column: cell})], and Problems. Rows are numbered as a
    spreadsheet shows them: the header is row 1 and a cell's line breaks start no new row."""
    reader = csv.reader(io.StringIO(content))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [Problem(None, "The file is empty.")]
    except csv.Error as exc:
        return [], [Problem(1, f"The file is not CSV we can read ({exc}).")]
    # A column with no heading (a spreadsheet's trailing comma) is fine while it is empty.
    unnamed = [index for index, name in enumerate(header) if not name]
    problems = [
        Problem(1, "There is no column called that.", column=name)
        for name in header
        if name and name not in COLUMNS
    ]
    problems += [
        Problem(1, "This column is there twice.", column=name)
        for name in sorted(set(header))
        if name and header.count(name) > 1
    ]
    if "name" not in header:
        problems.append(Problem(1, "There is no “name” column."))
    if problems:
        return [], problems
    rows, number = [], 1
    try:
        for number, cells in enumerate(reader, start=2):
            if len(rows) > MAX_ROWS or len(problems) >= MAX_PROBLEMS:
                break
            if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
                problems.append(Problem(number, "This row has more cells than there are columns."))
            elif used := [i for i in unnamed if i < len(cells) and cells[i].strip()]:
                column = used[0] + 1
                problems.append(
                    Problem(number, f"Column {column} has no heading, but this row uses it.")
                )
            elif any(cell.strip() for cell in cells):
                cells = cells + [""] * (len(header) - len(cells))
                row = {
                    name: spreadsheets.undefuse(cell.replace("\r\n", "\n"))
                    for name, cell in zip(header, cells, strict=False)
                }
                rows.append((number, row))
    except csv.Error as exc:
        return [], [Problem(number + 1, f"The CSV is malformed here ({exc}).")]
    if len(rows) > MAX_ROWS:
        return [], [
            Problem(None, f"The file has over {MAX_ROWS} rows; import at most that many at a time.")
        ]
    return rows, problems


class Planner:
    """Plans the rows of one file for one organisation."""

    def __init__(self, organisation, today):
        self.organisation = organisation
        self.today = today
        self.topics = list(Topic.objects.all())
        self.audiences = list(Audience.objects.all())
        self.areas = list(Area.objects.filter(is_online=False))
        self.venues = {
            venue_key(venue_label(v)): v for v in organisation.venues.select_related("area")
        }
        # Venues described in the file: key -> (label, their venue form data, first row).
        self.described = {}
        self.groups_seen = {}

    def plan(self, rows):
        plan = ImportPlan(self.organisation)
        for number, row in rows:
            try:
                self.describe_venue(row, number)
            except RowError as error:
                plan.add_errors(number, row, error)
        broken = {problem.row for problem in plan.errors}
        for number, row in rows:
            if number in broken:
                continue
            try:
                plan.rows.append(self.plan_row(number, row))
            except RowError as error:
                plan.add_errors(number, row, error)
        return plan

    # Venues -----------------------------------------------------------------------------

    def describe_venue(self, row, number):
        name = row.get("venue_name", "").strip()
        if not name:
            return
        label = f"{one_line(name)}, {one_line(row.get('venue_town', ''))}"
        key = venue_key(label)
        venue = self.venues.get(key) or Venue(organisation=self.organisation)
        # Checked on a blank instance: a form fills in the instance it checks.
        form = VenueForm(data=self.venue_data(row, venue), instance=Venue())
        if not form.is_valid():
            raise form_problems(form, prefix="venue_")
        data = {name: form.cleaned_data[name] for name in VENUE_FIELDS}
        if key in self.described and self.described[key][1] != data:
            first_data, first_row = self.described[key][1], self.described[key][2]
            message = f"The venue “{label}” is described differently on row {first_row}."
            raise RowError(
                problems=[
                    (f"venue_{name}", message)
                    for name in VENUE_FIELDS
                    if data[name] != first_data[name]
                ]
            )
        self.described.setdefault(key, (label, data, number))

    def venue_data(self, row, venue):
        data = {"version": venue.version}
        for name in VENUE_FIELDS:
            column = f"venue_{name}"
            if name in VENUE_FLAGS:
                data[name] = read_flag(row, column, getattr(venue, name))
            elif column not in row:
                data[name] = getattr(venue, f"{name}_id" if name == "area" else name)
            elif name == "area":
                area = find_choice(row[column], self.areas)
                if area is None:
                    raise RowError(f"“{row[column]}” is not one of our areas.", column)
                data[name] = area.pk
            else:
                data[name] = row[column].strip()
        return data

    def venue_label(self, label, column):
        """The label of the venue a meeting in `column` names, as it is (or will be) stored."""
        if label is None:
            return None
        key = venue_key(label)
        if key in self.described:
            return self.described[key][0]
        if key in self.venues:
            return venue_label(self.venues[key])
        raise RowError(
            f"There is no venue “{label}” at {self.organisation.name}. Describe it in the venue "
            "columns of a row, or add it first.",
            column,
        )

    # Groups -----------------------------------------------------------------------------

    def plan_row(self, number, row):
        group = self.find_group(row)
        seen_as = group.pk if group else one_line(row["name"]).lower()
        if seen_as in self.groups_seen:
            raise RowError(
                f"This listing is already on row {self.groups_seen[seen_as]}.",
                "id" if row.get("id", "").strip() else "name",
            )
        self.groups_seen[seen_as] = number
        slug = row.get("organisation", "").strip()
        if slug and slug != self.organisation.slug:
            raise RowError(
                f"This row is for “{slug}”, not {self.organisation.slug}.", "organisation"
            )
        stored = export_groups().get(pk=group.pk) if group else None
        form = GroupForm(data=self.group_data(row, stored), instance=Group())
        if not form.is_valid():
            raise form_problems(form)
        plan = RowPlan(
            row=number,
            name=form.cleaned_data["name"],
            group=group,
            group_data={name: form.cleaned_data[name] for name in form.content_fields()},
            status=self.status(row, stored),
            last_confirmed=self.last_confirmed(row, stored),
            meetings=self.meetings(row, stored),
        )
        before = group_cells(stored, self.today) if stored else {}
        plan.changes = [
            Change(column, before.get(column, ""), value)
            for column, value in self.planned_cells(plan).items()
            if value != before.get(column, "")
        ]
        plan.changes += self.venue_changes(plan, row)
        return plan

    def find_group(self, row):
        identifier = row.get("id", "").strip()
        if identifier:
            try:
                group = Group.objects.filter(uuid=uuid.UUID(identifier)).first()
            except ValueError:
                group = None
            if group is None:
                raise RowError(f"There is no listing with the id “{identifier}”.", "id")
            if group.organisation_id != self.organisation.pk:
                raise RowError("That listing belongs to another organisation.", "id")
            return group
        same_name = list(self.organisation.groups.filter(name__iexact=row["name"].strip())[:2])
        return same_name[0] if len(same_name) == 1 else None

    def group_data(self, row, stored):
        """The organisers' group form data: the row's cells, stored values for absent columns."""
        instance = stored or Group()
        data = {"version": instance.version}
        for name in GROUP_TEXT + GROUP_CHOICES:
            data[name] = row[name].strip() if name in row else getattr(instance, name)
        for name in GROUP_FLAGS:
            data[name] = read_flag(row, name, getattr(instance, name))
        data["topics"] = read_facets(
            row, "topics", self.topics, stored.topics.all() if stored else []
        )
        data["audiences"] = read_facets(
            row, "audiences", self.audiences, stored.audiences.all() if stored else []
        )
        return data

    @staticmethod
    def status(row, stored):
        value = row.get("status", "").strip().lower()
        if not value:
            return stored.status if stored else Group.Status.DRAFT
        if value not in Group.Status.values:
            raise RowError(f"Write one of {', '.join(Group.Status.values)}.", "status")
        return value

    def last_confirmed(self, row, stored):
        """The row's own date if it gives one; otherwise the import itself is the check, so
        an imported listing does not show parents "may be out of date" at once."""
        value = row.get("last_confirmed", "").strip()
        return parse_date(value, "last_confirmed") if value else self.today

    def meetings(self, row, stored):
        """The four meeting columns as they will be; an absent column keeps what is stored."""
        kept = stored_meetings(stored, self.today) if stored else Meetings([], [], [], [])
        meetings = Meetings(kept.schedules, kept.extras, kept.cancellations, kept.breaks)
        if "schedules" in row:
            meetings.schedules = [parse_schedule(line) for line in cell_lines(row["schedules"])]
        if "extra_dates" in row:
            meetings.extras = [parse_extra(line) for line in cell_lines(row["extra_dates"])]
        if "cancellations" in row:
            meetings.cancellations = [
                parse_cancellation(line) for line in cell_lines(row["cancellations"])
            ]
        if "breaks" in row:
            meetings.breaks = [parse_break(line) for line in cell_lines(row["breaks"])]
        for meeting in meetings.schedules:
            meeting.venue = self.venue_label(meeting.venue, "schedules")
        for meeting in meetings.extras:
            meeting.venue = self.venue_label(meeting.venue, "extra_dates")
        for meeting in meetings.schedules:
            if meeting.starts_on is None:
                # No first date: keep the stored one of the same rule, or start today.
                same = next(
                    (m for m in kept.schedules if m.schedule_key() == meeting.schedule_key()), None
                )
                meeting.starts_on = same.starts_on if same else self.today
        days = [day for day, _ in meetings.cancellations]
        if len(days) != len(set(days)):
            raise RowError("A date is there twice.", "cancellations")
        return meetings

    def planned_cells(self, plan):
        """The row's group columns as they will be stored, in the export's encoding."""
        data, m = plan.group_data, plan.meetings
        return {
            "organisation": self.organisation.slug,
            "status": plan.status,
            **{name: text(data[name]) for name in GROUP_TEXT},
            **{name: flag(data[name]) for name in GROUP_FLAGS},
            **{name: data[name] for name in GROUP_CHOICES},
            **{name: facet_names(data[name]) for name in FACETS},
            "last_confirmed": iso(plan.last_confirmed),
            **meeting_cells(m.schedules, m.extras, m.cancellations, m.breaks),
        }

    def venue_changes(self, plan, row):
        """The row's venue columns describe one venue: compared with it as stored, if it is."""
        name = row.get("venue_name", "").strip()
        if not name:
            return []
        key = venue_key(f"{one_line(name)}, {one_line(row.get('venue_town', ''))}")
        plan.venue_key, plan.venue_data = key, self.described[key][1]
        after = venue_cells(Venue(**plan.venue_data))
        before = venue_cells(self.venues[key]) if key in self.venues else {}
        return [
            Change(column, before.get(column, ""), value)
            for column, value in after.items()
            if value != before.get(column, "")
        ]


def plan_import(organisation, content, today):
    """Read `content` (CSV text) as rows for `organisation` and plan every change."""
    rows, problems = read_rows(content)
    plan = Planner(organisation, today).plan(rows)
    errors = sorted(problems + plan.errors, key=lambda problem: problem.row or 0)
    if len(errors) >= MAX_PROBLEMS:
        errors = errors[:MAX_PROBLEMS]
        errors.append(Problem(None, f"There may be more: these are the first {MAX_PROBLEMS}."))
    plan.errors = errors
    return plan


# --- Applying a plan --------------------------------------------------------------------


@transaction.atomic
def apply_plan(plan, today):
    """Write a plan that has no errors."""
    if plan.errors:
        raise ValueError("A plan with errors is never applied.")
    organisation = plan.organisation
    venues = {venue_key(venue_label(v)): v for v in organisation.venues.all()}
    for row in plan.rows:
        if row.venue_data is not None and any(c.column.startswith("venue_") for c in row.changes):
            venues[row.venue_key] = save_venue(venues.get(row.venue_key), organisation, row)
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        group = save_group(row, organisation)
        sync_meetings(group, row.meetings, venues, today)
        rebuild_sessions(group, today=today)


def save_venue(venue, organisation, row):
    if venue is None:
        venue = Venue(organisation=organisation)
    else:
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
        venue.version += 1
    for name, value in row.venue_data.items():
        setattr(venue, name, value)
    venue.save()
    return venue


def save_group(row, organisation):
    if row.group is None:
        group = Group(organisation=organisation)
    else:
        group = Group.objects.select_for_update().get(pk=row.group.pk)
        # Organisers editing the listing now will be told it changed under them.
        group.version += 1
    for name, value in row.group_data.items():
        if name not in FACETS:
            setattr(group, name, value)
    group.status = row.status
    group.last_confirmed = row.last_confirmed
    group.save()
    group.topics.set(row.group_data["topics"])
    group.audiences.set(row.group_data["audiences"])
    return group


def sync_meetings(group, meetings, venues, today):
    """Make the group's stored meetings the planned ones, keeping those that stay the same
    (so their ids, and the feed's, stay the same too)."""

    def venue_of(label):
        return venues[venue_key(label)] if label else None

    wanted = [schedule_line(m) for m in meetings.schedules]
    for schedule in group.schedules.select_related("venue"):
        line = schedule_line(stored_schedule(schedule))
        if line in wanted:
            wanted.remove(line)
        else:
            schedule.delete()
    for m in meetings.schedules:
        if schedule_line(m) in wanted:
            wanted.remove(schedule_line(m))
            group.schedules.create(
                frequency=m.frequency,
                weekday=m.weekday,
                week_of_month=m.week_of_month,
                start_time=m.start,
                end_time=m.end,
                starts_on=m.starts_on,
                ends_on=m.ends_on,
                term_time_only=m.term_time_only,
                venue=venue_of(m.venue),
            )

    wanted = [extra_line(m) for m in meetings.extras]
    for extra in group.extra_sessions.filter(date__gte=today).select_related("venue"):
        line = extra_line(stored_extra(extra))
        if line in wanted:
            wanted.remove(line)
        else:
            extra.delete()
    for m in meetings.extras:
        if extra_line(m) in wanted:
            wanted.remove(extra_line(m))
            group.extra_sessions.create(
                date=m.date,
                start_time=m.start,
                end_time=m.end,
                venue=venue_of(m.venue),
                note=m.note,
            )

    notes = dict(meetings.cancellations)
    for cancellation in group.cancellations.filter(date__gte=today):
        if cancellation.date not in notes:
            cancellation.delete()
            continue
        note = notes.pop(cancellation.date)
        if cancellation.note != note:
            cancellation.note = note
            cancellation.save()
    for day, note in notes.items():
        group.cancellations.create(date=day, note=note)

    breaks = {(first, last): note for first, last, note in meetings.breaks}
    for pause in group.pauses.filter(ends_on__gte=today):
        key = (pause.starts_on, pause.ends_on)
        if key not in breaks:
            pause.delete()
        else:
            note = breaks.pop(key)
            if pause.note != note:
                pause.note = note
                pause.save()
    for (first, last), note in breaks.items():
        group.pauses.create(starts_on=first, ends_on=last, note=note)
