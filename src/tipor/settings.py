"""Application settings, read from the environment (prefix ``TIPOR_``) and built lazily.

Nothing is built at import time: call :func:`get_settings`; tests call :func:`reset_settings`
after changing the environment, or pass a ``Settings`` object to the app factory directly.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tipor.exceptions import ConfigError
from tipor.security.proxies import parse_networks

#: Values that ship in the code for development; production refuses to start with any of them.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-0000000000000000"
DEV_DATA_KEY = base64.urlsafe_b64encode(b"dev-only-data-key-32-bytes-00000").decode()
DEV_INDEX_KEY = "dev-only-blind-index-key-change-me-000000000000"
_DEFAULTS = {DEV_SECRET_KEY, DEV_DATA_KEY, DEV_INDEX_KEY, "", "changeme", "secret"}


class Settings(BaseSettings):
    """All tipor configuration; see docs/configuration in the README."""

    model_config = SettingsConfigDict(env_prefix="TIPOR_", env_file=None, extra="ignore")

    mode: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = DEV_SECRET_KEY
    #: AES-GCM keys for identifying fields, as ``id:base64key`` pairs separated by commas;
    #: the first is used to encrypt, all are tried to decrypt (key rotation).
    data_keys: str = f"k1:{DEV_DATA_KEY}"
    blind_index_key: str = DEV_INDEX_KEY
    session_hours: float = Field(default=8.0, gt=0)
    cookie_secure: bool = False
    #: Failures (password or second factor) from one address, for any account, before that
    #: address is refused; lower than the account lock so a single attacker is stopped first.
    login_max_failures_address: int = Field(default=20, ge=1)
    #: Failures for one account, from any address, before the account locks (except from
    #: addresses it recently signed in from); an administrator can unlock it early.
    login_max_failures_account: int = Field(default=50, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    #: Reverse proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDRs.
    trusted_proxies: str = ""
    #: Largest request body (JSON or form) in bytes, refused with 413 before it is parsed.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: Largest body on the evidence upload and case-bundle import routes.
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    host: str = "127.0.0.1"
    port: int = 8000
    #: Database connections per process: the pool must cover the web thread pool (40 threads),
    #: and a request that waits longer than ``db_pool_timeout`` seconds for one gets 503.
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    #: Seconds a transaction waits for a lock (SQLite's write lock, a PostgreSQL row lock)
    #: before it is retried and, at the last attempt, answered 503.
    db_lock_timeout: float = Field(default=5.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        if value.startswith("postgres://"):
            return "postgresql+psycopg://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        parse_networks(value)  # raises ValueError naming the bad entry
        return value

    @property
    def db_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tipor.sqlite3').as_posix()}"

    @property
    def evidence_dir(self) -> Path:
        """Where content-addressed evidence files are stored."""
        return self.data_dir / "evidence"

    def unsafe_secrets(self) -> list[str]:
        """Names of settings still holding a development default or nothing at all."""
        bad = []
        if self.secret_key in _DEFAULTS or len(self.secret_key) < 32:
            bad.append("TIPOR_SECRET_KEY")
        keys = [part.split(":", 1)[-1] for part in self.data_keys.split(",") if part.strip()]
        if not keys or any(k.strip() in _DEFAULTS for k in keys):
            bad.append("TIPOR_DATA_KEYS")
        if self.blind_index_key in _DEFAULTS or len(self.blind_index_key) < 32:
            bad.append("TIPOR_BLIND_INDEX_KEY")
        return bad

    def check(self) -> None:
        """Refuse unsafe settings in production mode, naming each one to fix."""
        if self.mode != "production":
            return
        bad = self.unsafe_secrets()
        if bad:
            raise ConfigError(
                "refusing to start in production mode with default or missing secrets: "
                + ", ".join(bad)
                + ". Set each to a long random value (e.g. `python -c 'import secrets;"
                " print(secrets.token_urlsafe(48))'`; TIPOR_DATA_KEYS takes `k1:` followed by"
                " a urlsafe-base64 32-byte key)."
            )
        if not self.cookie_secure:
            raise ConfigError(
                "refusing to start in production mode with TIPOR_COOKIE_SECURE=false: serve "
                "tipor behind HTTPS and set TIPOR_COOKIE_SECURE=true."
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests, or after changing the environment)."""
    get_settings.cache_clear()
