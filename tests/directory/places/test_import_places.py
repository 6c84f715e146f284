"""A deployer imports Moray's postcodes and villages from the official open datasets."""

import io
import pathlib

import pytest
from django.core.management import call_command

from directory.models import Place, PlaceAlias
from directory.osgrid import grid_to_osgb36, grid_to_wgs84
from directory.places import miles_between

pytestmark = pytest.mark.django_db

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
ONSPD = str(FIXTURES / "onspd_sample.csv")
OPEN_NAMES = str(FIXTURES / "open_names_sample.csv")


def places(kind):
    return {p.name: p.point for p in Place.objects.filter(kind=kind)}


def test_onspd_adds_moray_postcodes_with_a_point_and_their_sectors_and_districts():
    call_command("import_places", onspd=[ONSPD], stdout=io.StringIO())
    # Terminated (IV30 4AA), without a point (IV30 9ZZ) and outside Moray (AB10 1AA): left out.
    assert places(Place.Kind.POSTCODE) == {
        "IV30 1AB": (57.648, -3.315),
        "IV30 1AD": (57.65, -3.319),
        "IV31 6AA": (57.72, -3.285),
    }
    assert places(Place.Kind.SECTOR) == {"IV30 1": (57.649, -3.317), "IV31 6": (57.72, -3.285)}
    assert places(Place.Kind.DISTRICT) == {"IV30": (57.649, -3.317), "IV31": (57.72, -3.285)}
    assert Place.objects.first().source.startswith("ONS Postcode Directory, Open Government")


def test_open_names_adds_moray_towns_villages_and_suburbs_with_their_gaelic_names():
    call_command("import_places", open_names=[OPEN_NAMES], stdout=io.StringIO())
    assert set(places(Place.Kind.TOWN)) == {"Elgin"}  # not Nairn, in Highland
    assert set(places(Place.Kind.VILLAGE)) == {"New Elgin", "Kinloss"}  # not a road
    assert PlaceAlias.objects.get(name="Eilginn").place.name == "Elgin"
    assert Place.objects.get(name="Kinloss").source.startswith("OS Open Names")


def test_importing_again_adds_nothing_and_keeps_a_moderators_edit():
    call_command("import_places", open_names=[OPEN_NAMES], stdout=io.StringIO())
    Place.objects.filter(name="Kinloss").update(latitude="57.63")
    call_command("import_places", open_names=[OPEN_NAMES], onspd=[ONSPD], stdout=io.StringIO())
    call_command("import_places", open_names=[OPEN_NAMES], onspd=[ONSPD], stdout=io.StringIO())
    assert Place.objects.get(name="Kinloss").point[0] == 57.63
    assert Place.objects.filter(name="Elgin").count() == 1
    assert Place.objects.filter(kind=Place.Kind.POSTCODE).count() == 3


def test_a_seeded_town_is_not_replaced_by_the_same_town_from_open_names():
    call_command("load_terms", verbosity=0)
    call_command("import_places", open_names=[OPEN_NAMES], stdout=io.StringIO())
    elgin = Place.objects.get(name="Elgin")
    assert elgin.source.startswith("GeoNames")


def test_the_grid_projection_matches_ordnance_surveys_worked_example():
    # "A guide to coordinate systems in Great Britain", Annex C: E 651409.903, N 313177.270
    # is OSGB36 52°39'27.2531"N, 1°43'4.5177"E.
    latitude, longitude = grid_to_osgb36(651409.903, 313177.270)
    assert latitude == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert longitude == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)


def test_the_helmert_shift_onto_wgs84_is_about_a_hundred_metres_as_in_moray():
    # OSGB36 and WGS84 differ by tens to about 120 metres across Great Britain.
    osgb36 = grid_to_osgb36(321500, 862800)
    wgs84 = grid_to_wgs84(321500, 862800)
    assert 30 < miles_between(osgb36, wgs84) * 1609.344 < 150


def test_elgins_grid_reference_lands_in_elgin():
    # Elgin's OS grid reference NJ 215 628 (E 321500, N 862800) against GeoNames' Elgin.
    assert miles_between(grid_to_wgs84(321500, 862800), (57.65, -3.33333)) < 1
