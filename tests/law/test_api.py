"""The law API: qualify (200, 422 with paths, 403), jurisdiction profiles, audit entries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import Agency, AgencyKind, Role
from tipor.audit.models import AuditEntry
from tipor.db import open_session
from tipor.law.engine import qualify
from tipor.law.jurisdictions import load_jurisdictions
from tipor.law.validate import parse_fact_pattern
from tipor.settings import Settings

CASES = Path(__file__).parent / "cases"


def _api(client: TestClient, username: str) -> dict[str, str]:
    home = login(client, username)
    return {"X-CSRF-Token": csrf_from(home.text)}


@pytest.fixture
def police(factory: Factory) -> Agency:
    return factory.agency(AgencyKind.POLICE, "Fictional Police")


def _case(name: str) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    return raw


def _actions(settings: Settings, action: str) -> list[AuditEntry]:
    db = open_session(settings)
    try:
        return list(db.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars())
    finally:
        db.close()


def test_qualify_returns_the_report_and_is_audited(client: TestClient, factory: Factory,
                                                   police: Agency, settings: Settings) -> None:
    factory.user(Role.PROSECUTOR, agency=police, username="pros")
    headers = _api(client, "pros")
    raw = _case("netcare")
    response = client.post("/api/v1/qualify", json={"facts": raw, "jurisdictions": ["za", "IL"]},
                           headers=headers)
    assert response.status_code == 200, response.text
    expected = qualify(parse_fact_pattern(raw), load_jurisdictions(), ["IL", "ZA"]).to_dict()
    assert response.json() == expected
    entries = _actions(settings, "law.qualify")
    detail = json.loads(entries[0].detail)
    assert len(entries) == 1 and detail["jurisdictions"] == ["IL", "ZA"]
    assert len(detail["facts_sha256"]) == 64


def test_qualify_422_lists_every_problem_with_its_path(client: TestClient, factory: Factory,
                                                       police: Agency, settings: Settings) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    headers = _api(client, "inv")
    raw = _case("medicus")
    raw["persons"][0]["roles"] = ["donor", "wizard"]
    raw["acts"][0]["actors"] = ["ghost"]
    response = client.post("/api/v1/qualify", json={"facts": raw}, headers=headers)
    assert response.status_code == 422
    body = response.json()
    fields = {p["field"] for p in body["problems"]}
    assert "persons[0].roles[1]" in fields and "acts[0].actors[0]" in fields
    assert body["error"] == "FactPatternError"
    assert _actions(settings, "law.qualify") == []
    unknown = client.post("/api/v1/qualify", json={"facts": _case("medicus"),
                                                    "jurisdictions": ["ZZ"]}, headers=headers)
    assert unknown.status_code == 422 and "XK" in unknown.json()["valid"]
    assert "'ZZ'" in unknown.json()["message"]
    not_object = client.post("/api/v1/qualify", json={"facts": [1, 2]}, headers=headers)
    assert not_object.status_code == 422 and not_object.json()["problems"][0]["field"] == "facts"


def test_qualify_403_for_a_role_without_law_qualify(client: TestClient, factory: Factory,
                                                    police: Agency, settings: Settings) -> None:
    factory.user(Role.CASEWORKER, agency=police, username="caseworker")
    headers = _api(client, "caseworker")
    response = client.post("/api/v1/qualify", json={"facts": _case("netcare")}, headers=headers)
    assert response.status_code == 403
    assert "law.qualify" in response.json()["message"]
    assert len(_actions(settings, "access.denied")) == 1


def test_qualify_needs_csrf_for_cookie_sessions(client: TestClient, factory: Factory,
                                                police: Agency) -> None:
    factory.user(Role.INVESTIGATOR, agency=police, username="inv")
    login(client, "inv")
    response = client.post("/api/v1/qualify", json={"facts": _case("netcare")})
    assert response.status_code == 403


def test_jurisdictions_for_any_signed_in_user(client: TestClient, factory: Factory,
                                              police: Agency) -> None:
    factory.user(Role.TRAINER, agency=police, username="trainer")
    assert client.get("/api/v1/law/jurisdictions").status_code == 401
    headers = _api(client, "trainer")
    listing = client.get("/api/v1/law/jurisdictions", headers=headers).json()
    codes = [j["code"] for j in listing["jurisdictions"]]
    assert "XK" in codes and "PK" in codes
    pk = next(j for j in listing["jurisdictions"] if j["code"] == "PK")
    assert set(pk["tiers"]) == {"primary", "official", "reported", "unverified", "disputed"}
    one = client.get("/api/v1/law/jurisdictions/pk", headers=headers)
    assert one.status_code == 200
    body = one.json()
    assert body["profile"]["code"] == "PK" and body["profile"]["statutes"][0]["sources"]
    assert sum(body["tiers"][t] for t in ("primary", "official", "reported", "unverified")) \
        == len(body["rules"])
    labels = {"primary": "verified (statute text)", "official": "official summary",
              "reported": "press or NGO report", "unverified": "unverified"}
    assert all(r["tier_label"] == labels[r["tier"]] for r in body["rules"])
    review = client.get("/api/v1/law/review?jurisdiction=PK", headers=headers).json()
    assert all(r["tier"] != "primary" for r in review["jurisdictions"][0]["rules"])
    missing = client.get("/api/v1/law/jurisdictions/QQ", headers=headers)
    assert missing.status_code == 404 and "PK" in missing.json()["message"]
