"""A live server per test, for Playwright driving Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.live import serve


@pytest.fixture
def live_url(app: Any) -> Iterator[str]:
    with serve(app) as url:
        yield url
