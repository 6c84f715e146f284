"""A moderator without two-factor authentication signs in on a phone, is sent to set up an
authenticator app, does so, and continues to the page they were opening; the pages pass
axe-core's checks."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, UserFactory
from tests.totp import current_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_sets_up_an_authenticator_app_before_moderating(live_server, page):
    moderator = UserFactory(is_staff=True)
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)

    page.goto(live_server.url + "/moderation/")
    page.get_by_label("Email").fill(moderator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # allauth asks for the password again before any change to two-factor authentication.
    page.get_by_text("Moderator accounts need two-factor authentication").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    page.get_by_label("Authenticator secret").wait_for()
    assert page.url == live_server.url + "/accounts/2fa/totp/activate/"
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    assert axe_violations(page) == []
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h16_shots/recovery_codes.png", full_page=True)
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()
    page.get_by_role("link", name="Continue").click()  # on to the page they were opening
    expect(page.get_by_role("heading", name="Moderation", exact=True)).to_be_visible()
    assert page.url == live_server.url + "/moderation/"
    assert page.third_party_requests == []


def test_the_code_for_the_secret_shown_still_works_after_a_reload_and_a_new_browser(
    live_server, browser
):
    from tests.browser.conftest import PHONE

    moderator = UserFactory(is_staff=True)
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)

    def sign_in(page):
        page.goto(live_server.url + "/moderation/")
        page.get_by_label("Email").fill(moderator.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Moderator accounts need two-factor authentication").wait_for()
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page)
    secret_box = page.get_by_label("Authenticator secret")
    secret_box.wait_for()
    shown = secret_box.input_value()
    # The browser fetches its icon by itself; that must not change the secret.
    assert page.request.get(live_server.url + "/favicon.ico").ok
    page.reload()
    expect(page.get_by_label("Authenticator secret")).to_have_value(shown)
    context.close()

    # A new browser: signed out, signs in again and sees the same secret.
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page)
    expect(page.get_by_label("Authenticator secret")).to_have_value(shown)
    page.get_by_label("Authenticator code").fill(current_code(shown))
    page.get_by_role("button", name="Activate").click()
    page.get_by_text("Recovery codes").first.wait_for()
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()
    context.close()
