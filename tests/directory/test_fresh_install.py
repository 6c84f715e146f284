"""A new production site: the database migrated from empty and the release step's
`load_terms` run (docker-compose.yml), with no demo data. Organisers can start at once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, Organisation
from directory import terms
from directory.models import Area, Audience, Group, Topic, Venue
from tests.accounts.organiser_world import verified
from tests.directory.manage.test_groups import group_data
from tests.directory.manage.test_venues import venue_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrations_alone_leave_no_listings_and_the_release_step_adds_the_vocabulary():
    # The test database is made by running every migration on an empty one.
    assert not Group.objects.exists() and not Organisation.objects.exists()
    call_command("load_terms")
    assert Area.objects.count() == len(terms.AREAS)
    assert Topic.objects.exists() and Audience.objects.exists()
    assert not Group.objects.exists(), "no demo listings on a real site"


def test_an_organiser_can_add_a_venue_and_a_group_on_a_fresh_site(client):
    call_command("load_terms")
    organiser = verified(UserFactory(email="ailsa@forresfamily.example"))
    organisation = Organisation.objects.create(
        name="Forres Family Circle", slug="forres-family-circle", status="approved"
    )
    Membership.objects.create(user=organiser, organisation=organisation, role="admin")
    client.force_login(organiser)

    form = client.get(reverse("venue_create", args=[organisation.slug]))
    assert "Forres" in form.text  # the areas are there to choose from
    forres = Area.objects.get(name="Forres")
    response = client.post(reverse("venue_create", args=[organisation.slug]), venue_data(forres))
    assert response.status_code == 302
    assert Venue.objects.filter(organisation=organisation, area=forres).exists()

    response = client.post(
        reverse("group_create"),
        group_data(organisation=organisation.pk, visibility="publish"),
    )
    assert response.status_code == 302
    assert Group.objects.filter(organisation=organisation).exists()


def test_running_the_release_step_again_keeps_a_moderators_edits():
    call_command("load_terms")
    forres = Area.objects.get(name="Forres")
    forres.description = "Written by a moderator."
    forres.save()
    call_command("load_terms")
    forres.refresh_from_db()
    assert forres.description == "Written by a moderator."
    assert Area.objects.filter(name="Forres").count() == 1
