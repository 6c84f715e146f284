"""An organisation's numbers for a funder: every group of its own, over the dates chosen, on
the page and as a CSV; the organisation's page and its embed views too."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from directory.models import Group
from evidence.models import DailyCount
from tests.factories import GroupFactory, MembershipFactory, ModeratorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 4, 1)
END = datetime.date(2026, 6, 30)


@pytest.fixture
def hub():
    hub = OrganisationFactory(name="Moray Wellbeing Hub", slug="moray-wellbeing-hub")
    natter = GroupFactory(organisation=hub, name="Elgin Natter")
    cuppa = GroupFactory(organisation=hub, name="Forres Cuppa", status=Group.Status.DRAFT)
    elsewhere = GroupFactory(name="Someone else's group")
    for day, metric, key, number in [
        (START, "group_view", natter.pk, 10),
        (END, "group_view", natter.pk, 5),
        (END, "shortlist_open", natter.pk, 3),
        (START, "group_view", cuppa.pk, 2),
        (START, "helpful_yes", cuppa.pk, 1),
        (START - datetime.timedelta(days=1), "group_view", natter.pk, 100),  # before
        (END + datetime.timedelta(days=1), "group_view", natter.pk, 100),  # after
        (START, "group_view", elsewhere.pk, 50),
        (START, "organisation_view", hub.pk, 7),
        (START, "embed_view", f"organisation:{hub.pk}", 4),
    ]:
        DailyCount.objects.create(day=day, metric=metric, key=str(key), count=number)
    return hub


def url(hub, name="organisation_evidence"):
    return reverse(name, args=[hub.slug])


DATES = {"start": START.isoformat(), "end": END.isoformat()}


def test_a_member_sees_each_of_its_groups_over_the_dates_chosen(client, hub):
    client.force_login(MembershipFactory(organisation=hub).user)
    response = client.get(url(hub), DATES)
    assert response.status_code == 200
    assert response.context["rows"][0][0].name == "Elgin Natter"
    assert [counts for _, counts in response.context["rows"]] == [
        [15, 3, 0, 0, 0, 0],
        [2, 0, 0, 0, 1, 0],
    ]
    assert response.context["totals"] == [17, 3, 0, 0, 1, 0]
    text = response.text
    assert "Someone else" not in text
    assert "Forres Cuppa</a> (draft)" in text
    assert "<strong>7</strong> views of Moray Wellbeing Hub" in text
    assert "<strong>4</strong> views of your groups on partners" in text


def test_the_csv_has_the_same_numbers(client, hub):
    client.force_login(MembershipFactory(organisation=hub).user)
    response = client.get(url(hub, "organisation_evidence_csv"), DATES)
    assert (
        'filename="moray-wellbeing-hub-2026-04-01-to-2026-06-30.csv"'
        in response["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["Elgin Natter", "15", "3", "0", "0", "0", "0"]
    assert rows[3] == ["All groups", "17", "3", "0", "0", "1", "0"]
    assert rows[4:] == [["Organisation page views", "7"], ["Views on partners' websites", "4"]]


def test_another_organisations_member_is_not_shown_it(client, hub):
    client.force_login(MembershipFactory().user)
    assert client.get(url(hub)).status_code == 404
    assert client.get(url(hub, "organisation_evidence_csv")).status_code == 404


def test_a_colleague_who_is_not_an_admin_may_see_it_and_a_moderator_too(client, hub):
    client.force_login(MembershipFactory(organisation=hub, role="editor").user)
    assert client.get(url(hub)).status_code == 200
    client.force_login(ModeratorFactory())
    assert client.get(url(hub)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, hub):
    response = client.get(url(hub))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_dashboard_links_to_it(client, hub):
    client.force_login(MembershipFactory(organisation=hub).user)
    assert f'href="{url(hub)}"' in client.get(reverse("dashboard")).text


def test_its_queries_do_not_grow_with_its_groups(client, hub, django_assert_max_num_queries):
    for n in range(20):
        GroupFactory(organisation=hub, name=f"Group {n}")
    client.force_login(MembershipFactory(organisation=hub).user)
    # Sign-in and access checks, the groups, their counts, the organisation's own counts, and
    # saving the session (which restarts its idle clock).
    with django_assert_max_num_queries(12):
        client.get(url(hub), DATES)
