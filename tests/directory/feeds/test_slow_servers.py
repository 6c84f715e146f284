"""A calendar server that answers a byte at a time cannot hold a reader past its time limit."""

import socket
import threading
import time

import pytest

from directory.feeds import FeedError, fetch


@pytest.fixture
def trickling_server(settings):
    """Answers every request a byte every 0.2 s, forever (until the reader hangs up)."""
    settings.CALENDAR_FEED_ALLOW_LOOPBACK = True
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def answer(conn):
        with conn:
            conn.recv(4096)
            reply = (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n" * 50
            )
            for byte in reply:
                if stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.2)

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed as the test ends
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed.ics"
    stop.set()
    listener.close()


def test_a_trickling_server_is_given_up_on_at_the_time_limit(settings, trickling_server):
    settings.CALENDAR_FEED_TIMEOUT_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(FeedError, match="took too long"):
        fetch(trickling_server)
    assert time.monotonic() - started < 3
