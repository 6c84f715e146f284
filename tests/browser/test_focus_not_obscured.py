"""WCAG 2.2 2.4.11 Focus Not Obscured: the sticky exit bar and the shortlist bar never cover
the element a keyboard user has just tabbed to, and never take more than a fifth of a phone's
screen, at ordinary and at 200% text."""

import pytest

from directory.shortlist import encode
from tests.browser.public_data import small_directory

pytestmark = pytest.mark.django_db(transaction=True)

COVERED = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  const box = focused.getBoundingClientRect();
  if (box.width < 2 || box.height < 2) return null;
  const hits = [];
  for (const bar of document.querySelectorAll('.exit-bar, .shortlist-bar')) {
    const style = getComputedStyle(bar);
    if (bar.hidden || style.display === 'none' || !/sticky|fixed/.test(style.position)) continue;
    if (bar.contains(focused)) continue;
    const b = bar.getBoundingClientRect();
    const overlap = box.top < b.bottom - 1 && box.bottom > b.top + 1;
    // Something drawn above the bar (the skip link) is not covered by it.
    const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), window.innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const clear = top && (top === focused || focused.contains(top));
    const name = focused.textContent || focused.name || focused.tagName;
    if (overlap && !clear) hits.push(name.trim().slice(0, 40));
  }
  return hits.length ? hits[0] : null;
}"""

STUCK_SHARE = """() => {
  let covered = 0;
  for (const bar of document.querySelectorAll('.exit-bar, .shortlist-bar')) {
    const style = getComputedStyle(bar);
    if (bar.hidden || style.display === 'none' || !/sticky|fixed/.test(style.position)) continue;
    covered += bar.getBoundingClientRect().height;
  }
  return covered / window.innerHeight;
}"""


def pages(directory):
    code = encode([directory.calm.pk, directory.cuppa.pk])
    with_list = f"?shortlist={code}"
    return [
        "/" + with_list,
        directory.calm.get_absolute_url() + with_list,
        "/whats-on/" + with_list,
        "/organisations/" + with_list,
        directory.organisation.get_absolute_url() + with_list,
        "/help/" + with_list,
        f"{directory.calm.get_absolute_url()}report/{with_list}",
        f"/s/{code}/",
    ]


def obscured_tab_stops(page, limit=150):
    found = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        hit = page.evaluate(COVERED)
        if hit:
            found.append(hit)
        if page.evaluate("document.activeElement === document.body"):
            break
    return found


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_no_tab_stop_is_hidden_under_a_sticky_bar(live_server, page, text_size):
    directory = small_directory()
    hidden, share = {}, {}
    for path in pages(directory):
        page.goto(live_server.url + path)
        if text_size != "100%":
            page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
        page.wait_for_timeout(50)  # let the bars be measured after the text grew
        share[path] = page.evaluate(STUCK_SHARE)
        found = obscured_tab_stops(page)
        if found:
            hidden[path] = found
    assert hidden == {}
    assert max(share.values()) <= 0.2, share
