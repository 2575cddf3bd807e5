"""A Retry-After given as an HTTP date is waited out to that moment whatever zone the server
writes it in (GMT, a numeric offset, or "-0000", which Python reads as a date without zone)."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.middlewares.retry_after import retry_after_seconds

NOW = datetime(2026, 10, 21, 7, 0, tzinfo=UTC)


def test_a_retry_after_date_is_the_same_moment_in_any_zone():
    for value in ("Wed, 21 Oct 2026 07:28:00 GMT", "Wed, 21 Oct 2026 09:28:00 +0200",
                  "Wed, 21 Oct 2026 07:28:00 -0000"):
        assert retry_after_seconds(value, now=NOW) == 28 * 60, value
