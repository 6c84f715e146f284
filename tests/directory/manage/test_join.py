import pytest
from django.core import mail

from accounts.models import Membership, Organisation
from directory.manage.join import JOIN_LIMIT, MOST_APPLICATIONS_WAITING
from tests.factories import ModeratorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/join/"

APPLICATION = {
    "name": "Hopeman Bumps & Babies",
    "charity_number": "SC012345",
    "website": "https://hopemanbumps.example",
    "contact_name": "Ailsa",
    "email": "hello@hopemanbumps.example",
    "phone": "01632 960111",
    "why": "Weekly drop-in for parents of babies in Hopeman and Burghead.",
}


@pytest.fixture
def applicant(client):
    user = UserFactory(email="ailsa@hopemanbumps.example")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_told_to_create_an_account_first(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'href="/accounts/signup/?next=/join/"' in response.text
    assert 'href="/accounts/login/?next=/join/"' in response.text
    assert "<form" not in response.text.split('id="main"')[1].split("</main>")[0]
    assert response.cookies == {}


def test_anonymous_applications_are_sent_to_sign_in(client):
    response = client.post(URL, APPLICATION)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/join/")
    assert not Organisation.objects.exists()


def test_signed_in_users_see_the_form(client, applicant):
    response = client.get(URL)
    assert response.status_code == 200
    for field in APPLICATION:
        assert f'name="{field}"' in response.text


def test_an_application_creates_a_pending_organisation_with_the_applicant_as_admin(
    client, applicant
):
    response = client.post(URL, APPLICATION)
    assert response.status_code == 302
    assert response["Location"] == "/join/thanks/"
    organisation = Organisation.objects.get()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.name == "Hopeman Bumps & Babies"
    assert organisation.charity_number == "SC012345"
    assert organisation.website == "https://hopemanbumps.example"
    assert organisation.contact_name == "Ailsa"
    assert organisation.why.startswith("Weekly drop-in")
    assert organisation.slug == "hopeman-bumps-babies"
    membership = Membership.objects.get()
    assert (membership.user, membership.role) == (applicant, Membership.Role.ADMIN)
    assert not Organisation.objects.approved().exists()


def test_moderators_are_emailed_about_a_new_application(client, applicant):
    ModeratorFactory(email="mod@example.org")
    client.post(URL, APPLICATION)
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    assert "Hopeman Bumps & Babies" in mail.outbox[0].subject
    assert "/moderation/organisations/hopeman-bumps-babies/" in mail.outbox[0].body
    assert "ailsa@hopemanbumps.example" in mail.outbox[0].body


def test_the_thank_you_page_explains_what_happens_next(client, applicant):
    client.post(URL, APPLICATION)
    response = client.get("/join/thanks/")
    assert response.status_code == 200
    assert "Hopeman Bumps &amp; Babies" in response.text
    assert "dashboard" in response.text


@pytest.mark.parametrize("missing", ["name", "contact_name", "email", "why"])
def test_the_essentials_are_required(client, applicant, missing):
    response = client.post(URL, {**APPLICATION, missing: ""})
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("optional", ["charity_number", "website", "phone"])
def test_charity_number_website_and_phone_are_optional(client, applicant, optional):
    response = client.post(URL, {**APPLICATION, optional: ""})
    assert response.status_code == 302


@pytest.mark.parametrize("number", ["12345", "SC12345", "SC0123456", "CHY 12345"])
def test_a_charity_number_not_in_the_registers_format_is_refused_with_an_example(
    client, applicant, number
):
    response = client.post(URL, {**APPLICATION, "charity_number": number})
    assert response.status_code == 200
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_charity_number"' in summary
    assert "Enter a Scottish charity number in the right format, like SC012345" in summary
    assert not Organisation.objects.exists()


def test_a_charity_number_typed_in_lower_case_or_with_spaces_is_kept_the_registers_way(
    client, applicant
):
    assert client.post(URL, {**APPLICATION, "charity_number": "sc 012 345"}).status_code == 302
    assert Organisation.objects.get().charity_number == "SC012345"


def test_a_website_typed_without_https_gets_it(client, applicant):
    assert client.post(URL, {**APPLICATION, "website": "hopemanbumps.example"}).status_code == 302
    assert Organisation.objects.get().website == "https://hopemanbumps.example"


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://hopemanbumps.example", "x y"])
def test_a_website_that_is_not_a_web_page_is_refused(client, applicant, address):
    response = client.post(URL, {**APPLICATION, "website": address})
    assert response.status_code == 200
    assert 'href="#id_website"' in response.text
    assert not Organisation.objects.exists()


def test_a_listed_name_cannot_be_taken_again(client, applicant):
    OrganisationFactory(name="Hopeman Bumps & Babies", slug="taken")
    response = client.post(URL, {**APPLICATION, "name": "hopeman bumps & babies"})
    assert response.status_code == 200
    assert "ask one of its admins to invite you" in response.text
    assert Organisation.objects.count() == 1


def test_nothing_the_applicant_sends_can_approve_it(client, applicant):
    client.post(URL, {**APPLICATION, "status": "approved", "is_demo": "on"})
    organisation = Organisation.objects.get()
    assert organisation.status == Organisation.Status.PENDING
    assert not organisation.is_demo


def test_the_thank_you_page_needs_sign_in(client):
    response = client.get("/join/thanks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def application(number):
    return {**APPLICATION, "name": f"Forres Family Circle {number}"}


def test_one_account_cannot_send_application_after_application(client, applicant):
    for number in range(MOST_APPLICATIONS_WAITING):
        assert client.post(URL, application(number)).status_code == 302
    mail.outbox.clear()
    response = client.post(URL, application("one too many"))
    assert response.status_code == 429
    assert "Please wait for our reply" in response.text
    assert mail.outbox == []
    assert Organisation.objects.count() == MOST_APPLICATIONS_WAITING


def test_one_connection_cannot_apply_again_and_again_from_new_accounts(client):
    for number in range(JOIN_LIMIT.per_window):
        client.force_login(UserFactory())
        assert client.post(URL, application(number)).status_code == 302
    client.force_login(UserFactory())
    assert client.post(URL, application("one too many")).status_code == 429


def test_an_essay_of_megabytes_is_refused(client, applicant):
    response = client.post(URL, {**APPLICATION, "why": "We support parents. " * 120_000})
    assert response.status_code == 200
    assert "at most 5000 characters" in response.text
    assert not Organisation.objects.exists()


def test_an_application_sent_as_the_last_of_the_allowance_went_elsewhere_is_refused(
    client, applicant, monkeypatch
):
    # Two sent at once both pass the first check; the one that finds the allowance used up
    # when it takes its share is refused before anything is saved or emailed.
    monkeypatch.setattr(JOIN_LIMIT, "take", lambda request: False)
    response = client.post(URL, application("at the same moment"))
    assert response.status_code == 429
    assert not Organisation.objects.exists()
    assert mail.outbox == []
