"""Exact search on encrypted identifiers: blind-index lookup versus the naive baseline of
decrypting every stored value and comparing (what a store with encryption but no index must do).

Run: .venv/bin/python bench/identifier_search.py [--rows 20000] [--pg]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from tipor import migrate
from tipor.accounts.models import Agency, AgencyKind
from tipor.cases import privacy
from tipor.cases.enums import IdentifierKind
from tipor.cases.models import Case, Identifier
from tipor.db import dispose_engines, open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings


def _fill(url: str, rows: int, keyring: Keyring) -> list[str]:
    migrate.upgrade(url)
    db = open_session(Settings(database_url=url))
    agency = Agency(name="Fictional Bench Agency", kind=AgencyKind.POLICE, country="PK",
                    case_prefix="BENCH")
    db.add(agency)
    db.flush()
    case = Case(reference="BENCH-1", agency_id=agency.id, title="Fictional bench case",
                jurisdictions=[])
    db.add(case)
    db.flush()
    phones = [f"+92300{n:07d}" for n in range(rows)]
    batch = []
    for phone in phones:
        batch.append({"case_id": case.id, "kind": IdentifierKind.PHONE, "country": "PK",
                      "value_enc": privacy.seal(keyring, phone, privacy.IDENTIFIER_VALUE),
                      "value_bidx": privacy.index(keyring, phone, privacy.IDENTIFIER_VALUE),
                      "masked": privacy.mask(IdentifierKind.PHONE, phone), "version": 1})
        if len(batch) == 2000:
            db.execute(insert(Identifier), batch)
            batch = []
    if batch:
        db.execute(insert(Identifier), batch)
    db.commit()
    db.close()
    return phones


def _measure(url: str, rows: int, queries: int) -> tuple[float, float]:
    keyring = Keyring.from_settings(Settings().data_keys, Settings().blind_index_key)
    phones = _fill(url, rows, keyring)
    db = open_session(Settings(database_url=url))
    targets = phones[:: max(1, rows // queries)][:queries]
    start = time.perf_counter()
    for phone in targets:
        bidx = privacy.index(keyring, phone, privacy.IDENTIFIER_VALUE)
        assert db.execute(select(Identifier.id).where(Identifier.value_bidx == bidx)).first()
    indexed = (time.perf_counter() - start) / len(targets)
    start = time.perf_counter()
    for phone in targets[:3]:
        found = [i for i, enc in db.execute(select(Identifier.id, Identifier.value_enc))
                 if privacy.unseal(keyring, enc, privacy.IDENTIFIER_VALUE) == phone]
        assert found
    naive = (time.perf_counter() - start) / 3
    db.close()
    dispose_engines()
    return indexed, naive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    cluster = None
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        if args.pg:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.support import pgcluster

            cluster = pgcluster.start()
            targets.append(("PostgreSQL 15", cluster.url))
        elif os.environ.get("TIPOR_BENCH_PG_URL"):
            targets.append(("PostgreSQL 15", os.environ["TIPOR_BENCH_PG_URL"]))
        try:
            print(f"{'engine':<15} {'rows':>8} {'blind index':>14} "
                  f"{'decrypt-all baseline':>22} {'speed-up':>10}")
            for name, url in targets:
                indexed, naive = _measure(url, args.rows, args.queries)
                print(f"{name:<15} {args.rows:>8,} {indexed * 1000:>11.3f} ms {naive * 1000:>19.1f} ms "
                      f"{naive / indexed:>9,.0f}×")
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
