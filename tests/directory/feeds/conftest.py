import pytest

from tests.directory.feeds.server import FeedServer


@pytest.fixture
def feed_server(settings):
    settings.CALENDAR_FEED_ALLOW_LOOPBACK = True
    with FeedServer() as server:
        yield server
