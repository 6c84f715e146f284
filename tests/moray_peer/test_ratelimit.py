"""Public rate limits: each visitor's allowance, taken one or several at a time."""

from django.test import RequestFactory

from moray_peer.ratelimit import PublicLimit


def request_from(address):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_take_up_to_grants_only_what_is_left_of_the_allowance():
    limit = PublicLimit("test-several", per_window=5, window_seconds=60)
    visitor = request_from("198.51.100.7")
    assert limit.take_up_to(visitor, 3) == 3
    assert limit.take_up_to(visitor, 3) == 2
    assert limit.take_up_to(visitor, 3) == 0
    assert limit.take(visitor) is False
    assert limit.take_up_to(request_from("203.0.113.20"), 3) == 3


def test_take_allows_exactly_the_allowance_one_at_a_time():
    limit = PublicLimit("test-one", per_window=2, window_seconds=60)
    visitor = request_from("198.51.100.7")
    assert [limit.take(visitor) for _ in range(3)] == [True, True, False]
    assert limit.reached(visitor)
