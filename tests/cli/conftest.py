"""The CLI reads its settings from the environment: point it at the test's database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tipor.settings import Settings, reset_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Settings]:
    monkeypatch.setenv("TIPOR_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("TIPOR_MODE", "development")
    reset_settings()
    yield settings
    reset_settings()
