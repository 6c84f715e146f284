"""No control characters in any single-line field, wherever a value comes in."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from directory.models import Group
from moray_peer.text import OUR_APPS, no_control_characters
from opendata import csv_io
from tests.accounts.organiser_world import make_world
from tests.directory.manage.test_groups import edit
from tests.opendata.conftest import directory  # noqa: F401  (the fixture)
from tests.opendata.test_csv_io import export_text, rows_of, to_csv

pytestmark = pytest.mark.django_db

HIDDEN = ["\r", "\n", "\x0b", "\x00", "\x1b", "\x85", "\u2028", "\t"]


def test_every_single_line_field_of_our_models_has_the_check():
    unguarded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and no_control_characters not in field.validators
    ]
    assert unguarded == []


def test_every_single_line_field_keeps_its_own_length_check():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
        and field.max_length
        and not any(
            isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
            for v in field.validators
        )
    ]
    assert unbounded == []


@pytest.mark.parametrize("character", HIDDEN, ids=repr)
def test_a_hidden_character_is_refused(character):
    with pytest.raises(ValidationError):
        no_control_characters(f"Bumps{character}X-WR-CALNAME:Free money")


def test_ordinary_names_pass():
    no_control_characters("Mums' Cuppa & Chat — Forres (Tuesdays) 🌼")


@pytest.mark.parametrize("character", ["\r", "\n"], ids=repr)
def test_an_organiser_cannot_save_a_group_name_with_a_line_break(client, character):
    world = make_world()
    client.force_login(world.admin)
    response = edit(client, world.group, name=f"Bumps{character}X-WR-CALNAME:Free money")
    assert response.status_code == 200
    assert "Use one line only" in response.text
    assert not Group.objects.filter(name__contains="Free money").exists()


def test_a_venue_name_with_a_line_break_is_refused(client):
    world = make_world()
    client.force_login(world.admin)
    venue = world.venue
    response = client.post(
        reverse("venue_edit", args=[venue.pk]),
        {"name": "Hall\rX", "town": venue.town, "area": venue.area_id, "version": venue.version},
    )
    assert "Use one line only" in response.text


def test_a_csv_row_with_a_line_break_in_a_name_is_an_error(directory):  # noqa: F811
    hub = directory["hub"]
    rows = rows_of(export_text(hub))
    rows[0]["name"] = "Cuppa\rX-WR-CALNAME:Free money"
    result = csv_io.plan_import(hub, to_csv(rows), timezone.localdate())
    assert len(result.errors) == 1
    assert result.errors[0].column == "name"


def test_every_text_field_people_edit_is_capped():
    uncapped = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and field.editable
        and not any(isinstance(v, MaxLengthValidator) for v in field.validators)
    ]
    assert uncapped == []
