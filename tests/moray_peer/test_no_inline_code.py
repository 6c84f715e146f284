"""The Content-Security-Policy allows no inline script or style, so no page may need one: no
<script> without src, no <style>, no style="" or onclick="" attributes, no javascript: links
(unless it carries the request's CSP nonce)."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import MembershipFactory, ModeratorFactory, group_with_schedule

# <script> types that are data, not code: the policy does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "nonce" in attrs:
            return
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f'{tag} {name}="{value}"')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f'{tag} {name}="{value}"')


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def project_templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    return [path for root in roots for path in root.rglob("*.html")]


def test_no_template_of_ours_has_inline_script_or_style():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in project_templates()
        if (found := inline_code(path.read_text()))
    }
    assert project_templates()
    assert not offenders


def test_the_detector_finds_inline_code():
    assert inline_code('<p style="color:red" onclick="go()"><script>go()</script>') == [
        'p style="color:red"',
        'p onclick="go()"',
        "inline <script>",
    ]
    assert inline_code('<script nonce="abc">go()</script><script src="/s.js"></script>') == []


@pytest.mark.django_db
def test_rendered_pages_need_no_inline_code(client):
    group = group_with_schedule()
    pages = ["/", "/whats-on/", f"/groups/{group.slug}/", "/organisations/", "/help/"]
    pages += ["/accounts/login/", "/no-such-page/"]
    for path in pages:
        assert inline_code(client.get(path).content.decode()) == [], path
    client.force_login(MembershipFactory(organisation=group.organisation).user)
    for path in ("/manage/", f"/manage/groups/{group.pk}/", f"/manage/groups/{group.pk}/edit/"):
        assert inline_code(client.get(path).content.decode()) == [], path
    client.force_login(ModeratorFactory())
    assert inline_code(client.get("/moderation/").content.decode()) == []
