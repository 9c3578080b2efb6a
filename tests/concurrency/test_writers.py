"""Many clients editing one case at once over a real uvicorn server: every answer is a
result (2xx) or a real edit conflict (409), never a 500 or a dropped connection, and no
acknowledged edit is silently lost."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import httpx2 as httpx

from tests.concurrency.support import token_and_case
from tests.conftest import Factory
from tests.support.live import serve
from tipor.audit import service as audit
from tipor.cases.models import Case
from tipor.db import open_session
from tipor.security.crypto import Keyring
from tipor.settings import Settings

CLIENTS = 50
EDITS = 4


def _editor(base: str, token: str, case_id: int, n: int, out: list[tuple[int, Any]]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        for i in range(EDITS):
            try:
                got = http.get(f"/api/v1/cases/{case_id}")
                if got.status_code != 200:
                    out.append((got.status_code, got.text))
                    continue
                version = got.json()["case"]["version"]
                sent = http.patch(f"/api/v1/cases/{case_id}",
                                  json={"version": version, "title": f"Fictional edit {n}-{i}"})
            except httpx.TransportError as exc:  # a dropped connection is a failure too
                out.append((-1, repr(exc)))
                continue
            out.append((sent.status_code, sent.json() if sent.status_code < 500 else sent.text))


def _run_editors(base: str, token: str, case_id: int) -> list[tuple[int, Any]]:
    results: list[tuple[int, Any]] = []
    threads = [threading.Thread(target=_editor, args=(base, token, case_id, n, results))
               for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == CLIENTS * EDITS, "an editor thread did not finish"
    return results


def test_concurrent_editors_get_result_or_conflict(app: Any, settings: Settings,
                                                   factory: Factory, keyring: Keyring) -> None:
    token, case_id = token_and_case(settings, factory, keyring)
    with serve(app) as base:
        results = _run_editors(base, token, case_id)
    statuses = Counter(code for code, _ in results)
    odd = [r for r in results if r[0] not in (200, 409)][:3]
    assert set(statuses) <= {200, 409}, (statuses, odd)
    assert statuses[200] >= 1
    conflicts = [body for code, body in results if code == 409]
    assert all(b["error"] == "Conflict" and "changed" in b["message"] for b in conflicts)
    wins = [body for code, body in results if code == 200]
    versions = [body["version"] for body in wins]
    assert len(versions) == len(set(versions)), "two edits were acknowledged as the same version"
    db = open_session(settings)
    try:
        case = db.get(Case, case_id)
        assert case is not None
        assert case.version == 1 + len(wins), "an acknowledged edit was silently overwritten"
        assert case.title == max(wins, key=lambda b: b["version"])["title"]
        assert audit.verify(db).ok
    finally:
        db.close()
