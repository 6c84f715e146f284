"""The public organisation list and organisation pages."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Group
from tests.factories import OrganisationFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def test_the_list_shows_approved_organisations_with_how_many_groups_they_run(client):
    hub = OrganisationFactory(name="Moray Wellbeing Hub", summary="Peer support across Moray.")
    group_with_schedule(organisation=hub)
    group_with_schedule(organisation=hub)
    group_with_schedule(organisation=hub, status=Group.Status.DRAFT)
    OrganisationFactory(name="Quiet Charity")
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert f'<a href="/organisations/{hub.slug}/">Moray Wellbeing Hub</a>' in response.text
    assert "(2 groups)" in response.text
    assert "Peer support across Moray." in response.text
    assert "(no groups listed just now)" in response.text


@pytest.mark.parametrize("status", [Organisation.Status.PENDING, Organisation.Status.DECLINED])
def test_the_list_leaves_out_organisations_not_approved(client, status):
    OrganisationFactory(name="Not Yet Approved", status=status)
    assert "Not Yet Approved" not in client.get("/organisations/").text


def test_an_organisation_page_lists_its_published_groups_soonest_first(client):
    hub = OrganisationFactory(
        name="Children 1st Moray",
        description="We support families.",
        phone="01343 555 000",
        email="moray@example.org",
    )
    in_5_days = (timezone.localdate() + datetime.timedelta(days=5)).weekday()
    group_with_schedule(
        organisation=hub, name="Later Group", schedule_kwargs={"weekday": in_5_days}
    )
    group_with_schedule(organisation=hub, name="Sooner Group")  # in 2 days
    group_with_schedule(organisation=hub, name="Draft Group", status=Group.Status.DRAFT)
    group_with_schedule(name="Someone Else's Group")
    response = client.get(f"/organisations/{hub.slug}/")
    assert response.status_code == 200
    text = response.text
    assert "We support families." in text
    assert 'href="tel:01343555000"' in text
    assert 'href="mailto:moray@example.org"' in text
    assert [g.name for g in response.context["groups"]] == ["Sooner Group", "Later Group"]
    assert "Next:" in text
    assert "Draft Group" not in text
    assert "Someone Else" not in text


def test_an_organisation_with_no_groups_says_so(client):
    quiet = OrganisationFactory(name="Quiet Charity")
    assert "No groups are listed just now." in client.get(f"/organisations/{quiet.slug}/").text


@pytest.mark.parametrize("status", [Organisation.Status.PENDING, Organisation.Status.DECLINED])
def test_an_organisation_not_approved_is_not_found(client, status):
    hidden = OrganisationFactory(status=status)
    assert client.get(f"/organisations/{hidden.slug}/").status_code == 404


def test_organisation_pages_query_count_does_not_grow_with_groups(
    client, django_assert_max_num_queries
):
    hub = OrganisationFactory()
    group_with_schedule(organisation=hub)
    with django_assert_max_num_queries(15) as few:
        client.get(f"/organisations/{hub.slug}/")
    for _ in range(10):
        group_with_schedule(organisation=hub)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/organisations/{hub.slug}/")
    with django_assert_max_num_queries(10):
        client.get("/organisations/")


def test_organisation_pages_set_no_cookie(client):
    hub = OrganisationFactory()
    assert client.get("/organisations/").cookies == {}
    assert client.get(f"/organisations/{hub.slug}/").cookies == {}
