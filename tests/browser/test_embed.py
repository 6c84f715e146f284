"""An embed page framed by a partner's page on another origin, at a phone's size."""

import http.server
import threading

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner_site():
    """A partner's website on another loopback origin: serve(html) gives its page's address."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html, path="/surgery/"):
        pages[path] = html
        # "localhost" and "127.0.0.1" are different origins to the browser.
        return f"http://localhost:{server.server_address[1]}{path}"

    yield serve
    server.shutdown()
    server.server_close()


def partner_page(live_server, embed_path, with_script):
    script = f'<script src="{live_server.url}/static/js/embed.js" async></script>'
    return (
        "<!doctype html><html lang='en'><head><title>Elgin Surgery</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head><body>"
        "<h1>Elgin Surgery</h1><p>Groups near you:</p>"
        f'<iframe src="{live_server.url}{embed_path}" title="Peer support groups"'
        ' style="width:100%;height:600px;border:0"></iframe>'
        f"{script if with_script else ''}<p>After the groups</p></body></html>"
    )


def test_a_partners_page_on_another_origin_shows_the_groups_in_a_frame(
    live_server, page, partner_site
):
    directory = small_directory()
    path = f"/embed/organisations/{directory.organisation.slug}/"
    page.goto(partner_site(partner_page(live_server, path, with_script=False)))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Groups run by Moray Wellbeing Hub")).to_be_visible()
    calm = frame.get_by_role("link", name="Forres Calm Parents (opens in a new tab)")
    expect(calm).to_be_visible()
    assert page.context.cookies() == []
    page.screenshot(path="/tmp/embed-framed.png", full_page=True)


def test_the_optional_script_sizes_the_frame_to_the_list(live_server, page, partner_site):
    directory = small_directory()
    path = f"/embed/organisations/{directory.organisation.slug}/"
    page.goto(partner_site(partner_page(live_server, path, with_script=True)))
    frame = page.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Groups run by Moray Wellbeing Hub")).to_be_visible()
    iframe = page.locator("iframe")
    expect(iframe).not_to_have_attribute("style", "width:100%;height:600px;border:0")
    inner = page.frames[1].evaluate("document.documentElement.getBoundingClientRect().height")
    outer = iframe.evaluate("f => f.getBoundingClientRect().height")
    assert abs(outer - inner) <= 1
    page.screenshot(path="/tmp/embed-sized.png", full_page=True)


def test_a_group_link_in_the_frame_opens_the_full_page_in_a_new_tab(
    live_server, page, partner_site
):
    directory = small_directory()
    path = f"/embed/organisations/{directory.organisation.slug}/"
    page.goto(partner_site(partner_page(live_server, path, with_script=False)))
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Forres Calm Parents (opens in a new tab)")
    with page.context.expect_page() as opened:
        link.click()
    new_tab = opened.value
    expect(new_tab.get_by_role("heading", level=1, name="Forres Calm Parents")).to_be_visible()
    assert new_tab.url == live_server.url + directory.calm.get_absolute_url()


def test_an_ordinary_page_will_not_show_in_another_sites_frame(live_server, page, partner_site):
    small_directory()
    with page.expect_response(live_server.url + "/") as framed:
        page.goto(partner_site(partner_page(live_server, "/", with_script=False)))
    assert "frame-ancestors 'none'" in framed.value.headers["content-security-policy"]
    page.wait_for_load_state("load")
    # Chromium puts its own error page in the frame instead of ours.
    assert page.frames[1].url.startswith("chrome-error://")


def test_the_embed_and_the_snippet_page_have_no_accessibility_violation(live_server, page):
    directory = small_directory()
    found = {}
    for path in (
        f"/embed/organisations/{directory.organisation.slug}/",
        f"/on-your-website/?show=organisation:{directory.organisation.slug}",
    ):
        page.goto(live_server.url + path)
        found[path] = axe_violations(page)
    assert found == {path: [] for path in found}
    page.screenshot(path="/tmp/embed-snippet.png", full_page=True)
