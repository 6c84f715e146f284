import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from directory.models import Report
from tests.factories import GroupFactory, MembershipFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return Report.objects.create(
        group=GroupFactory(name="Forres Bumps"), kind=Report.Kind.WRONG_TIME, details="Moved"
    )


def resolve_url(report):
    return f"/moderation/reports/{report.pk}/resolve/"


def test_anonymous_visitors_are_sent_to_sign_in(client, report):
    response = client.post(resolve_url(report))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_organisers_even_of_the_group_are_refused(client, report):
    client.force_login(MembershipFactory(organisation=report.group.organisation).user)
    assert client.post(resolve_url(report)).status_code == 403
    report.refresh_from_db()
    assert report.is_open


def test_resolving_is_post_only(client, report):
    client.force_login(ModeratorFactory())
    assert client.get(resolve_url(report)).status_code == 405


def test_moderators_mark_reports_resolved(client, report):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    response = client.post(resolve_url(report))
    assert response.status_code == 302
    assert response["Location"] == "/moderation/"
    report.refresh_from_db()
    assert not report.is_open
    assert report.resolved_by == moderator
    assert not Report.objects.open().exists()


def test_it_returns_to_the_page_it_came_from_but_never_off_site(client, report):
    client.force_login(ModeratorFactory())
    response = client.post(resolve_url(report), {"next": "/manage/"})
    assert response["Location"] == "/manage/"
    other = Report.objects.create(group=report.group, kind=Report.Kind.CLOSED)
    response = client.post(resolve_url(other), {"next": "https://evil.example/"})
    assert response["Location"] == "/moderation/"


def test_resolving_twice_keeps_the_first_moderator(client, report):
    first = ModeratorFactory()
    client.force_login(first)
    client.post(resolve_url(report))
    client.force_login(ModeratorFactory())
    client.post(resolve_url(report))
    report.refresh_from_db()
    assert report.resolved_by == first


def test_members_see_open_reports_on_their_own_listings_only(report):
    member = MembershipFactory(organisation=report.group.organisation).user
    Report.objects.create(group=GroupFactory(), kind=Report.Kind.CLOSED)  # someone else's
    resolved = Report.objects.create(group=report.group, kind=Report.Kind.OTHER)
    resolved.resolved_at = resolved.created
    resolved.save()
    assert list(Report.objects.open().for_user(member)) == [report]


def render_partial(user, reports):
    request = RequestFactory().get("/manage/")
    request.user = user
    return render_to_string(
        "moderation/_open_reports.html", {"reports": reports, "user": user}, request=request
    )


def test_the_partial_shows_reports_to_organisers_without_a_resolve_button(report):
    member = MembershipFactory(organisation=report.group.organisation).user
    html = render_partial(member, Report.objects.open().for_user(member).with_group())
    assert "Forres Bumps" in html
    assert "The day or time is wrong" in html
    assert "Mark resolved" not in html


def test_the_partial_gives_moderators_a_resolve_button(report):
    html = render_partial(ModeratorFactory(), Report.objects.open().with_group())
    assert f'action="/moderation/reports/{report.pk}/resolve/"' in html
    assert 'name="next" value="/manage/"' in html


def test_the_partial_says_when_there_is_nothing_open():
    assert "No open reports" in render_partial(ModeratorFactory(), [])


@pytest.mark.parametrize("note", ["Sorted\nwith a second line", "x" * 501])
def test_a_moderators_note_that_is_not_one_short_line_leaves_the_report_open(client, report, note):
    client.force_login(ModeratorFactory())
    response = client.post(resolve_url(report), {"note": note}, follow=True)
    report.refresh_from_db()
    assert report.is_open and report.resolution_note == ""
    assert "Nothing was changed" in response.text
