"""Audit-chain throughput: appends per second and verification per second, on SQLite and
(when TIPOR_BENCH_PG_URL is set) PostgreSQL, beside the published baseline.

Baseline: Crosby & Wallach, "Efficient Data Structures for Tamper-Evident Logging" (USENIX
Security 2009): 1,750 events/s on one core for their signed Merkle-tree log.

Run: .venv/bin/python bench/audit_chain.py [--events 5000] [--pg]
(--pg starts a throwaway PostgreSQL 15 cluster, as the test suite does)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from tipor import migrate
from tipor.audit import service as audit
from tipor.audit.service import Actor
from tipor.db import dispose_engines, open_session
from tipor.settings import Settings

BASELINE = 1750.0


def run(url: str, events: int, batch: int) -> tuple[float, float, float]:
    """(single-entry commits/s, batched appends/s, verified entries/s) for one database."""
    migrate.upgrade(url)
    settings = Settings(database_url=url)
    session = open_session(settings)
    actor = Actor(1, "bench", 1, "127.0.0.1")
    start = time.perf_counter()
    for i in range(events // 10):  # one transaction per entry, as the web app does
        audit.record(session, actor=actor, action="bench.write", object_id=i)
        session.commit()
    single = (events // 10) / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(events):
        audit.record(session, actor=actor, action="bench.batch", object_id=i)
        if i % batch == batch - 1:
            session.commit()
    session.commit()
    batched = events / (time.perf_counter() - start)
    start = time.perf_counter()
    verdict = audit.verify(session)
    verify_rate = verdict.checked / (time.perf_counter() - start)
    assert verdict.ok, verdict.problem
    session.close()
    dispose_engines()
    return single, batched, verify_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--pg", action="store_true", help="also start and measure PostgreSQL")
    args = parser.parse_args()
    cluster = None
    if args.pg:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.support import pgcluster

        cluster = pgcluster.start()
        os.environ["TIPOR_BENCH_PG_URL"] = cluster.url
    try:
        _measure(args)
    finally:
        if cluster is not None:
            cluster.stop()


def _measure(args: argparse.Namespace) -> None:
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite (file, WAL)", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        if os.environ.get("TIPOR_BENCH_PG_URL"):
            targets.append(("PostgreSQL 15", os.environ["TIPOR_BENCH_PG_URL"]))
        print(f"{'engine':<20} {'1 entry/commit':>16} {'batched appends':>16} "
              f"{'verify':>12} {'baseline':>10}")
        for name, url in targets:
            single, batched, verify_rate = run(url, args.events, args.batch)
            print(f"{name:<20} {single:>13,.0f}/s {batched:>13,.0f}/s {verify_rate:>9,.0f}/s "
                  f"{BASELINE:>7,.0f}/s")


if __name__ == "__main__":
    main()
