import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from directory.models import Group, Report
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import (
    GroupFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
    group_with_schedule,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_moderation_overview_has_no_accessibility_violations(live_server, page):
    organisation = OrganisationFactory(name="Keith Cuppa Club", status=Organisation.Status.PENDING)
    GroupFactory(organisation=organisation, name="Keith Cuppa", status=Group.Status.PENDING)
    GroupFactory(name="Old Listing", last_confirmed=None)
    Report.objects.create(
        group=GroupFactory(name="Reported Group"),
        kind=Report.Kind.WRONG_TIME,
        details="It's on Wednesdays now",
        email="parent@example.com",
    )
    sign_in(page, live_server, ModeratorFactory())
    page.goto(live_server.url + "/moderation/")
    expect(page.get_by_role("heading", name="Moderation")).to_be_visible()
    expect(page.get_by_role("link", name="Keith Cuppa Club")).to_be_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []

    page.get_by_role("button", name="Mark resolved").click()
    page.get_by_text("No open reports.").wait_for()
    expect(page.get_by_text("marked resolved")).to_be_visible()


def test_the_review_pages_have_no_accessibility_violations(live_server, page):
    organisation = OrganisationFactory(name="Keith Cuppa Club", status=Organisation.Status.PENDING)
    group = GroupFactory(organisation=organisation, status=Group.Status.PENDING)
    sign_in(page, live_server, ModeratorFactory())
    page.goto(f"{live_server.url}/moderation/organisations/{organisation.slug}/")
    page.get_by_label("Why?").fill("   ")  # blank to the server: the error shows
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("This field is required")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/moderation/groups/{group.pk}/")
    assert axe_violations(page) == []


def test_a_parent_reports_a_problem_from_the_group_page(live_server, page):
    group = group_with_schedule(name="Elgin Natter")
    page.goto(live_server.url + group.get_absolute_url())
    page.get_by_role("link", name="Report a problem with this listing").click()
    expect(page.get_by_role("heading", name="Report a problem with Elgin Natter")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("The contact details don't work").check()
    page.get_by_label("Tell us more (optional)").fill("The phone number rings out.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Report.objects.get().details == "The phone number rings out."
    # Sent from our own page, checked by the browser's Sec-Fetch-Site: no cookie at all.
    assert page.context.cookies() == []
    assert page.third_party_requests == []


def test_the_application_form_has_no_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/join/")
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()
    assert axe_violations(page) == []
    OrganisationFactory(name="Hopeman Bumps")
    sign_in(page, live_server, UserFactory())
    page.goto(live_server.url + "/join/")
    page.get_by_label("Organisation name").fill("Hopeman Bumps")
    page.get_by_label("Your name").fill("Ailsa")
    page.get_by_label("Email for your organisation").fill("hello@hopeman.example")
    page.get_by_label("What do you do, and who for?").fill("Baby group")
    page.get_by_role("button", name="Send to our moderators").click()  # a name already listed
    expect(page.locator("#id_name_error").get_by_text("ask one of its admins")).to_be_visible()
    assert axe_violations(page) == []


def test_a_bad_spreadsheet_names_each_problems_row_and_column(live_server, page, tmp_path):
    from tests.opendata.test_csv_import import BAD_FILE

    organisation = OrganisationFactory(name="Moray Family Hub")
    bad_file = tmp_path / "groups.csv"
    bad_file.write_text(BAD_FILE)
    sign_in(page, live_server, ModeratorFactory())
    page.goto(live_server.url + "/moderation/csv/import/")
    page.get_by_label("Organisation", exact=True).select_option(label="Moray Family Hub")
    page.get_by_label("CSV file").set_input_files(bad_file)
    page.get_by_role("button", name="Check the file").click()
    problems = page.get_by_role("alert").get_by_role("listitem")
    expect(problems).to_have_count(3)
    expect(problems.first).to_have_text(
        "Row 3 (Dads Walk), column 'schedules': “Funday” is not a day of the week."
    )
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h16_shots/csv_import_errors.png", full_page=True)
    assert organisation.groups.count() == 0
