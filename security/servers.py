"""Throwaway tipor servers for the security campaign: a database per engine, demo data, tokens.

Everything listens on 127.0.0.1 only and is stopped when the campaign ends.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.support import pgcluster  # noqa: E402

from tipor.accounts import auth  # noqa: E402
from tipor.accounts.models import User  # noqa: E402
from tipor.db import dispose_engines, open_session  # noqa: E402
from tipor.settings import Settings  # noqa: E402

PYTHON = sys.executable
_ACCESS = re.compile(r'"[A-Z]+ [^"]*" (\d{3})')


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def secret() -> str:
    """A fresh 32-byte key, base64url."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@dataclass
class Server:
    """A running tipor on one engine, with a bearer token per demo user."""

    engine: str
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def statuses(self) -> Counter[int]:
        """Status codes of every request the server logged so far."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return Counter(int(m.group(1)) for m in _ACCESS.finditer(text))

    def client(self, user: str | None = None, **kw: object) -> httpx.Client:
        """An HTTP client, authenticated as a demo user when named."""
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60,
                            follow_redirects=False, **kw)  # type: ignore[arg-type]

    def peak_rss_kib(self) -> int:
        """The server process's peak resident memory (VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0


def _env(url: str, data_dir: Path, mode: str) -> dict[str, str]:
    env = dict(os.environ, TIPOR_DATABASE_URL=url, TIPOR_DATA_DIR=str(data_dir),
               TIPOR_MODE=mode, TIPOR_SECRET_KEY=secret(), TIPOR_DATA_KEYS=f"k1:{secret()}",
               TIPOR_BLIND_INDEX_KEY=secret(), PYTHONPATH=str(ROOT / "src"))
    if mode == "production":
        env["TIPOR_COOKIE_SECURE"] = "true"
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "-m", "tipor.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tipor {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def _tokens(env: dict[str, str]) -> dict[str, str]:
    settings = Settings(mode="development", database_url=env["TIPOR_DATABASE_URL"],
                        data_dir=Path(env["TIPOR_DATA_DIR"]), secret_key=env["TIPOR_SECRET_KEY"],
                        data_keys=env["TIPOR_DATA_KEYS"], blind_index_key=env["TIPOR_BLIND_INDEX_KEY"])
    out: dict[str, str] = {}
    with open_session(settings) as db:
        for user in db.query(User).all():
            _, plain = auth.create_token(db, user=user, name="security campaign", days=1,
                                         actor=auth.actor_for(user, "127.0.0.1"))
            out[user.username] = plain
        db.commit()
    dispose_engines()
    return out


def _start(engine: str, env: dict[str, str], log: Path) -> Server:
    port = free_port()
    handle = log.open("wb")
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "tipor.web.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "info", "--no-proxy-headers"],
        env=env, stdout=handle, stderr=handle)  # as `tipor serve`: the app decides whom to trust
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(engine, url, env, process, log)
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on {engine} did not start: {log.read_text()[-2000:]}")


@contextmanager
def database(engine: str, work: Path) -> Iterator[str]:
    """A fresh database URL on one engine."""
    if engine == "sqlite":
        yield f"sqlite:///{work / 'campaign.sqlite3'}"
        return
    cluster = pgcluster.start()
    try:
        yield cluster.url.rsplit("/", 1)[0] + "/postgres"
    finally:
        dispose_engines()
        cluster.stop()


@contextmanager
def running(engine: str, work: Path, mode: str = "development") -> Iterator[Server]:
    """A migrated, seeded tipor server with tokens for every demo user."""
    with database(engine, work) as url:
        env = _env(url, work / f"data-{engine}-{mode}", mode)
        _cli(env, "db", "upgrade")
        seed_env = dict(env, TIPOR_MODE="development")
        _cli(seed_env, "demo", "seed", "--cases", "6", "--seed", "3")
        server = _start(engine, env, work / f"server-{engine}-{mode}.log")
        server.tokens = _tokens(env)
        try:
            yield server
        finally:
            server.process.send_signal(signal.SIGTERM)
            try:
                server.process.wait(20)
            except subprocess.TimeoutExpired:
                server.process.kill()
