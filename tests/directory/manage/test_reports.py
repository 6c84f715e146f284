"""Problem reports reach the organisers who can act: on the dashboard and the group's page,
with a reply link, "mark dealt with" (and a note), and reopening."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Report
from tests.accounts.organiser_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def report(world):
    return Report.objects.create(
        group=world.group,
        kind=Report.Kind.WRONG_TIME,
        details="It's Thursdays now",
        email="parent@example.com",
    )


def test_an_organiser_sees_open_reports_on_the_dashboard_and_the_groups_page(client, world, report):
    client.force_login(world.editor)
    dashboard = client.get(reverse("dashboard")).text
    assert "Reports from parents" in dashboard
    assert "It&#x27;s Thursdays now" in dashboard
    assert reverse("group_manage", args=[world.group.pk]) + "#reports" in dashboard
    page = client.get(reverse("group_manage", args=[world.group.pk])).text
    assert "It&#x27;s Thursdays now" in page
    assert "mailto:parent@example.com" in page


def test_an_organiser_marks_a_report_dealt_with_with_a_note_and_can_reopen_it(
    client, world, report
):
    client.force_login(world.editor)
    url = reverse("group_report_resolve", args=[world.group.pk, report.pk])
    response = client.post(url, {"note": "Changed to Thursdays"}, follow=True)
    report.refresh_from_db()
    assert not report.is_open
    assert report.resolved_by == world.editor
    assert report.resolution_note == "Changed to Thursdays"
    assert "Dealt with recently" in response.text
    assert not Report.objects.open().exists()
    client.post(reverse("group_report_reopen", args=[world.group.pk, report.pk]))
    report.refresh_from_db()
    assert report.is_open and report.resolution_note == ""


def test_another_organisations_member_cannot_touch_the_report(world, report):
    stranger = Client()
    stranger.force_login(world.stranger)
    url = reverse("group_report_resolve", args=[world.group.pk, report.pk])
    assert stranger.post(url).status_code == 404
    report.refresh_from_db()
    assert report.is_open
    assert "Thursdays" not in stranger.get(reverse("dashboard")).text


def test_a_report_of_another_group_cannot_be_resolved_through_this_one(client, world):
    from tests.factories import GroupFactory

    other = Report.objects.create(group=GroupFactory(), kind=Report.Kind.OTHER, details="x")
    client.force_login(world.admin)
    url = reverse("group_report_resolve", args=[world.group.pk, other.pk])
    assert client.post(url).status_code == 404


def test_a_moderator_resolves_with_a_note_links_to_the_manage_page_and_can_undo(
    client, world, report
):
    client.force_login(world.moderator)
    overview = client.get(reverse("moderation_overview")).text
    assert reverse("group_manage", args=[world.group.pk]) + "#reports" in overview
    client.post(
        reverse("moderation_report_resolve", args=[report.pk]), {"note": "Organiser fixed it"}
    )
    report.refresh_from_db()
    assert report.resolution_note == "Organiser fixed it"
    overview = client.get(reverse("moderation_overview")).text
    assert "Resolved this week" in overview
    client.post(reverse("moderation_report_reopen", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_open


@pytest.mark.parametrize("note", ["Dealt with\r\nBcc: everyone@example.com", "x" * 501])
def test_a_note_that_is_not_one_short_line_leaves_the_report_open(client, world, report, note):
    client.force_login(world.editor)
    url = reverse("group_report_resolve", args=[world.group.pk, report.pk])
    response = client.post(url, {"note": note}, follow=True)
    report.refresh_from_db()
    assert report.is_open and report.resolution_note == ""
    assert "Nothing was changed" in response.text
