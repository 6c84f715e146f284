from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, load_demo_accounts, remove_demo_accounts
from accounts.models import Membership, Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    return [
        OrganisationFactory(name="Demo Hub", slug="demo-hub", is_demo=True),
        OrganisationFactory(name="Real Charity", slug="real-charity", is_demo=False),
    ]


def test_each_demo_organisation_gets_an_admin_and_an_editor(organisations):
    accounts = load_demo_accounts(organisations)
    assert [email for email, _ in accounts] == [
        "moderator@example.org",
        "admin@demo-hub.example.org",
        "editor@demo-hub.example.org",
    ]
    roles = {
        (m.user.email, m.role)
        for m in Membership.objects.filter(organisation=organisations[0]).select_related("user")
    }
    assert roles == {
        ("admin@demo-hub.example.org", Membership.Role.ADMIN),
        ("editor@demo-hub.example.org", Membership.Role.EDITOR),
    }


def test_real_organisations_get_no_demo_accounts(organisations):
    load_demo_accounts(organisations)
    assert not Membership.objects.filter(organisation=organisations[1]).exists()


def test_the_moderator_is_staff_but_not_a_superuser(organisations):
    load_demo_accounts(organisations)
    moderator = User.objects.get(email="moderator@example.org")
    assert moderator.is_staff
    assert not moderator.is_superuser
    assert not User.objects.get(email="admin@demo-hub.example.org").is_staff


def test_every_account_has_the_demo_password_and_a_verified_email(organisations):
    load_demo_accounts(organisations)
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (user.email, True, True)


def test_a_demo_organiser_can_sign_in_at_once(client, organisations):
    load_demo_accounts(organisations)
    response = client.post(
        "/accounts/login/",
        {"login": "editor@demo-hub.example.org", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
    assert client.session.get("_auth_user_id")


def test_loading_twice_changes_nothing(organisations):
    load_demo_accounts(organisations)
    counts = (User.objects.count(), Membership.objects.count(), EmailAddress.objects.count())
    load_demo_accounts(organisations)
    assert (User.objects.count(), Membership.objects.count(), EmailAddress.objects.count()) == (
        counts
    )


def test_loading_again_repairs_a_changed_account(organisations):
    load_demo_accounts(organisations)
    editor = User.objects.get(email="editor@demo-hub.example.org")
    editor.set_password("something else")
    editor.is_staff = True
    editor.save()
    Membership.objects.filter(user=editor).update(role=Membership.Role.ADMIN)
    load_demo_accounts(organisations)
    editor.refresh_from_db()
    assert editor.check_password(DEMO_PASSWORD)
    assert not editor.is_staff
    assert Membership.objects.get(user=editor).role == Membership.Role.EDITOR


def test_removing_takes_every_demo_account_and_nothing_else(organisations):
    real = UserFactory(email="admin@realcharity.org")
    lookalike = UserFactory(email="admin@example.org")
    load_demo_accounts(organisations)
    organisations[0].delete()  # load_demo --remove may delete the organisations first
    assert remove_demo_accounts() == 3
    assert set(User.objects.all()) == {real, lookalike}
    assert remove_demo_accounts() == 0


def test_load_demo_adds_the_accounts_and_its_remove_option_takes_them_away():
    out = StringIO()
    call_command("load_demo", stdout=out)
    demo_organisations = Organisation.objects.filter(is_demo=True)
    assert User.objects.count() == 1 + 2 * demo_organisations.count()
    assert "moderator@example.org" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    for organisation in demo_organisations:
        assert organisation.memberships.count() == 2

    accounts = User.objects.count()
    out = StringIO()
    call_command("load_demo", "--remove", stdout=out)
    assert not User.objects.exists()
    assert f"{accounts} sign-in accounts" in out.getvalue()


def test_the_readme_lists_every_demo_account():
    call_command("load_demo", stdout=StringIO())
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    demo_section = readme.split("## Demo data", 1)[1].split("\n## ", 1)[0]
    assert "moderator@example.org" in demo_section
    assert f"`{DEMO_PASSWORD}`" in demo_section
    for slug in Organisation.objects.filter(is_demo=True).values_list("slug", flat=True):
        assert f"`{slug}`" in demo_section
