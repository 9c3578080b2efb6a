"""Crash safety: the server, streaming writes, is killed with SIGKILL three times and
restarted. Every acknowledged write is present afterwards, nothing is half-written (each note
and each case version has its audit entry and no entry lacks its record), and
`tipor audit verify` passes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import text

from tests.concurrency.support import token_and_case
from tests.conftest import Factory
from tests.support.live import free_port
from tipor.db import dispose_engines, open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings

KILLS = 3
WRITERS = 4
SRC = str(Path(__file__).resolve().parents[2] / "src")


@dataclass
class Acked:
    """What the server acknowledged, shared by the writer threads."""

    notes: set[int] = field(default_factory=set)
    versions: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, "TIPOR_MODE": "test",
            "TIPOR_DATABASE_URL": settings.db_url, "TIPOR_DATA_DIR": str(settings.data_dir)}


class Servers:
    """Starts real server processes (forked from one pre-imported parent) and kills them."""

    def __init__(self, settings: Settings, port: int, log: Path) -> None:
        self.port, self.log = port, log
        with log.open("ab") as out:
            self.parent = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("forkserver.py")), str(port)],
                env=_env(settings), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=out, text=True)
        assert self.parent.stdout is not None and self.parent.stdin is not None
        self.stdin, self.stdout = self.parent.stdin, self.parent.stdout
        assert self.stdout.readline().strip() == "ready"

    def start(self) -> int:
        """A new server process; returns its pid once it answers."""
        self.stdin.write("start\n")
        self.stdin.flush()
        pid = int(self.stdout.readline())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/login", timeout=1).status_code == 200:
                    return pid
            except httpx.TransportError:
                time.sleep(0.05)
        pytest.fail(f"server did not start; log:\n{self.log.read_text()[-2000:]}")

    def stop(self, pid: int, sig: signal.Signals) -> None:
        """Send ``sig`` and wait until the process is gone."""
        os.kill(pid, sig)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)
        pytest.fail(f"server {pid} did not exit after {sig.name}")

    def close(self) -> None:
        """Stop the parent."""
        self.stdin.close()
        self.parent.wait(timeout=10)


def _write_one(http: httpx.Client, case_id: int, tag: str, n: int, acked: Acked) -> None:
    if n % 3:
        sent = http.post(f"/api/v1/cases/{case_id}/notes", json={"body": f"Fictional note {tag}-{n}"})
        if sent.status_code == 201:
            with acked.lock:
                acked.notes.add(sent.json()["id"])
        return
    current = http.get(f"/api/v1/cases/{case_id}")
    if current.status_code != 200:
        return
    sent = http.patch(f"/api/v1/cases/{case_id}", json={
        "version": current.json()["case"]["version"], "title": f"Fictional title {tag}-{n}"})
    if sent.status_code == 200:
        with acked.lock:
            acked.versions.append(sent.json()["version"])


def _writer(base: str, token: str, case_id: int, acked: Acked, bad: list[str]) -> None:
    n, tag = 0, f"{threading.get_ident() % 10_000}"
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=10) as http:
        while not acked.stop.is_set():
            n += 1
            try:
                _write_one(http, case_id, tag, n, acked)
            except httpx.TransportError:
                time.sleep(0.05)  # the server is down: the outcome is unknown, not acknowledged
            except Exception as exc:  # noqa: BLE001 - reported by the test below
                bad.append(repr(exc))


def _crash_cycle(servers: Servers) -> None:
    rng = random.Random(7)
    for _ in range(KILLS):
        pid = servers.start()
        time.sleep(rng.uniform(0.8, 1.5))
        servers.stop(pid, signal.SIGKILL)
    pid = servers.start()
    time.sleep(0.8)
    servers.stop(pid, signal.SIGTERM)


def test_acknowledged_writes_survive_sigkill(settings: Settings, factory: Factory,
                                             keyring: Keyring, tmp_path: Path) -> None:
    token, case_id = token_and_case(settings, factory, keyring)
    dispose_engines()
    port, acked, bad = free_port(), Acked(), []
    base = f"http://127.0.0.1:{port}"
    servers = Servers(settings, port, tmp_path / "server.log")
    writers = [threading.Thread(target=_writer, args=(base, token, case_id, acked, bad),
                                daemon=True) for _ in range(WRITERS)]
    for w in writers:
        w.start()
    try:
        _crash_cycle(servers)
    finally:
        acked.stop.set()
        for w in writers:
            w.join(timeout=20)
        servers.close()
    assert not bad, bad[:3]
    assert len(acked.notes) > 10 and acked.versions, "too few writes got through to test"
    _check_store(settings, case_id, acked)
    verify = subprocess.run([sys.executable, "-m", "tipor.cli", "audit", "verify"],
                            env=_env(settings), capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr


def _check_store(settings: Settings, case_id: int, acked: Acked) -> None:
    db = open_session(settings)
    try:
        notes = set(db.execute(text("SELECT id FROM notes WHERE case_id = :c"),
                               {"c": case_id}).scalars())
        audited = {int(i) for i in db.execute(text(
            "SELECT object_id FROM audit_entries WHERE action = 'note.create'")).scalars()}
        version = db.execute(text("SELECT version FROM cases WHERE id = :c"),
                             {"c": case_id}).scalar_one()
        updates = db.execute(text("SELECT count(*) FROM audit_entries WHERE action = "
                                  "'case.update'")).scalar_one()
    finally:
        db.close()
    assert acked.notes <= notes, f"acknowledged notes lost: {sorted(acked.notes - notes)[:5]}"
    assert notes == audited, "a note without its audit entry, or an entry without its note"
    assert max(acked.versions) <= version, "an acknowledged case edit was lost"
    assert version == 1 + updates, "a case version without its audit entry (half-written)"
