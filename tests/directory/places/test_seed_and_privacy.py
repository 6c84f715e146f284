"""Moray's towns come with every install, and where a parent is stays in her address bar:
never logged, counted or kept."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client

from directory.models import Place, PlaceAlias
from directory.page_cache import keeps_query
from directory.places import SEED_FILE
from evidence.models import DailyCount
from tests.evidence.conftest import PHONE_BROWSER
from tests.factories import AreaFactory, ModeratorFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def test_the_release_step_adds_the_geonames_moray_towns_and_their_aliases():
    out = io.StringIO()
    call_command("load_terms", stdout=out)
    assert "Places ready: 18 places added." in out.getvalue()  # 16 towns, 2 aliases
    towns = Place.objects.filter(kind=Place.Kind.TOWN)
    assert towns.count() == 16
    assert towns.get(name="Rothes").point == (57.52624, -3.20663)
    assert {p.source for p in towns} == {
        "GeoNames cities1000, CC BY 4.0, https://www.geonames.org/"
    }
    assert PlaceAlias.objects.get(name="Lossie").place.name == "Lossiemouth"


def test_the_seed_file_names_its_source_licence_and_attribution():
    text = SEED_FILE.read_text()
    assert "https://www.geonames.org/" in text
    assert "Contains data from GeoNames, CC BY 4.0" in text


def test_running_the_release_step_again_keeps_a_moderators_edit_of_a_place():
    call_command("load_terms", verbosity=0, stdout=io.StringIO())
    Place.objects.filter(name="Rothes").update(latitude="57.52")
    PlaceAlias.objects.filter(name="Lossie").delete()
    PlaceAlias.objects.create(name="Lossie", place=Place.objects.get(name="Elgin"))
    call_command("load_terms", verbosity=0, stdout=io.StringIO())
    assert Place.objects.get(name="Rothes").point[0] == 57.52
    assert PlaceAlias.objects.get(name="Lossie").place.name == "Elgin"
    assert Place.objects.filter(name="Rothes").count() == 1


def test_moderators_keep_places_and_aliases_in_the_admin(client):
    call_command("load_terms", verbosity=0, stdout=io.StringIO())
    client.force_login(ModeratorFactory(is_superuser=True))
    admin_client = client
    assert "Lossiemouth" in admin_client.get("/admin/directory/place/").text
    assert "Lossie" in admin_client.get("/admin/directory/placealias/").text
    rothes = Place.objects.get(name="Rothes")
    page = admin_client.get(f"/admin/directory/place/{rothes.pk}/change/")
    assert page.status_code == 200 and "GeoNames" in page.text


def test_the_admin_refuses_a_second_alias_or_place_by_the_same_name(client):
    call_command("load_terms", verbosity=0, stdout=io.StringIO())
    client.force_login(ModeratorFactory(is_superuser=True))
    elgin = Place.objects.get(name="Elgin")
    response = client.post(
        "/admin/directory/placealias/add/", {"name": "  LOSSIE ", "place": elgin.pk}
    )
    assert response.status_code == 200 and "already an alias" in response.text
    response = client.post(
        "/admin/directory/place/add/",
        {
            "name": "rothes",
            "kind": "town",
            "latitude": "57.5",
            "longitude": "-3.2",
            "source": "A moderator",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "already a place" in response.text
    assert Place.objects.filter(key="rothes").count() == 1


NEAR_SEARCHES = ["/?near=Lossie&area=elgin", "/?near=57.65,-3.32&area=elgin&within=10"]


@pytest.mark.parametrize("address", NEAR_SEARCHES)
def test_where_she_is_is_never_logged_counted_or_kept(address, caplog, settings):
    call_command("load_terms", verbosity=0, stdout=io.StringIO())
    elgin = AreaFactory(slug="elgin")
    group_with_schedule(schedule_kwargs={"venue": VenueFactory(area=elgin)})
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    with caplog.at_level(logging.DEBUG):
        response = Client(HTTP_USER_AGENT=PHONE_BROWSER).get(address)
    assert response.status_code == 200 and "away" in response.text
    logged = " ".join(
        record.getMessage() + json.dumps(getattr(record, "fields", {}), default=str)
        for record in caplog.records
    )
    assert "/" in logged  # the request was logged...
    assert "near" not in logged and "Lossie" not in logged and "57.65" not in logged
    # ...counted by its area alone...
    assert list(DailyCount.objects.values_list("key", flat=True)) == ["area=elgin"]
    # ...and the page not kept in the shared page cache.
    assert not keeps_query(address.removeprefix("/?"))
