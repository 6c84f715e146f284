"""The daily `refresh_sessions` command."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import Group
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db


def run():
    out = io.StringIO()
    call_command("refresh_sessions", stdout=out)
    return out.getvalue()


def test_it_rolls_sessions_forward_to_the_horizon(settings):
    settings.SESSION_HORIZON_DAYS = 28
    group = group_with_schedule(rebuild=False)
    assert not group.sessions.exists()
    output = run()
    assert "Refreshed the sessions of 1 group." in output
    dates = list(group.sessions.values_list("date", flat=True))
    assert len(dates) == 4
    assert dates[-1] <= timezone.localdate() + datetime.timedelta(days=28)
    group.refresh_from_db()
    assert group.next_session_at == group.sessions.first().starts_at


def test_running_it_twice_changes_nothing():
    group = group_with_schedule()
    before = list(group.sessions.values_list("date", "starts_at", "cancelled"))
    run()
    run()
    assert list(group.sessions.values_list("date", "starts_at", "cancelled")) == before


def test_it_covers_unpublished_groups_too_so_they_are_ready_when_published():
    draft = group_with_schedule(rebuild=False, status=Group.Status.DRAFT)
    assert "1 group" in run()
    assert draft.sessions.exists()
