"""Exchange API: sealed by default, clear audited, wrong passphrase 422, permissions, HTCDS."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.cases.test_api import Api
from tests.exchange.conftest import INDICATORS, Built, counts
from tipor.accounts.models import User
from tipor.audit.models import AuditEntry
from tipor.db import open_session
from tipor.exchange import importer
from tipor.exchange.htcds import HEADER
from tipor.settings import Settings

PHRASE = "fictional export passphrase"


@pytest.fixture
def api(client: TestClient, built: Built, ngo_investigator: User,
        monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setattr(importer, "_default_indicators", lambda: INDICATORS)
    return Api(client, ngo_investigator.username)


def _actions(settings: Settings) -> list[str]:
    db = open_session(settings)
    try:
        return list(db.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())
    finally:
        db.close()


def test_export_is_sealed_by_default_and_imports_with_the_passphrase(
        api: Api, built: Built, settings: Settings) -> None:
    missing = api.post(f"/cases/{built.case_id}/export", {})
    assert missing.status_code == 422 and missing.json()["problems"][0]["field"] == "passphrase"
    assert "case.export" not in _actions(settings)
    sealed = api.post(f"/cases/{built.case_id}/export", {"passphrase": PHRASE, "include_files": True})
    assert sealed.status_code == 200, sealed.text
    envelope: dict[str, Any] = sealed.json()
    assert envelope["format"] == "tipor.sealed" and "Fictional" not in sealed.text
    before = counts(settings)
    wrong = api.post("/cases/import", {"bundle": envelope, "passphrase": "fictional wrong phrase"})
    assert wrong.status_code == 422 and "wrong passphrase" in wrong.json()["message"]
    assert counts(settings) == before
    created = api.post("/cases/import", {"bundle": envelope, "passphrase": PHRASE})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"] != built.case_id and body["files_stored"] == 1 and body["unmatched_users"] == []
    assert counts(settings)["cases"] == before["cases"] + 1
    assert "case.import" in _actions(settings)


def test_clear_export_is_its_own_audited_action(api: Api, built: Built, settings: Settings) -> None:
    clear = api.post(f"/cases/{built.case_id}/export", {"clear": True})
    assert clear.status_code == 200 and clear.json()["format"] == "tipor.case-bundle"
    assert clear.json()["parties"][0]["name"] == "Fictional Miro Duskfield"
    actions = _actions(settings)
    assert "case.export_clear" in actions and "case.export" not in actions
    imported = api.post("/cases/import", {"bundle": clear.json()})
    assert imported.status_code == 201, imported.text


def test_import_problems_are_422_with_paths(api: Api, built: Built, settings: Settings) -> None:
    bundle = api.post(f"/cases/{built.case_id}/export", {"clear": True}).json()
    bundle["parties"][0]["roles"] = ["kingpin"]
    bundle["identifiers"][0]["party"] = "p77"
    before = counts(settings)
    response = api.post("/cases/import", {"bundle": bundle})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "$.parties[0].roles[0]"
    assert counts(settings)["cases"] == before["cases"]


def test_permissions_and_missing_cases(client: TestClient, api: Api, built: Built,
                                       ngo_worker: User) -> None:
    assert api.post("/cases/9999/export", {"clear": True}).status_code == 404
    no_csrf = client.post(f"/api/v1/cases/{built.case_id}/export", json={"clear": True})
    assert no_csrf.status_code == 403
    client.cookies.clear()
    worker = Api(client, ngo_worker.username)
    refused = worker.post(f"/cases/{built.case_id}/export", {"clear": True})
    assert refused.status_code == 403 and "lacks" in refused.json()["message"]


def test_htcds_sealed_or_clear_csv(api: Api, built: Built, settings: Settings) -> None:
    sealed = api.post("/exports/htcds", {"case_ids": [built.case_id], "passphrase": PHRASE})
    assert sealed.status_code == 200 and sealed.json()["content_type"] == "text/csv"
    clear = api.post("/exports/htcds", {"case_ids": [built.case_id], "clear": True})
    assert clear.status_code == 200 and clear.headers["content-type"].startswith("text/csv")
    lines = clear.text.splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 5
    actions = _actions(settings)
    assert "htcds.export" in actions and "htcds.export_clear" in actions
    assert api.post("/exports/htcds", {"case_ids": []}).status_code == 422
