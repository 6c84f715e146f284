"""Moderators (staff) must use two-factor authentication; organisers may choose to."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.totp import current_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def person(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up_authenticator(client):
    """Confirm the password (allauth asks before any change to two-factor), then scan the
    QR code and type the code."""
    response = client.get(ACTIVATE)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_a_moderator_without_two_factor_is_sent_to_set_it_up_from_any_page(client):
    sign_in(client, person(is_staff=True))
    for path in ("/", "/admin/", "/whats-on/", "/accounts/email/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ACTIVATE
    assert client.post("/admin/", {}).status_code == 302


def test_the_set_up_and_sign_out_pages_stay_open_to_that_moderator(client):
    sign_in(client, person(is_staff=True))
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == (ACTIVATE, 302)
    assert "Moderator accounts need two-factor authentication" in response.text
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    assert "Authenticator secret" in response.text
    assert 'id="need-help"' in response.text  # our layout, not allauth's bare one
    assert client.get(reverse("account_logout")).status_code == 200


def test_a_moderator_who_sets_up_an_authenticator_app_gets_recovery_codes_and_carries_on(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    set_up_authenticator(client)
    types = set(Authenticator.objects.filter(user=moderator).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_signing_in_again_asks_for_the_code(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    secret = set_up_authenticator(client)
    client.post(reverse("account_logout"))

    response = sign_in(client, moderator)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert (
        client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}).status_code == 302
    )
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_cannot_skip_the_second_factor(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    set_up_authenticator(client)
    client.post(reverse("account_logout"))

    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post("/admin/login/", {"username": moderator.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_a_moderator_cannot_switch_two_factor_off(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    set_up_authenticator(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()


def test_an_organiser_may_go_without_two_factor_or_choose_it(client):
    organiser = person()
    sign_in(client, organiser)
    assert client.get("/").status_code == 200
    set_up_authenticator(client)
    assert Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=organiser, type=Authenticator.Type.TOTP).exists()


def test_only_page_loads_are_sent_to_set_up_two_factor(client):
    sign_in(client, person(is_staff=True))
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301
    assert icon["Location"].endswith("img/favicon.svg")
    background = client.get("/manage/schedule-preview/", headers={"Sec-Fetch-Dest": "empty"})
    assert background.status_code == 403
    scripted = client.get("/", headers={"X-Requested-With": "XMLHttpRequest"})
    assert scripted.status_code == 403
    page = client.get("/", headers={"Sec-Fetch-Dest": "document"})
    assert page.status_code == 302
    assert page["Location"] == ACTIVATE


def test_the_set_up_page_keeps_offering_the_same_secret_until_it_is_used(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(ACTIVATE)
    shown = client.session[SECRET_SESSION_KEY]
    client.get("/favicon.ico")
    client.get(ACTIVATE)
    assert client.session[SECRET_SESSION_KEY] == shown

    # The browser closed: a new session, signed in again, is offered the same secret.
    client.cookies.clear()
    sign_in(client, moderator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert shown in client.get(ACTIVATE).text
    response = client.post(ACTIVATE, {"code": current_code(shown)})
    assert response.status_code == 302, response.content.decode()
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()


def test_a_used_secret_is_not_offered_again(client):
    organiser = person()
    sign_in(client, organiser)
    used = set_up_authenticator(client)
    client.post(reverse("mfa_deactivate_totp"))
    client.get(ACTIVATE)
    assert client.session[SECRET_SESSION_KEY] != used


def test_a_new_password_is_offered_a_new_secret(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(ACTIVATE)
    seen_before = client.session[SECRET_SESSION_KEY]

    moderator.set_password("a different long passphrase 42")
    moderator.save()
    client.cookies.clear()
    client.post(
        reverse("account_login"),
        {"login": moderator.email, "password": "a different long passphrase 42"},
    )
    client.post(reverse("account_reauthenticate"), {"password": "a different long passphrase 42"})
    client.get(ACTIVATE)
    assert client.session[SECRET_SESSION_KEY] != seen_before


def continue_link(response):
    match = re.search(r'<a href="([^"]*)"[^>]*>Continue</a>', response.text)
    assert match, "no Continue link"
    return match[1]


def test_after_set_up_the_recovery_codes_page_continues_to_where_the_moderator_was_going(client):
    sign_in(client, person(is_staff=True))
    assert client.get("/moderation/csv/import/?organisation=3")["Location"] == ACTIVATE
    client.get(ACTIVATE)  # the password first: neither page counts as where they were going
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(ACTIVATE)
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": current_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    assert "Your recovery codes" in response.text
    assert continue_link(response) == "/moderation/csv/import/?organisation=3"


def test_a_moderator_signing_in_straight_to_set_up_continues_to_where_signing_in_lands(client):
    sign_in(client, person(is_staff=True))
    set_up_authenticator(client)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert continue_link(response) == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"] == reverse("moderation_overview")


def test_once_there_the_page_they_were_going_to_is_forgotten(client):
    moderator = person(is_staff=True)
    sign_in(client, moderator)
    client.get("/whats-on/")
    set_up_authenticator(client)
    assert client.get("/whats-on/").status_code == 200
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert continue_link(response) == reverse("dashboard")
