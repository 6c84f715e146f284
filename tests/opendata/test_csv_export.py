import csv
import io

import pytest

from tests.factories import MembershipFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

URL = "/moderation/csv/export/"


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_organisers_are_refused(client, directory):
    client.force_login(MembershipFactory(organisation=directory["hub"]).user)
    assert client.get(URL).status_code == 403


def test_moderators_download_the_whole_directory(client, directory):
    client.force_login(ModeratorFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    names = {row["name"] for row in rows(response)}
    assert names == {"Cuppa and Chat", "Buggy Walk", "Draft Group", "Waiting Group"}


def test_moderators_can_download_one_organisation(client, directory):
    client.force_login(ModeratorFactory())
    response = client.get(URL, {"organisation": directory["hub"].slug})
    assert {row["organisation"] for row in rows(response)} == {directory["hub"].slug}
    assert directory["hub"].slug in response["Content-Disposition"]


def test_the_export_makes_the_same_few_queries_however_many_groups(
    client, directory, django_assert_max_num_queries
):
    client.force_login(ModeratorFactory())
    with django_assert_max_num_queries(20):
        client.get(URL)


def test_an_unknown_organisation_is_not_found(client, directory):
    client.force_login(ModeratorFactory())
    assert client.get(URL, {"organisation": "nobody"}).status_code == 404
