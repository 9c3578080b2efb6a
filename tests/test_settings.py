"""Settings: lazy construction, URL normalisation, production refusing unsafe secrets."""

from __future__ import annotations

import pytest

from tipor.exceptions import ConfigError
from tipor.security.crypto import new_data_key
from tipor.settings import Settings, get_settings, reset_settings

GOOD = {"secret_key": "s" * 20 + "x9Qw-long-enough-secret-value",
        "data_keys": f"k1:{new_data_key()}",
        "blind_index_key": "b" * 20 + "another-long-index-key-value",
        "cookie_secure": True}


def test_development_mode_accepts_defaults() -> None:
    Settings(mode="development").check()


@pytest.mark.parametrize("missing,expected", [
    ("secret_key", "TIPOR_SECRET_KEY"),
    ("data_keys", "TIPOR_DATA_KEYS"),
    ("blind_index_key", "TIPOR_BLIND_INDEX_KEY"),
])
def test_production_refuses_each_default_secret_by_name(missing: str, expected: str) -> None:
    values = dict(GOOD)
    del values[missing]
    with pytest.raises(ConfigError) as err:
        Settings(mode="production", **values).check()
    named = err.value.message.split(". Set each")[0]
    assert expected in named
    others = {"TIPOR_SECRET_KEY", "TIPOR_DATA_KEYS", "TIPOR_BLIND_INDEX_KEY"} - {expected}
    assert not any(name in named for name in others)


def test_production_refuses_short_secret() -> None:
    with pytest.raises(ConfigError, match="TIPOR_SECRET_KEY"):
        Settings(mode="production", **(GOOD | {"secret_key": "short"})).check()


def test_production_requires_secure_cookies() -> None:
    with pytest.raises(ConfigError, match="COOKIE_SECURE"):
        Settings(mode="production", **(GOOD | {"cookie_secure": False})).check()


def test_production_with_real_secrets_starts() -> None:
    Settings(mode="production", **GOOD).check()


def test_app_factory_refuses_unsafe_production_settings() -> None:
    from tipor.web.app import create_app

    with pytest.raises(ConfigError, match="TIPOR_SECRET_KEY"):
        create_app(Settings(mode="production"))


@pytest.mark.parametrize("given,expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
])
def test_database_url_normalised(given: str, expected: str) -> None:
    assert Settings(database_url=given).db_url == expected


def test_default_database_is_sqlite_in_data_dir(tmp_path: object) -> None:
    assert Settings(data_dir="var").db_url == "sqlite:///var/tipor.sqlite3"


def test_settings_read_lazily_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    reset_settings()
    monkeypatch.setenv("TIPOR_PORT", "8123")
    assert get_settings().port == 8123
    monkeypatch.setenv("TIPOR_PORT", "8124")
    assert get_settings().port == 8123  # cached until reset
    reset_settings()
    assert get_settings().port == 8124
    reset_settings()


def test_importing_tipor_builds_no_settings_or_engine() -> None:
    import subprocess
    import sys

    code = ("import tipor.web.app, tipor.cli.main, tipor.db, tipor.settings as s;"
            "assert s.get_settings.cache_info().currsize == 0;"
            "assert not tipor.db._ENGINES; print('lazy')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "lazy"
