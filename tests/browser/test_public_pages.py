import pytest

from tests.browser.conftest import axe_violations
from tests.factories import group_with_schedule

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_group_list_has_no_accessibility_violations(live_server, page):
    group_with_schedule(name="Cuppa and Chat Elgin")
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Cuppa and Chat Elgin").is_visible()
    assert axe_violations(page) == []
    assert page.third_party_requests == []
