"""An organiser's numbers for one group: the last 12 weeks, as charts, a table and a CSV."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import Membership
from evidence.group_evidence import first_week_start
from evidence.models import DailyCount
from tests.factories import GroupFactory, MembershipFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(name="Elgin Natter")


def url(group, suffix="evidence/"):
    return f"/manage/groups/{group.pk}/{suffix}"


def add(group, metric, number, days_ago=0, key=None):
    DailyCount.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        metric=metric,
        key=key or str(group.pk),
        count=number,
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, group):
    response = client.get(url(group))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(url(group, "evidence.csv")).status_code == 302


def test_an_organiser_of_another_organisation_gets_not_found(client, group):
    client.force_login(MembershipFactory().user)
    assert client.get(url(group)).status_code == 404
    assert client.get(url(group, "evidence.csv")).status_code == 404


@pytest.mark.parametrize("role", [Membership.Role.ADMIN, Membership.Role.EDITOR])
def test_members_of_the_organisation_see_it(client, group, role):
    member = MembershipFactory(organisation=group.organisation, role=role).user
    client.force_login(member)
    response = client.get(url(group))
    assert response.status_code == 200
    assert "How parents use Elgin Natter" in response.text


def test_moderators_see_it(client, group):
    client.force_login(ModeratorFactory())
    assert client.get(url(group)).status_code == 200


def test_a_signed_in_user_with_no_organisation_gets_not_found(client, group):
    client.force_login(UserFactory())
    assert client.get(url(group)).status_code == 404


@pytest.fixture
def member_client(client, group):
    client.force_login(MembershipFactory(organisation=group.organisation).user)
    return client


def test_it_adds_up_the_last_12_weeks_and_leaves_out_older_days_and_other_groups(
    member_client, group
):
    today = timezone.localdate()
    first = first_week_start(today)
    add(group, "group_view", 5)
    add(group, "group_view", 3, days_ago=(today - first).days)  # first day shown
    add(group, "group_view", 100, days_ago=(today - first).days + 1)  # the day before
    add(group, "shortlist_open", 2)
    add(group, "referral_print", 1, days_ago=8)
    add(group, "calendar_download", 4)
    add(group, "helpful_yes", 6)
    add(group, "helpful_no", 1)
    add(group, "found_times", 2)
    add(group, "group_view", 50, key="999999")
    add(group, "organisation_view", 9, key=str(group.organisation.pk))
    response = member_client.get(url(group))
    totals = response.context["totals"]
    assert totals["group_view"] == 8
    assert totals["shortlist_open"] == 2
    assert totals["referral_print"] == 1
    assert totals["calendar_download"] == 4
    assert (totals["helpful_yes"], totals["helpful_no"], totals["found_times"]) == (6, 1, 2)
    assert response.context["organisation_views"] == 9
    weeks = response.context["weeks"]
    assert len(weeks) == 12
    assert weeks[0].starts_on == first and weeks[0].starts_on.weekday() == 0
    assert weeks[0].views == 3
    assert weeks[-1].views == 5


def test_each_chart_is_an_accessible_svg_with_the_numbers_in_a_table_too(member_client, group):
    add(group, "group_view", 7)
    add(group, "calendar_download", 2)
    response = member_client.get(url(group))
    html = response.text
    assert html.count('<svg viewBox="0 0 360 150" role="img"') == 4
    assert html.count("<title id=") == 4
    assert html.count("<desc id=") == 4
    assert "Page views, week by week over the last 12 weeks: 7 in all." in html
    assert "Calendar downloads, week by week over the last 12 weeks: 2 in all." in html
    assert "Parents who said the page helped: none in the last 12 weeks." in html
    first = first_week_start(timezone.localdate())
    assert f"from the week beginning {first.day} {first:%B %Y}" in html
    last_row = html.split("</tbody>")[0].split("<tr>")[-1]
    assert [cell.split("</td>")[0] for cell in last_row.split("<td>")[1:]] == [
        "7",
        "0",
        "0",
        "2",
        "0",
        "0",
    ]
    assert response.context["charts"][0]["bars"][-1].value == 7


def test_the_csv_has_a_row_per_week(member_client, group):
    add(group, "group_view", 7)
    add(group, "helpful_no", 1)
    response = member_client.get(url(group, "evidence.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 12
    assert rows[-1]["page_views"] == "7"
    assert rows[-1]["helpful_no"] == "1"
    assert rows[0]["page_views"] == "0"
    assert rows[0]["week_beginning"] == first_week_start(timezone.localdate()).isoformat()


def test_it_needs_a_fixed_number_of_queries(member_client, group, django_assert_max_num_queries):
    for days_ago in range(80):
        add(group, "group_view", 1, days_ago=days_ago)
        add(group, "helpful_yes", 1, days_ago=days_ago)
    # 8, and 3 to save the session (in a savepoint), which restarts its idle clock.
    with django_assert_max_num_queries(11):
        response = member_client.get(url(group))
    today = timezone.localdate()
    days_shown = (today - first_week_start(today)).days + 1
    assert response.context["totals"]["group_view"] == min(80, days_shown)


def test_a_post_is_refused(member_client, group):
    assert member_client.post(url(group)).status_code == 405


def test_the_dashboard_and_the_group_page_link_to_it(member_client, group):
    link = f'href="/manage/groups/{group.pk}/evidence/"'
    assert link in member_client.get("/manage/").text
    assert link in member_client.get(f"/manage/groups/{group.pk}/").text
