"""The account pages an organiser meets speak our words, not allauth's stock titles."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STOCK = ["Verify Your Email Address", "Confirm Access", "Confirm Email Address"]


def no_stock_words(text):
    return not any(words in text for words in STOCK)


def test_after_signing_up_she_is_asked_to_check_her_email_then_confirms_it(client):
    chosen = "bramble-harbour-lantern-42"
    response = client.post(
        reverse("account_signup"),
        {"email": "ailsa@example.org", "password1": chosen, "password2": chosen},
        follow=True,
    )
    assert "<h1>Check your email</h1>" in response.text and no_stock_words(response.text)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page = client.get(urlsplit(link).path)
    assert "<h1>Confirm your email address</h1>" in page.text and no_stock_words(page.text)
    assert "<strong>ailsa@example.org</strong>" in page.text


def test_an_old_confirmation_link_says_what_to_do(client):
    page = client.get("/accounts/confirm-email/not-a-real-key/")
    assert "This link has expired or has already been used." in page.text
    assert no_stock_words(page.text)


def test_confirming_the_password_before_a_change_says_why(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = client.get(reverse("account_reauthenticate"))
    assert "<h1>Confirm it's you</h1>" in page.text and no_stock_words(page.text)
