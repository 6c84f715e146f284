"""Signing in with allauth: email only, verified addresses, nothing given away, rate limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.accounts.organiser_world import verified
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "bramble-harbour-lantern-42"


def sign_up(client, email="morag@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_sign_up_asks_for_email_and_password_only(client):
    response = client.get(reverse("account_signup"))
    form = response.context["form"]
    assert list(form.fields) == ["email", "password1", "password2"]
    assert "username" not in response.text.lower()


def test_sign_in_page_asks_for_email_not_a_username(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'type="email"' in response.text
    assert "username" not in response.text.lower()


def test_account_pages_use_the_site_layout_with_quick_exit(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(reverse(name))
        assert "Exit this page" in response.text
        assert "Need help now?" in response.text
        assert 'name="viewport"' in response.text


def test_sign_up_sends_a_confirmation_email_and_blocks_sign_in_until_confirmed(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["morag@example.org"]
    user = get_user_model().objects.get(email="morag@example.org")
    assert not EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "morag@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[1])
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        reverse("account_login"), {"login": "morag@example.org", "password": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_up_with_a_taken_address_looks_the_same_as_a_new_one(client):
    UserFactory(email="taken@example.org")
    taken = sign_up(client, "taken@example.org")
    fresh = sign_up(client, "fresh@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The owner of the taken address hears about it by email, not the person at the keyboard.
    assert [m.to for m in mail.outbox] == [["taken@example.org"], ["fresh@example.org"]]


def test_an_organiser_signs_in_with_email_and_password(client):
    user = verified(UserFactory(email="eilidh@example.org"))
    response = client.post(
        reverse("account_login"), {"login": "Eilidh@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_summary_at_the_top(client):
    verified(UserFactory(email="eilidh@example.org"))
    response = client.post(
        reverse("account_login"), {"login": "eilidh@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert "_auth_user_id" not in client.session


def test_an_organiser_can_sign_in_with_a_code_sent_by_email(client):
    user = verified(UserFactory(email="eilidh@example.org"))
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_does_not_reveal_whether_an_address_is_registered(client):
    verified(UserFactory(email="known@example.org"))
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done = client.get(known["Location"])
    assert "known@example.org" not in done.text
    # Both addresses get an email; only the registered one gets a reset link.
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_repeated_failed_sign_ins_are_rate_limited_even_with_the_right_password(client):
    verified(UserFactory(email="eilidh@example.org"))
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "eilidh@example.org", "password": "x"})
    response = client.post(
        reverse("account_login"), {"login": "eilidh@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.text


def test_signing_out_needs_a_post(client):
    user = verified(UserFactory())
    client.force_login(user)
    client.get(reverse("account_logout"))
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_password_needs_twelve_characters_and_must_not_be_a_common_one(client):
    for password in ("lantern-42ab", "password1234"):
        client.post(
            reverse("account_signup"),
            {"email": "morag@example.org", "password1": password[:11], "password2": password[:11]},
        )
    assert not get_user_model().objects.filter(email="morag@example.org").exists()
    response = client.post(
        reverse("account_signup"),
        {"email": "morag@example.org", "password1": "password1234", "password2": "password1234"},
    )
    assert "too common" in response.text
    assert not get_user_model().objects.filter(email="morag@example.org").exists()
    sign_up(client)
    assert get_user_model().objects.filter(email="morag@example.org").exists()


def test_signing_up_with_a_taken_address_does_the_same_hashing_work(client, monkeypatch):
    from django.contrib.auth.hashers import MD5PasswordHasher

    hashed = []
    encode = MD5PasswordHasher.encode

    def counting_encode(self, *args, **kwargs):
        hashed.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    sign_up(client, "new.person@example.org")
    for_a_new_address = len(hashed)
    client.logout()
    hashed.clear()
    verified(UserFactory(email="taken@example.org"))
    hashed.clear()
    sign_up(client, "taken@example.org")
    assert len(hashed) == for_a_new_address >= 1
