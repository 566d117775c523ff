"""Retry-After and backoff (the crawl-level behaviour is in test_faults.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.middlewares import retry_after_seconds

NOW = datetime(2024, 3, 28, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"5", 5.0),
        ("120", 120.0),
        ("Thu, 28 Mar 2024 10:00:30 GMT", 30.0),
        ("Thu, 28 Mar 2024 09:00:00 GMT", 0.0),
        ("soon", None),
        (None, None),
        (b"", None),
    ],
)
def test_retry_after_header(header, seconds):
    assert retry_after_seconds(header, NOW) == seconds
