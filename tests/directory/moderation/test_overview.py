import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group, Report
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

URL = "/moderation/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/moderation/")


def test_organisers_are_refused(client):
    client.force_login(MembershipFactory().user)
    assert client.get(URL).status_code == 403


def test_moderators_see_the_page(client):
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "Waiting for approval" in response.text


def test_it_shows_pending_organisations_with_their_waiting_groups(client):
    organisation = OrganisationFactory(name="New Mums Keith", status=Organisation.Status.PENDING)
    GroupFactory(organisation=organisation, name="Keith Cuppa", status=Group.Status.PENDING)
    GroupFactory(organisation=organisation, name="Keith Draft", status=Group.Status.DRAFT)
    OrganisationFactory(name="Already Declined", status=Organisation.Status.DECLINED)
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert "New Mums Keith" in response.text
    assert "Keith Cuppa" in response.text
    assert "Keith Draft" not in response.text
    assert "Already Declined" not in response.text
    assert response.context["queue_count"] == 1


def test_counts_sit_at_the_top(client):
    OrganisationFactory(status=Organisation.Status.PENDING)
    GroupFactory(last_confirmed=days_ago(120))
    Report.objects.create(group=GroupFactory(), kind=Report.Kind.CLOSED)
    client.force_login(ModeratorFactory())
    text = client.get(URL).text
    counts = text[text.index('class="counts"') : text.index('id="queue"')]
    assert "<strong>1</strong> waiting for approval" in counts
    assert "<strong>1</strong> out-of-date listing<" in counts
    assert "<strong>1</strong> open report<" in counts


def test_stale_listings_come_oldest_first_with_organisation_and_date(client):
    organisation = OrganisationFactory(name="Forres Family Circle")
    GroupFactory(organisation=organisation, name="Fairly Old", last_confirmed=days_ago(95))
    GroupFactory(organisation=organisation, name="Very Old", last_confirmed=days_ago(300))
    GroupFactory(organisation=organisation, name="Never Checked", last_confirmed=None)
    GroupFactory(name="Fresh", last_confirmed=days_ago(10))
    GroupFactory(name="Old Draft", status=Group.Status.DRAFT, last_confirmed=days_ago(300))
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert [g.name for g in response.context["stale"]] == [
        "Never Checked",
        "Very Old",
        "Fairly Old",
    ]
    assert "Forres Family Circle" in response.text
    assert days_ago(300).strftime("%-d %b %Y") in response.text
    assert "never confirmed" in response.text


def test_open_reports_are_listed_and_resolved_ones_are_not(client):
    group = GroupFactory(name="Buckie Bumps")
    Report.objects.create(group=group, kind=Report.Kind.WRONG_TIME, details="It's Weds now")
    Report.objects.create(
        group=group, kind=Report.Kind.CLOSED, details="Old news", resolved_at=timezone.now()
    )
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert "It&#x27;s Weds now" in response.text
    assert "Old news" not in response.text
    assert "Mark resolved" in response.text


def test_it_escapes_text_organisers_and_the_public_wrote(client):
    organisation = OrganisationFactory(
        name="<script>alert('org')</script>", slug="x", status=Organisation.Status.PENDING
    )
    GroupFactory(organisation=organisation, name="<b>bold group</b>", status=Group.Status.PENDING)
    Report.objects.create(
        group=GroupFactory(last_confirmed=None, name="<i>stale</i>"),
        kind=Report.Kind.OTHER,
        details="<img src=x onerror=alert(1)>",
    )
    client.force_login(ModeratorFactory())
    text = client.get(URL).text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;org&#x27;)&lt;/script&gt;" in text
    assert "<b>bold group</b>" not in text
    assert "<i>stale</i>" not in text
    assert "<img src=x" not in text


def test_it_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        organisation = OrganisationFactory(status=Organisation.Status.PENDING)
        GroupFactory.create_batch(2, organisation=organisation, status=Group.Status.PENDING)
        group = GroupFactory(last_confirmed=None)
        Report.objects.create(group=group, kind=Report.Kind.CLOSED)
    client.force_login(ModeratorFactory())
    # 12, and 3 to save the session (in a savepoint), which restarts its idle clock.
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stale_count"] == 5
