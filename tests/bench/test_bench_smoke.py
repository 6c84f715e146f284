"""The benchmark's directory builder, on a tiny directory (the benchmark itself is `make bench`;
no timings are checked here)."""

import pytest
from django.test import Client
from django.utils import timezone

from bench import pages
from bench.builder import build_directory
from directory import search
from directory.models import Cancellation, Group, Schedule, Session
from directory.timetable import rebuild_sessions

pytestmark = pytest.mark.django_db


def test_it_builds_published_groups_with_schedules_and_stored_sessions():
    assert build_directory(12, seed=1) == 12
    assert Group.objects.count() == 12
    assert Group.objects.published().exists()
    assert Schedule.objects.count() >= 12
    assert Session.objects.filter(cancelled=False, starts_at__gte=timezone.now()).exists()
    assert Group.objects.published().filter(next_session_at__isnull=False).exists()


def test_building_again_grows_the_directory_to_the_new_size():
    build_directory(5, seed=1)
    assert build_directory(9, seed=1) == 4
    assert Group.objects.count() == 9
    assert build_directory(9, seed=1) == 0


def test_its_stored_sessions_are_those_the_site_itself_would_store():
    build_directory(8, seed=3)
    today = timezone.localdate()
    for group in Group.objects.filter(schedules__isnull=False).distinct():
        built = list(group.sessions.filter(date__gte=today).values_list("starts_at", "cancelled"))
        rebuild_sessions(group)
        rebuilt = list(group.sessions.filter(date__gte=today).values_list("starts_at", "cancelled"))
        assert sorted(built) == sorted(rebuilt)


def test_its_cancellations_fall_on_dates_the_group_meets():
    build_directory(30, seed=5)
    for cancellation in Cancellation.objects.all():
        assert Session.objects.filter(
            group=cancellation.group, date=cancellation.date, cancelled=True
        ).exists()


def test_every_page_the_benchmark_loads_answers():
    build_directory(15, seed=2)
    page_types = pages.discover()
    assert {"list", "filters", "search", "group", "whats_on", "organisation"} <= {
        page.key for page in page_types
    }
    client = Client()
    for page in page_types:
        assert client.get(page.paths[0]).status_code == 200, page.paths[0]


def test_its_groups_carry_the_search_text_a_save_would_give_them():
    build_directory(8, seed=4)
    for group in Group.objects.all():
        assert group.search_text == search.text_for(group)
