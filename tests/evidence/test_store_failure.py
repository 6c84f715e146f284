"""A failure of the counting store never turns a public page into an error."""

import logging

import pytest
from django.db import DatabaseError

from directory import shortlist
from evidence import counting
from evidence.models import DailyCount
from tests.factories import AreaFactory, group_with_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    AreaFactory(name="Keith")
    return group_with_schedule(name="Elgin Natter")


def public_urls(group):
    code = shortlist.encode([group.pk])
    return [
        group.get_absolute_url(),
        f"/groups/{group.slug}/calendar.ics",
        group.organisation.get_absolute_url(),
        "/?area=keith&topic=anxiety",
        "/whats-on/?area=keith",
        f"/s/{code}/",
        f"/s/{code}/print/",
    ]


def test_pages_are_served_when_the_store_raises(visitor, group, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("the counting store is down")

    monkeypatch.setattr(counting, "_increment", broken)
    with caplog.at_level(logging.ERROR, logger="evidence.counting"):
        for url in public_urls(group):
            assert visitor.get(url).status_code == 200, url
    failures = [r for r in caplog.records if r.name == "evidence.counting"]
    assert len(failures) == len(public_urls(group))
    assert "the counting store is down" in caplog.text


def test_a_real_database_error_does_not_spoil_the_rest_of_the_request(
    visitor, group, monkeypatch, caplog
):
    # Point the counts at a table that does not exist: the database itself refuses the write.
    monkeypatch.setattr(DailyCount._meta, "db_table", "evidence_no_such_table")
    with caplog.at_level(logging.ERROR, logger="evidence.counting"):
        response = visitor.get(group.get_absolute_url())
    assert response.status_code == 200
    assert "Elgin Natter" in response.text
    assert "Could not record" in caplog.text
    # The test's own transaction is still usable afterwards.
    monkeypatch.undo()
    assert DailyCount.objects.count() == 0
    assert visitor.get(group.get_absolute_url()).status_code == 200
    assert DailyCount.objects.get().count == 1
