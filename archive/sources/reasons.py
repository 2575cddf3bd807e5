"""The words a source's state is told in: what a check became, why a source was refused, and
which reasons are failures of a check rather than refusals."""

from __future__ import annotations

#: What ``record_source_fetch`` returns.
STATES = ("captured", "unchanged", "restored", "gone", "failed")
#: Why the crawler would not fetch a source (``record_source_refusal``).
REFUSAL_REASONS = ("robots", "too-large", "private-address", "scheme", "content-type",
                   "too-many-redirects")
#: Refusals that no later crawl can change: such a source is not looked at again.
PERMANENT_REFUSALS = frozenset({"scheme", "private-address"})
#: ``SourceFetch.error`` values (no HTTP answer); with ``http-<status>`` they are the reasons
#: of a failed check. Any other reason on a source is a refusal.
FETCH_ERRORS = ("dns", "connection", "timeout", "tls", "error")


def is_failure(reason: str | None) -> bool:
    """Whether a source's ``reason`` says its latest check failed (rather than that the
    crawler refused to fetch it)."""
    return bool(reason) and (reason.startswith("http-") or reason in FETCH_ERRORS)
