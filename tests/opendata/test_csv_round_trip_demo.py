"""Every organisation of the whole demo directory: its unchanged export re-imports with nothing
changed, and a stored value that itself begins with an apostrophe and a formula character
keeps that apostrophe on the way round."""

import pytest
from django.utils import timezone

from accounts.models import Organisation
from directory.demo.loader import load_demo
from directory.models import Group
from opendata import csv_io
from tests.opendata.test_csv_io import export_text, plan, rows_of, snapshot

pytestmark = pytest.mark.django_db


def test_every_demo_organisations_export_reimports_with_nothing_changed():
    load_demo()
    organisations = list(Organisation.objects.filter(groups__isnull=False).distinct())
    assert len(organisations) >= 10
    problems = {}
    for organisation in organisations:
        before = snapshot(organisation)
        result = plan(organisation, export_text(organisation))
        if result.errors or result.counts["new"] or result.counts["changed"]:
            problems[organisation.name] = (result.errors, result.counts)
            continue
        csv_io.apply_plan(result, timezone.localdate())
        assert snapshot(organisation) == before, organisation.name
    assert problems == {}


def test_a_value_that_begins_with_an_apostrophe_and_a_formula_character_keeps_it():
    load_demo()
    group = Group.objects.filter(organisation__isnull=False).order_by("pk").first()
    Group.objects.filter(pk=group.pk).update(summary="'=not a formula", cost="'+£2", is_free=False)
    text = export_text(group.organisation)
    row = next(r for r in rows_of(text) if r["name"] == group.name)
    assert row["summary"] == "''=not a formula"
    result = plan(group.organisation, text)
    assert result.errors == []
    assert result.counts["changed"] == 0
    csv_io.apply_plan(result, timezone.localdate())
    group.refresh_from_db()
    assert (group.summary, group.cost) == ("'=not a formula", "'+£2")
