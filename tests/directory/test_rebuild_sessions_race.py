"""Two rebuilds of one group's sessions at once leave one session per date, not two."""

import threading

import pytest
from django.db import connection

from directory.models import Group
from directory.timetable import rebuild_sessions
from tests.factories import group_with_schedule


@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_at_once_store_each_session_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time, so rebuilds cannot overlap there")
    group = group_with_schedule(name="Tea and Talk")
    expected = group.sessions.count()
    assert expected
    barrier = threading.Barrier(2)
    errors = []

    def rebuild():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            rebuild_sessions(Group.objects.get(pk=group.pk))
        except Exception as error:  # reported below, with the thread's own traceback gone
            errors.append(error)
        finally:
            thread_connection.close()

    for _round in range(5):
        threads = [threading.Thread(target=rebuild) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert group.sessions.count() == expected
    assert group.sessions.values("starts_at").distinct().count() == expected
