"""Load test: concurrent API clients mixing reads and writes against a real uvicorn server on
127.0.0.1, on SQLite and (with --pg) a throwaway PostgreSQL 15 cluster, beside a raw-SQL floor:
the same reads and writes as plain SQL through SQLAlchemy core (no HTTP, no permissions, no
encryption, no audit entry) with the same number of concurrent workers.

Each client runs ``--ops`` operations (bounded in count) and starts none after ``--seconds``
(bounded in time). Mix: 60 % read a case, 20 % edit a case header (read, then PATCH with the
version read: a 409 is a real conflict, not an error), 20 % add a note. Reported per engine
and client count: requests/s, p50 and p99 latency, server errors (5xx or a dropped
connection), 503s, 409s, and silent overwrites (a case version without its audit entry, two
acknowledged edits with one version, or an acknowledged note missing).

Run: .venv/bin/python bench/load.py [--clients 50 200] [--ops 8] [--seconds 40] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASES = 20


@dataclass
class Run:
    """Samples of one run: (kind, status, seconds) per request, and what was acknowledged."""

    label: str
    prefix: str = ""  # makes every title unique across runs: an edit must change something
    samples: list[tuple[str, int, float]] = field(default_factory=list)
    versions: dict[int, list[int]] = field(default_factory=dict)
    notes: set[int] = field(default_factory=set)
    elapsed: float = 0.0
    overwrites: int = 0

    def row(self, engine: str, clients: int) -> str:
        """One markdown table row."""
        lat = sorted(s[2] for s in self.samples)
        codes = Counter(s[1] for s in self.samples)
        errors = sum(n for code, n in codes.items() if (code >= 500 and code != 503) or code < 0)
        p50, p99 = (statistics.median(lat), lat[min(len(lat) - 1, int(len(lat) * 0.99))]) \
            if lat else (0.0, 0.0)
        return (f"| {engine} | {clients} | {self.label} | {len(self.samples)} | "
                f"{len(self.samples) / self.elapsed:,.0f}/s | {p50 * 1000:,.1f} ms | "
                f"{p99 * 1000:,.1f} ms | {errors} | {codes.get(503, 0)} | {codes.get(409, 0)} | "
                f"{self.overwrites} |")


def _plan(client: int, ops: int) -> list[tuple[str, int]]:
    rng = random.Random(client)
    kinds = rng.choices(["read", "edit", "note"], weights=[6, 2, 2], k=ops)
    return [(kind, rng.randrange(CASES)) for kind in kinds]


# --- the app over HTTP -----------------------------------------------------------------------

async def _http_op(http: httpx.AsyncClient, kind: str, case_id: int, tag: str, run: Run) -> None:
    started = time.perf_counter()
    got = await _timed(http.get(f"/api/v1/cases/{case_id}"), "read", started, run) \
        if kind != "note" else None
    if kind == "edit" and got is not None and got.status_code == 200:
        version = got.json()["case"]["version"]
        sent = await _timed(http.patch(f"/api/v1/cases/{case_id}", json={
            "version": version, "title": f"Fictional load edit {tag}"}), "write",
            time.perf_counter(), run)
        if sent is not None and sent.status_code == 200:
            run.versions.setdefault(case_id, []).append(sent.json()["version"])
    elif kind == "note":
        sent = await _timed(http.post(f"/api/v1/cases/{case_id}/notes", json={
            "body": f"Fictional load note {tag}"}), "write", started, run)
        if sent is not None and sent.status_code == 201:
            run.notes.add(sent.json()["id"])


async def _timed(call: object, kind: str, started: float, run: Run) -> httpx.Response | None:
    try:
        response: httpx.Response = await call  # type: ignore[misc]
    except httpx.TransportError:
        run.samples.append((kind, -1, time.perf_counter() - started))
        return None
    run.samples.append((kind, response.status_code, time.perf_counter() - started))
    return response


async def _http_client(base: str, token: str, ids: list[int], n: int, ops: int, deadline: float,
                       run: Run) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120,
                                 headers={"Authorization": f"Bearer {token}"}) as http:
        for k, (kind, case) in enumerate(_plan(n, ops)):
            if time.monotonic() > deadline:
                return
            await _http_op(http, kind, ids[case], f"{run.prefix}{n}-{k}", run)


def http_run(base: str, token: str, ids: list[int], clients: int, ops: int, seconds: float) -> Run:
    """All clients at once against the server; returns the samples."""
    run = Run("tipor API", f"api{clients}c")

    async def main() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_http_client(base, token, ids, n, ops, deadline, run)
                               for n in range(clients)))

    started = time.perf_counter()
    asyncio.run(main())
    run.elapsed = time.perf_counter() - started
    return run


# --- the raw-SQL floor -----------------------------------------------------------------------

def _sql_op(engine: Engine, kind: str, case_id: int, tag: str, run: Run) -> None:
    started = time.perf_counter()
    with engine.begin() as conn:
        if kind == "note":
            conn.execute(text("INSERT INTO notes (case_id, section, body_enc, version, created_at, "
                              "updated_at) VALUES (:c, 'notes', :b, 1, :t, :t)"),
                         {"c": case_id, "b": f"Fictional load note {tag}", "t": _now()})
            run.samples.append(("write", 201, time.perf_counter() - started))
            return
        row = conn.execute(text("SELECT id, reference, title, summary, status, version FROM cases "
                                "WHERE id = :c"), {"c": case_id}).one()
    run.samples.append(("read", 200, time.perf_counter() - started))
    if kind == "edit":
        started = time.perf_counter()
        with engine.begin() as conn:
            done = conn.execute(text("UPDATE cases SET title = :t, version = version + 1 "
                                     "WHERE id = :c AND version = :v"),
                                {"t": f"Fictional load edit {tag}", "c": case_id,
                                 "v": row.version}).rowcount
        run.samples.append(("write", 200 if done else 409, time.perf_counter() - started))


def _now() -> object:
    from tipor.db import utcnow

    return utcnow()


def _sql_op_counted(engine: Engine, kind: str, case_id: int, tag: str, run: Run) -> None:
    started = time.perf_counter()
    try:
        _sql_op(engine, kind, case_id, tag, run)
    except Exception:  # noqa: BLE001 - a lock or pool timeout counts as an error of the floor
        run.samples.append((kind, -1, time.perf_counter() - started))


def sql_run(engine: Engine, ids: list[int], clients: int, ops: int, seconds: float) -> Run:
    """The same plan as plain SQL, one thread per client."""
    run = Run("raw SQL floor", f"sql{clients}c")
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        for k, (kind, case) in enumerate(_plan(n, ops)):
            if time.monotonic() > deadline:
                return
            _sql_op_counted(engine, kind, ids[case], f"{run.prefix}{n}-{k}", run)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.elapsed = time.perf_counter() - started
    return run


# --- set-up, server and checks ---------------------------------------------------------------

def prepare(url: str, data_dir: Path) -> tuple[str, list[int]]:
    """Migrate, create an investigator with a token and CASES cases; return (token, ids)."""
    from tipor import migrate
    from tipor.accounts import service
    from tipor.accounts.auth import create_token
    from tipor.accounts.models import AgencyKind, Role
    from tipor.accounts.schemas import AgencyCreate, UserCreate
    from tipor.audit.service import Actor
    from tipor.cases.schemas import CaseCreate
    from tipor.cases.service import create_case
    from tipor.context import Ctx
    from tipor.db import open_session
    from tipor.security.crypto import Keyring
    from tipor.settings import Settings

    migrate.upgrade(url)
    settings = Settings(mode="test", database_url=url, data_dir=data_dir)
    db, actor = open_session(settings), Actor.system("bench")
    keyring = Keyring.from_settings(settings.data_keys, settings.blind_index_key)
    system = Ctx(session=db, actor=actor, keyring=keyring)
    agency = service.create_agency(system, data=AgencyCreate(
        name="Fictional Load Agency", kind=AgencyKind.POLICE, country="PK"))
    user = service.create_user(system, data=UserCreate(
        username="loadinvestigator", display_name="Fictional Load Investigator",
        agency_id=agency.id, role=Role.INVESTIGATOR, password="Correct-Horse-42!"))
    _, token = create_token(db, user=user, name="load", days=1, actor=actor)
    ctx = Ctx(session=db, actor=actor, keyring=keyring, user=user)
    ids = [create_case(ctx, CaseCreate(title=f"Fictional load case {i}")).id for i in range(CASES)]
    db.commit()
    db.close()
    return token, ids


def start_server(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """`uvicorn --factory tipor.web.app:create_app` on 127.0.0.1 only, once it answers."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TIPOR_MODE": "test",
           "TIPOR_DATABASE_URL": url, "TIPOR_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                             "tipor.web.app:create_app", "--host", "127.0.0.1", "--port",
                             str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 60 s")


def overwrites(engine: Engine, run: Run) -> int:
    """Acknowledged writes that are missing or were overwritten without trace."""
    found: Counter[str] = Counter()
    with engine.connect() as conn:
        for case_id, acked in run.versions.items():
            version = conn.execute(text("SELECT version FROM cases WHERE id = :c"),
                                   {"c": case_id}).scalar_one()
            audited = conn.execute(text(
                "SELECT count(*) FROM audit_entries WHERE action = 'case.update' AND "
                "object_id = :c"), {"c": str(case_id)}).scalar_one()
            found["one version acknowledged twice"] += len(acked) - len(set(acked))
            found["version without its audit entry"] += abs(version - 1 - audited)
            found["acknowledged version beyond the stored one"] += sum(v > version for v in acked)
        stored = set(conn.execute(text("SELECT id FROM notes")).scalars())
    found["acknowledged note missing"] = len(run.notes - stored)
    for what, n in found.items():
        if n:
            print(f"  silent overwrite: {what}: {n}", file=sys.stderr)
    return sum(found.values())


def measure(name: str, url: str, args: argparse.Namespace, folder: Path) -> list[str]:
    """Every client count on one engine: the API run, its checks, then the SQL floor."""
    from tests.support.live import free_port

    from tipor.db import Limits, dispose_engines, get_engine

    token, ids = prepare(url, folder)
    dispose_engines()
    rows: list[str] = []
    port = free_port()
    server = start_server(url, folder, port)
    try:
        for clients in args.clients:
            api = http_run(f"http://127.0.0.1:{port}", token, ids, clients, args.ops, args.seconds)
            api.overwrites = overwrites(get_engine(url), api)
            rows.append(api.row(name, clients))
            print(rows[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    dispose_engines()
    floor_engine = get_engine(url, Limits())
    for clients in args.clients:
        rows.append(sql_run(floor_engine, ids, clients, args.ops, args.seconds).row(name, clients))
        print(rows[-1], flush=True)
    dispose_engines()
    return rows


HEADER = ("| engine | clients | path | requests | throughput | p50 | p99 | server errors | 503 | "
          "409 | silent overwrites |\n|---|---|---|---|---|---|---|---|---|---|---|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--ops", type=int, default=8, help="operations per client")
    parser.add_argument("--seconds", type=float, default=40.0, help="no new operation after")
    parser.add_argument("--pg", action="store_true", help="also a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure("SQLite (file, WAL)", f"sqlite:///{folder / 'load.sqlite3'}", args, folder)
        if args.pg:
            from tests.support import pgcluster

            cluster = pgcluster.start()
            try:
                measure("PostgreSQL 15", cluster.url, args, folder)
            finally:
                cluster.stop()


if __name__ == "__main__":
    main()
