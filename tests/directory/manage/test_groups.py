"""Organisers add, edit, pause, publish and delete their groups."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group
from tests.accounts.organiser_world import make_world
from tests.factories import AudienceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def group_data(**overrides):
    data = {
        "name": "Bumps and Babies Forres",
        "summary": "A friendly drop-in for parents-to-be and new parents.",
        "description": "Tea, toast and a chat with other parents.",
        "what_to_expect": "You don't have to talk.",
        "in_person": "on",
        "drop_in": "on",
        "children_welcome": "on",
        "is_free": "on",
        "leadership": "peer",
        "focus": "parent",
        "contact_phone": "01309 123456",
        "website": "https://bumps.example.org/",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create(client, world, follow=False, **overrides):
    data = group_data(organisation=world.organisation.pk, **{"visibility": "publish", **overrides})
    return client.post(reverse("group_create"), data, follow=follow)


def edit(client, group, version=None, **overrides):
    group.refresh_from_db()
    data = group_data(version=version or group.version, **overrides)
    return client.post(reverse("group_edit", args=[group.pk]), data)


def test_a_new_group_starts_as_a_draft_until_it_has_times(client, world):
    client.force_login(world.editor)
    assert client.get(reverse("group_create")).context["form"]["visibility"].value() == "draft"
    response = create(client, world, follow=True)
    group = Group.objects.get(name="Bumps and Babies Forres")
    assert group.status == Group.Status.DRAFT  # even with "publish now": no times yet
    assert "Saved as a draft" in response.text
    assert "Before it can be published, it needs" in response.text


def test_publishing_a_group_without_times_says_what_is_missing(client, world):
    client.force_login(world.editor)
    world.group.schedules.all().delete()
    world.group.extra_sessions.all().delete()
    world.group.sessions.all().delete()
    world.group.status = Group.Status.DRAFT
    world.group.save()
    response = client.post(reverse("group_publish", args=[world.group.pk]), follow=True)
    world.group.refresh_from_db()
    assert world.group.status == Group.Status.DRAFT
    assert "Not published yet: first add a regular time or an extra date" in response.text


def test_support_arranged_directly_is_published_at_once(client, world):
    anxiety = TopicFactory(name="Anxiety")
    client.force_login(world.editor)
    response = create(client, world, topics=[anxiety.pk], one_to_one="on")
    group = Group.objects.get(name="Bumps and Babies Forres")
    assert response["Location"] == reverse("group_manage", args=[group.pk])
    assert group.status == Group.Status.PUBLISHED
    assert group.organisation == world.organisation
    assert group.last_confirmed == timezone.localdate()
    assert list(group.topics.all()) == [anxiety]


def test_a_new_group_of_a_pending_organisation_awaits_approval(client):
    world = make_world(status=Organisation.Status.PENDING)
    client.force_login(world.admin)
    create(client, world, one_to_one="on")
    assert Group.objects.get(name="Bumps and Babies Forres").status == Group.Status.PENDING


def test_a_new_group_can_be_saved_as_a_draft(client, world):
    client.force_login(world.admin)
    create(client, world, visibility="draft")
    assert Group.objects.get(name="Bumps and Babies Forres").status == Group.Status.DRAFT


def test_a_declined_organisation_cannot_publish(client):
    world = make_world(status=Organisation.Status.DECLINED)
    client.force_login(world.admin)
    create(client, world, one_to_one="on")
    assert Group.objects.get(name="Bumps and Babies Forres").status == Group.Status.DRAFT


def test_the_new_group_form_offers_only_the_users_organisations(client, world):
    client.force_login(world.editor)
    form = client.get(reverse("group_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.organisation]


def test_a_group_must_meet_somehow(client, world):
    client.force_login(world.editor)
    response = create(client, world, in_person=None)
    assert response.status_code == 200
    assert "Tick at least one" in response.text
    assert not Group.objects.filter(name="Bumps and Babies Forres").exists()


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "data:text/html,hi", "ftp://files.example.org/", "vbscript:x"],
)
def test_web_addresses_must_be_http_or_https(client, world, address):
    client.force_login(world.editor)
    response = edit(client, world.group, website=address, booking_url=address)
    assert response.status_code == 200
    assert "starts with https://" in response.text
    world.group.refresh_from_db()
    assert world.group.website == ""


def test_a_web_address_without_a_scheme_gets_https(client, world):
    client.force_login(world.editor)
    edit(client, world.group, website="www.bumps.example.org")
    world.group.refresh_from_db()
    assert world.group.website == "https://www.bumps.example.org"


def test_phone_numbers_must_look_like_phone_numbers(client, world):
    client.force_login(world.editor)
    response = edit(client, world.group, contact_phone="call me maybe")
    assert "Enter a phone number" in response.text


def test_editing_saves_the_changes_and_bumps_the_version(client, world):
    audience = AudienceFactory(name="Dads and partners")
    client.force_login(world.editor)
    response = edit(client, world.group, name="Cuppa and Chat", audiences=[audience.pk])
    assert response["Location"] == reverse("group_manage", args=[world.group.pk])
    world.group.refresh_from_db()
    assert world.group.name == "Cuppa and Chat"
    assert world.group.version == 2
    assert list(world.group.audiences.all()) == [audience]
    assert world.group.status == Group.Status.PUBLISHED


def test_pausing_hides_the_group_and_showing_it_again_republishes(client, world):
    client.force_login(world.editor)
    client.post(reverse("group_pause", args=[world.group.pk]))
    world.group.refresh_from_db()
    assert world.group.status == Group.Status.PAUSED
    assert client.get(world.group.get_absolute_url()).status_code == 404
    client.post(reverse("group_publish", args=[world.group.pk]))
    world.group.refresh_from_db()
    assert world.group.status == Group.Status.PUBLISHED


def test_a_paused_group_of_a_pending_organisation_goes_back_to_the_queue(client):
    world = make_world(status=Organisation.Status.PENDING)
    world.group.status = Group.Status.PAUSED
    world.group.save()
    client.force_login(world.editor)
    client.post(reverse("group_publish", args=[world.group.pk]))
    world.group.refresh_from_db()
    assert world.group.status == Group.Status.PENDING


def test_deleting_asks_first_then_removes_the_group(client, world):
    client.force_login(world.admin)
    url = reverse("group_delete", args=[world.group.pk])
    assert "Yes, delete it" in client.get(url).text
    assert Group.objects.filter(pk=world.group.pk).exists()
    response = client.post(url)
    assert response["Location"] == reverse("dashboard")
    assert not Group.objects.filter(pk=world.group.pk).exists()


def test_still_correct_stamps_today(client, world):
    world.group.last_confirmed = None
    world.group.save()
    client.force_login(world.editor)
    client.post(reverse("group_confirm", args=[world.group.pk]))
    world.group.refresh_from_db()
    assert world.group.last_confirmed == timezone.localdate()


SCRIPT = '<script>alert("x")</script>'


def test_organiser_text_is_escaped_on_organiser_and_public_pages(client, world):
    client.force_login(world.editor)
    edit(client, world.group, name=SCRIPT, summary=SCRIPT, description=SCRIPT)
    world.group.refresh_from_db()
    assert world.group.name == SCRIPT
    pages = [
        reverse("dashboard"),
        reverse("group_manage", args=[world.group.pk]),
        reverse("group_edit", args=[world.group.pk]),
        reverse("group_delete", args=[world.group.pk]),
        world.group.get_absolute_url(),
        reverse("group_list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SCRIPT not in response.text, url
        assert "&lt;script&gt;" in response.text, url


def test_the_group_form_has_labels_hints_and_no_unlabelled_inputs(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("group_edit", args=[world.group.pk]))
    form = response.context["form"]
    for field in form.visible_fields():
        if field.use_fieldset:
            assert f"<legend>{field.label}</legend>" in response.text.replace("&#x27;", "'")
        else:
            assert f'for="{field.id_for_label}"' in response.text
    assert 'aria-describedby="id_name_helptext"' in response.text


def test_someone_without_an_organisation_is_sent_back_to_the_dashboard(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("group_create"))
    assert response["Location"] == reverse("dashboard")
