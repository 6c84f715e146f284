"""Every write that changes when a group meets, and the rebuild of its stored sessions.

Organisers describe when a group meets as rules (schedules) with breaks, cancelled dates and
extra dates; each change goes through here and ends with `rebuild_sessions`, which expands
them into stored `Session` rows for the next six months.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory.models import Cancellation, Group, Schedule, Session, SessionConfirmation
from directory.recurrence import dates_between, local_datetime, runs_between_breaks


def expected_sessions(group, first_day, last_day):
    """The sessions `group` has from first_day to last_day, as unsaved Session objects."""
    pauses = list(group.pauses.all())
    cancelled = {c.date: c.note for c in group.cancellations.all()}

    sessions = []
    for schedule in group.schedules.all():
        for day in dates_in_runs(schedule, pauses, first_day, last_day):
            sessions.append(
                _session(
                    group,
                    day,
                    schedule.start_time,
                    schedule.end_time,
                    schedule.venue_id,
                    cancelled=day in cancelled,
                    note=cancelled.get(day, ""),
                    schedule=schedule,
                )
            )
    for extra in group.extra_sessions.all():
        if first_day <= extra.date <= last_day:
            called_off = extra.is_called_off(cancelled)
            sessions.append(
                _session(
                    group,
                    extra.date,
                    extra.start_time,
                    extra.end_time,
                    extra.venue_id,
                    cancelled=called_off,
                    note=cancelled.get(extra.date, "") if called_off else extra.note,
                    extra=extra,
                )
            )
    sessions.sort(key=lambda s: s.starts_at)
    return sessions


def dates_in_runs(schedule, pauses, first_day, last_day):
    """The dates from first_day to last_day on which `schedule` meets, outside its breaks
    (the group's `pauses`, and the school holidays for a term-time rule)."""
    dates = []
    for run in runs_between_breaks(schedule, schedule.breaks(pauses)):
        start, end = max(first_day, run.first_day), min(last_day, run.last_day or last_day)
        if start <= end:
            dates += dates_between(schedule, start, end)
    return dates


def _session(group, day, start, end, venue_id, **fields):
    return Session(
        group=group,
        venue_id=venue_id,
        date=day,
        start_time=start,
        end_time=end,
        starts_at=local_datetime(day, start),
        ends_at=local_datetime(day, end),
        **fields,
    )


@transaction.atomic
def rebuild_sessions(group, today=None):
    """Replace the group's stored sessions from today to the horizon with fresh ones.

    Past sessions are kept untouched: they are history. `today` (for tests and catch-up
    runs) also sets the moment the next session is counted from: that day's start.
    """
    as_of = None if today is None else local_datetime(today, datetime.time.min)
    today = today or timezone.localdate()
    last_day = today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
    # One rebuild of a group at a time: two at once (two organisers adding dates, or an edit
    # during the daily refresh) would each delete the old sessions and both insert new ones.
    # The second waits here, then reads the schedules as the first left them. NO KEY UPDATE
    # does not wait for the key-share locks that inserting a group's dates takes.
    Group.objects.select_for_update(no_key=True).filter(pk=group.pk).exists()
    group.sessions.filter(date__gte=today).delete()
    sessions = Session.objects.bulk_create(expected_sessions(group, today, last_day))
    drop_outdated_confirmations(group, today, sessions)
    update_next_session(group, now=as_of)


def drop_outdated_confirmations(group, today, sessions):
    """An organiser's "Yes, it's on" stands only for the date, time and venue they saw: once
    that date is cancelled, moved or meets elsewhere, it goes."""
    standing = [s for s in sessions if not s.cancelled]
    outdated = [
        confirmation.pk
        for confirmation in group.confirmations.filter(
            starts_at__gte=local_datetime(today, datetime.time.min)
        )
        if not any(confirmation.matches(session) for session in standing)
    ]
    if outdated:
        SessionConfirmation.objects.filter(pk__in=outdated).delete()


def update_next_session(group, now=None):
    upcoming = group.sessions.upcoming(now=now).values_list("starts_at", flat=True).first()
    Group.objects.filter(pk=group.pk).update(next_session_at=upcoming)
    group.next_session_at = upcoming


def refresh_all(today=None):
    """Roll every group's sessions forward; run daily (and safe to run at any time)."""
    # Each group's schedules are read inside its rebuild, after its lock: read ahead, an
    # organiser's change saved meanwhile would be undone.
    count = 0
    for group in Group.objects.iterator(chunk_size=500):
        rebuild_sessions(group, today=today)
        count += 1
    return count


def upcoming_dates(group, count):
    """The group's next dates, cancelled ones included, with the cancellation to undo."""
    sessions = list(group.upcoming_sessions()[:count])
    cancellations = {c.date: c for c in group.cancellations.filter(date__gte=timezone.localdate())}
    for session in sessions:
        session.cancellation = cancellations.get(session.date) if session.cancelled else None
    return sessions


@transaction.atomic
def cancel_date(group, day, note=""):
    cancellation, _ = Cancellation.objects.update_or_create(
        group=group, date=day, defaults={"note": note}
    )
    rebuild_sessions(group)
    return cancellation


def confirm_session(session):
    """The organiser says this coming date is on, as listed."""
    confirmation, _ = SessionConfirmation.objects.update_or_create(
        group=session.group,
        starts_at=session.starts_at,
        defaults={
            "ends_at": session.ends_at,
            "venue_id": session.venue_id,
            "confirmed_at": timezone.now(),
        },
    )
    return confirmation


@transaction.atomic
def undo_cancellation(cancellation):
    group = cancellation.group
    cancellation.delete()
    rebuild_sessions(group)


@transaction.atomic
def save_timing(group, item):
    """Save one of the group's schedules, breaks or extra dates, then rebuild its sessions."""
    item.group = group
    item.save()
    rebuild_sessions(group)
    return item


@transaction.atomic
def remove_timing(item):
    """Delete one of a group's schedules, breaks or extra dates, then rebuild its sessions."""
    group = item.group
    item.delete()
    rebuild_sessions(group)


@transaction.atomic
def change_venue_from(schedule, day, venue):
    """The regular time meets at `venue` (None: online or by phone) from `day` on; the dates
    before keep the old venue. From its first coming date, that is a change of the schedule
    itself; from a later one, the schedule ends the day before and a copy takes over, starting
    on `day` (a meeting date, so an every-other-week rhythm carries on). Returns the schedule
    that meets at the new venue."""
    group = schedule.group
    first_coming = (
        group.sessions.upcoming(include_cancelled=True)
        .filter(schedule=schedule)
        .values_list("date", flat=True)
        .first()
    )
    if first_coming is None or day <= first_coming:
        schedule.venue = venue
        schedule.version += 1
        schedule.save()
        rebuild_sessions(group)
        return schedule
    ends_on = schedule.ends_on
    schedule.ends_on = day - datetime.timedelta(days=1)
    schedule.version += 1
    schedule.save()
    successor = Schedule.objects.create(
        group=group,
        venue=venue,
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        week_of_month=schedule.week_of_month,
        start_time=schedule.start_time,
        end_time=schedule.end_time,
        starts_on=day,
        ends_on=ends_on,
    )
    rebuild_sessions(group)
    return successor


# --- The school holidays, which term-time regular times follow ---------------------------


def rebuild_term_time_groups():
    """Rebuild the sessions of every group with a regular time that keeps to term time, once
    the school holidays it follows have changed; returns how many were rebuilt. Run in the
    change's own transaction, so a holiday and the sessions it moves are saved together."""
    groups = Group.objects.filter(schedules__term_time_only=True).distinct()
    count = 0
    for group in groups.iterator(chunk_size=200):
        rebuild_sessions(group)
        count += 1
    return count


def school_holidays_changed(**_signal_kwargs):
    with transaction.atomic():
        rebuild_term_time_groups()


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    from directory.models import SchoolHoliday

    for signal in (post_save, post_delete):
        signal.connect(
            school_holidays_changed, sender=SchoolHoliday, dispatch_uid="term-time-rebuild"
        )
