import csv
import io
import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

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


def test_errors_are_shown_by_row_and_column_and_there_is_no_way_to_apply(moderator, directory):
    hub = directory["hub"]
    rows = export_rows(hub)
    rows[1]["status"] = "sort of"
    response = upload(moderator, hub, rows)
    assert "Nothing has been saved" in response.text
    assert f"Row 3 ({rows[1]['name']}), column &#x27;status&#x27;: Write one of" in response.text
    assert "Save these changes" not in response.text


BAD_FILE = (
    "name,summary,description,schedules,breaks,online\r\n"
    '"Buggy Walk","A walk","We walk","Every Monday, 10:00-11:00, online\r\n'
    'Every Thursday, 10:00-11:00, online",,yes\r\n'
    '"Dads Walk","Dads on the move","Dads walk","Every Funday, 10:00-11:00, online",,yes\r\n'
    '"Cuppa","A cuppa","Tea","Every Monday, 10:00-11:00, online",'
    '"2030-01-01 to 2030-01-05\r\n2030-08-01 to 2030-07-01",yes\r\n'
    '"Baby Yoga","Stretch","Yoga","Every Friday, 10:00-11:00, online",,perhaps\r\n'
)


def test_a_bad_file_names_each_problems_spreadsheet_row_not_its_text_line(moderator, directory):
    """Cells spanning two lines of text part text lines and spreadsheet rows: Dads Walk is
    on text line 4 but row 3, Cuppa on line 5 but row 4, Baby Yoga on line 7 but row 5."""
    data = SimpleUploadedFile("groups.csv", BAD_FILE.encode(), "text/csv")
    response = moderator.post(URL, {"organisation": directory["hub"].pk, "file": data})
    problems = [str(problem) for problem in response.context["plan"].errors]
    assert problems == [
        "Row 3 (Dads Walk), column 'schedules': “Funday” is not a day of the week.",
        "Row 4 (Cuppa), column 'breaks': In “2030-08-01 to 2030-07-01” the last day is "
        "before the first.",
        "Row 5 (Baby Yoga), column 'online': Write yes or no, not “perhaps”.",
    ]
    for problem in response.context["plan"].errors:
        assert escape(str(problem)) in response.text
    assert "Line " not in response.text


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


def test_no_two_controls_on_the_page_share_an_id(moderator):
    html = moderator.get(URL).text
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'id="id_export_organisation"' in html
