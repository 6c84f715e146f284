"""Real-browser tests: Debian's chromium driven by Playwright, at a phone's size."""

import os
import pathlib

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where tests keep the screenshots a person looks at.
SHOTS = pathlib.Path(os.environ.get("SCREENSHOTS_DIR", "/tmp/moray-shots"))
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are
# ordinary synchronous ones made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    reason = None
    if not os.path.exists(CHROMIUM):
        reason = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Browser tests are required here but cannot run: {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    third_party = []

    def watch(request):
        if not request.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            third_party.append(request.url)

    page.on("request", watch)
    page.third_party_requests = third_party
    yield page


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page):
    """WCAG 2.2 A and AA violations axe-core finds on the page as it is now, once loaded:
    on a busy machine a page sent after a form can show before its stylesheet is in, and
    unstyled links are too small to tap."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} places, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
    ]


def sign_in(page, live_server, user):
    """Give the browser the session cookie of a signed-in `user` (the sign-in form itself is
    walked in tests/browser/test_organiser_pages.py)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
