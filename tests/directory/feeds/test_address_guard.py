"""The feed reader reaches only the public internet: every forbidden address kind is refused,
also once a name is resolved and after a redirect, and before anything is sent to it."""

import socket

import pytest

from directory import feeds

FORBIDDEN = {
    "loopback": "127.0.0.1",
    "loopback, elsewhere in 127/8": "127.8.9.10",
    "IPv6 loopback": "::1",
    "unspecified": "0.0.0.0",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.16.5.4",
    "private 192.168/16": "192.168.1.1",
    "shared address space (carrier-grade NAT)": "100.64.0.1",
    "link-local": "169.254.10.20",
    "cloud metadata": "169.254.169.254",
    "IPv6 cloud metadata": "fd00:ec2::254",
    "IPv6 unique local": "fc00::1",
    "IPv6 link-local": "fe80::1",
    "multicast": "224.0.0.251",
    "broadcast": "255.255.255.255",
    "documentation range": "192.0.2.10",
    "IPv4-mapped loopback": "::ffff:127.0.0.1",
    "IPv4-mapped private": "::ffff:10.0.0.1",
    "IPv4-mapped metadata": "::ffff:169.254.169.254",
    "IPv4-compatible loopback": "::127.0.0.1",
    "NAT64 metadata": "64:ff9b::169.254.169.254",
    "NAT64 private": "64:ff9b::10.0.0.1",
    "6to4 loopback": "2002:7f00:1::1",
    "6to4 private": "2002:c0a8:101::1",
    "Teredo with a private client": "2001:0:4136:e378:8000:63bf:f5ff:fffe",
}


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if the reader tries to connect anywhere."""
    attempts = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"tried to connect to {address}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def resolving_to(monkeypatch, *addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, 1, 6, "", (a, port))
                for a in addresses]  # fmt: skip

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("address", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_every_forbidden_address_kind_is_refused(address, no_connections):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(feeds.FeedError, match="not on the public internet"):
        feeds.fetch(f"https://{host}/calendar.ics")
    assert no_connections == []


@pytest.mark.parametrize("address", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_a_name_that_resolves_to_a_forbidden_address_is_refused(
    address, monkeypatch, no_connections
):
    resolving_to(monkeypatch, address)
    with pytest.raises(feeds.FeedError, match="not on the public internet"):
        feeds.fetch("https://calendar.example.org/feed.ics")
    assert no_connections == []


def test_a_name_with_one_public_and_one_private_address_is_refused(monkeypatch, no_connections):
    resolving_to(monkeypatch, "93.184.216.34", "10.0.0.5")
    with pytest.raises(feeds.FeedError, match="not on the public internet"):
        feeds.fetch("https://calendar.example.org/feed.ics")
    assert no_connections == []


def test_it_connects_to_the_address_it_checked_not_a_second_lookup(monkeypatch):
    lookups = iter([["93.184.216.34"], ["10.0.0.5"]])
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, 1, 6, "", (ip, port)) for ip in next(lookups)
        ],
    )
    connected = []

    def record(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", record)
    with pytest.raises(feeds.FeedError, match="could not be reached"):
        feeds.fetch("https://calendar.example.org/feed.ics")
    assert connected == [("93.184.216.34", 443)]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://calendar.example.org/feed.ics",
        "gopher://calendar.example.org/",
        "http://calendar.example.org/feed.ics",
        "https://user:secret@calendar.example.org/feed.ics",
        "https:///feed.ics",
        "calendar.example.org/feed.ics",
    ],
)
def test_anything_but_an_https_address_is_refused(url, no_connections):
    with pytest.raises(feeds.FeedError):
        feeds.fetch(url)
    assert no_connections == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::ffff:192.168.0.1]/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused(target, feed_server):
    url = feed_server.serve("/moved.ics", b"", status=302, Location=target)
    with pytest.raises(feeds.FeedError):
        feeds.fetch(url)
    assert [path for path, _ in feed_server.requests] == ["/moved.ics"]


def test_loopback_is_refused_without_the_test_only_setting(settings, no_connections):
    settings.CALENDAR_FEED_ALLOW_LOOPBACK = False
    with pytest.raises(feeds.FeedError):
        feeds.fetch("http://127.0.0.1:8000/calendar.ics")
    with pytest.raises(feeds.FeedError, match="not on the public internet"):
        feeds.fetch("https://localhost/calendar.ics")
    assert no_connections == []


def test_the_test_only_setting_is_never_read_from_the_environment():
    from pathlib import Path

    settings_text = Path(__file__).parents[3].joinpath("moray_peer/settings.py").read_text()
    assert "CALENDAR_FEED_ALLOW_LOOPBACK = False\n" in settings_text


def test_webcal_addresses_are_read_over_https():
    assert feeds.normalise_url(" webcal://calendar.example.org/x.ics ") == (
        "https://calendar.example.org/x.ics"
    )


def test_an_ipv6_address_carrying_a_public_ipv4_one_is_allowed():
    assert not feeds.is_forbidden_address("64:ff9b::8.8.8.8")
    assert not feeds.is_forbidden_address("2002:808:808::1")
    assert not feeds.is_forbidden_address("2a00:1450:4009:81d::200e")
