import csv
import io

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import Group
from opendata import csv_io
from opendata.forms import SALT
from tests.factories import MembershipFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

URL = "/moderation/csv/import/"
APPLY = "/moderation/csv/import/apply/"


def export_rows(organisation):
    out = io.StringIO()
    csv_io.write_csv(csv_io.export_groups(organisation), timezone.localdate(), out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def upload(client, organisation, rows, name="listings.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    data = SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), "text/csv")
    return client.post(URL, {"organisation": organisation.pk, "file": data})


@pytest.fixture
def moderator(client):
    client.force_login(ModeratorFactory())
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
    assert client.post(APPLY).status_code == 302


def test_organisers_are_refused_even_for_their_own_organisation(client, directory):
    client.force_login(MembershipFactory(organisation=directory["hub"]).user)
    assert client.get(URL).status_code == 403
    assert upload(client, directory["hub"], export_rows(directory["hub"])).status_code == 403
    assert client.post(APPLY, {"upload": "x"}).status_code == 403


def test_moderators_see_the_page(moderator):
    response = moderator.get(URL)
    assert response.status_code == 200
    assert "Upload changes" in response.text


def test_an_upload_is_previewed_and_nothing_is_saved(moderator, directory):
    hub = directory["hub"]
    rows = export_rows(hub)
    rows[0]["summary"] = "New summary"
    response = upload(moderator, hub, rows)
    assert response.status_code == 200
    assert response.context["plan"].counts == {"new": 0, "changed": 1, "unchanged": 2}
    assert "New summary" in response.text
    assert "Save these changes" in response.text
    assert not Group.objects.filter(summary="New summary").exists()


def test_applying_the_preview_saves_the_changes(moderator, directory):
    hub = directory["hub"]
    rows = export_rows(hub)
    rows[0]["summary"] = "New summary"
    preview = upload(moderator, hub, rows)
    signed = preview.context["apply_form"].initial["upload"]
    response = moderator.post(APPLY, {"upload": signed})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert Group.objects.filter(summary="New summary").count() == 1


def test_errors_are_shown_by_line_and_there_is_no_way_to_apply(moderator, directory):
    hub = directory["hub"]
    rows = export_rows(hub)
    rows[1]["status"] = "sort of"
    response = upload(moderator, hub, rows)
    assert "Nothing has been saved" in response.text
    assert "Line 3: status" in response.text
    assert "Save these changes" not in response.text


def test_a_tampered_upload_is_refused(moderator, directory):
    signed = signing.dumps({"organisation": directory["hub"].pk, "content": "name\nX\n"}, salt=SALT)
    response = moderator.post(APPLY, {"upload": signed[:-2] + "xx"}, follow=True)
    assert "upload the file again" in response.text
    assert not Group.objects.filter(name="X").exists()


def test_changes_made_since_the_preview_are_checked_again(moderator, directory):
    hub = directory["hub"]
    rows = export_rows(hub)
    rows[0]["summary"] = "New summary"
    signed = upload(moderator, hub, rows).context["apply_form"].initial["upload"]
    hub.venues.filter(name="Library").update(name="Old Library")
    response = moderator.post(APPLY, {"upload": signed})
    assert response.status_code == 200
    assert response.context["plan"].errors
    assert not Group.objects.filter(summary="New summary").exists()


def test_a_file_that_is_not_utf8_is_refused(moderator, directory):
    data = SimpleUploadedFile("x.csv", "name\nCafé\n".encode("latin-1"), "text/csv")
    response = moderator.post(URL, {"organisation": directory["hub"].pk, "file": data})
    assert response.status_code == 200
    assert "CSV UTF-8" in response.text


def test_applying_only_answers_posts(moderator):
    assert moderator.get(APPLY).status_code == 405
