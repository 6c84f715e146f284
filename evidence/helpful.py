"""A rate limit on "Was this helpful?" answers, so no one can flood the counts."""

from moray_peer.ratelimit import PublicLimit

HELPFUL_LIMIT = PublicLimit("helpful", per_window=20, window_seconds=60 * 60)
