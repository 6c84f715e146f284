"""The vocabulary is part of every install and never overwrites a moderator's edits."""

import pytest
from django.core.management import call_command

from directory.models import Area, Audience, SearchWord, Topic, Venue
from directory.terms import AREAS, AUDIENCES, SEARCH_WORDS, TOPICS, load_terms

pytestmark = pytest.mark.django_db


def test_it_adds_every_area_topic_and_audience_of_the_brief():
    load_terms()
    assert set(Area.objects.values_list("slug", flat=True)) == {a["slug"] for a in AREAS}
    assert set(Topic.objects.values_list("slug", flat=True)) == {t["slug"] for t in TOPICS}
    assert set(Audience.objects.values_list("slug", flat=True)) == {a["slug"] for a in AUDIENCES}
    forres = Area.objects.get(slug="forres")
    assert "Kinloss" in forres.description
    assert "burghead-hopeman" in set(forres.nearby.values_list("slug", flat=True))
    assert Area.objects.get(slug="online").is_online


def test_running_it_again_adds_nothing_and_keeps_a_moderators_edits():
    load_terms()
    Topic.objects.filter(slug="anxiety").update(name="Worry and anxiety", description="Edited")
    forres = Area.objects.get(slug="forres")
    forres.nearby.clear()
    assert load_terms() == 0
    anxiety = Topic.objects.get(slug="anxiety")
    assert (anxiety.name, anxiety.description) == ("Worry and anxiety", "Edited")
    assert not forres.nearby.exists()


def test_a_term_a_moderator_deleted_comes_back_on_the_next_release():
    load_terms()
    Topic.objects.filter(slug="feeding").delete()  # its everyday words go with it
    assert load_terms() == 1 + len(SEARCH_WORDS["topic"]["feeding"])
    assert Topic.objects.filter(slug="feeding").exists()
    assert SearchWord.objects.get(words="breastfeeding").topic.slug == "feeding"


def test_it_adds_the_everyday_words_and_keeps_a_moderators_change_of_meaning():
    load_terms()
    assert SearchWord.objects.get(words="kinloss").area.slug == "forres"
    assert SearchWord.objects.get(words="cant cope").crisis
    SearchWord.objects.filter(words="kinloss").update(area=Area.objects.get(slug="elgin"))
    SearchWord.objects.create(words="Mosstowie", area=Area.objects.get(slug="elgin"))
    assert load_terms() == 0
    assert SearchWord.objects.get(words="kinloss").area.slug == "elgin"
    assert SearchWord.objects.get(words="mosstowie").area.slug == "elgin"


def test_after_the_release_step_an_organiser_can_add_a_venue_and_a_group(client):
    from tests.factories import MembershipFactory

    call_command("migrate", verbosity=0)
    call_command("load_terms", verbosity=0)
    membership = MembershipFactory()
    client.force_login(membership.user)
    organisation = membership.organisation
    response = client.post(
        f"/manage/organisations/{organisation.slug}/venues/new/",
        {
            "version": 1,
            "name": "Forres Town Hall",
            "address": "High Street",
            "town": "Forres",
            "postcode": "IV36 1PB",
            "area": Area.objects.get(slug="forres").pk,
        },
    )
    assert response.status_code == 302
    assert Venue.objects.filter(organisation=organisation, name="Forres Town Hall").exists()
    response = client.post(
        "/manage/groups/new/",
        {
            "organisation": organisation.pk,
            "name": "Forres Cuppa",
            "summary": "A cuppa and a chat",
            "description": "Come along.",
            "in_person": "on",
            "drop_in": "on",
            "leadership": "peer",
            "focus": "parent",
            "is_free": "on",
            "topics": [Topic.objects.get(slug="anxiety").pk],
            "visibility": "draft",
        },
    )
    assert response.status_code == 302
    assert organisation.groups.filter(name="Forres Cuppa").exists()
