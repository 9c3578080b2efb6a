"""The JSON API: token and session auth, field-naming 4xx errors, conflicts, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import Agency, Role
from tipor.audit.models import AuditEntry
from tipor.db import open_session
from tipor.settings import Settings


def _token(client: TestClient, username: str) -> str:
    home = login(client, username)
    response = client.post("/api/v1/tokens", json={"name": "t", "days": 1},
                           headers={"X-CSRF-Token": csrf_from(home.text)})
    assert response.status_code == 201, response.text
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    return str(response.json()["token"])


@pytest.fixture
def admin_token(admin_client: TestClient) -> dict[str, str]:
    page = admin_client.get("/")
    response = admin_client.post("/api/v1/tokens", json={"name": "admin-script"},
                                 headers={"X-CSRF-Token": csrf_from(page.text)})
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _agencies(settings: Settings) -> int:
    db = open_session(settings)
    n = db.execute(select(func.count()).select_from(Agency)).scalar_one()
    db.close()
    return int(n)


def test_unauthenticated_api_gets_401_json(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"] == "LoginRequired"


def test_token_auth_me(client: TestClient, factory: Factory) -> None:
    user = factory.user(Role.PROSECUTOR)
    token = _token(client, user.username)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["user"]["username"] == user.username and "law.qualify" in body["permissions"]
    assert "password_hash" not in me.text and "totp_secret" not in me.text
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer tpr_nonsense"})
    assert bad.status_code == 401


def test_session_api_write_needs_csrf_header(client: TestClient, factory: Factory) -> None:
    user = factory.user()
    login(client, user.username)
    response = client.post("/api/v1/tokens", json={"name": "no-header"})
    assert response.status_code == 403 and response.json()["error"] == "CsrfFailed"


def test_non_admin_token_refused_admin_endpoints(client: TestClient, factory: Factory,
                                                 settings: Settings) -> None:
    user = factory.user(Role.CASEWORKER)
    token = _token(client, user.username)
    headers = {"Authorization": f"Bearer {token}"}
    agencies = _agencies(settings)
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert client.get("/api/v1/audit", headers=headers).status_code == 403
    response = client.post("/api/v1/agencies", headers=headers,
                           json={"name": "X Agency", "kind": "ngo", "country": "PK"})
    assert response.status_code == 403 and response.json()["error"] == "PermissionDenied"
    unlock = client.post(f"/api/v1/users/{user.id}/unlock", headers=headers)
    assert unlock.status_code == 403
    assert _agencies(settings) == agencies
    db = open_session(settings)  # the account services refused, and their refusals are kept
    denied = db.execute(select(AuditEntry.action).where(
        AuditEntry.outcome == "denied", AuditEntry.actor_username == user.username)
        .order_by(AuditEntry.seq)).scalars().all()
    db.close()
    assert denied == ["user.list", "access.denied", "agency.create", "user.unlock"]


@pytest.mark.parametrize("body,field", [
    ({"name": "Fictional A", "kind": "army", "country": "PK"}, "kind"),
    ({"name": "Fictional A", "kind": "ngo", "country": "P1"}, "country"),
    ({"kind": "ngo", "country": "PK"}, "name"),
    ({"name": "Fictional A", "kind": "ngo", "country": "PK", "extra": 1}, "extra"),
])
def test_invalid_json_names_the_field(client: TestClient, admin_token: dict[str, str],
                                      settings: Settings, body: dict[str, Any], field: str) -> None:
    before = _agencies(settings)
    response = client.post("/api/v1/agencies", headers=admin_token, json=body)
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["problems"]]
    assert _agencies(settings) == before


def test_malformed_json_is_422_not_500(client: TestClient, admin_token: dict[str, str]) -> None:
    response = client.post("/api/v1/agencies", content=b"{not json",
                           headers=admin_token | {"Content-Type": "application/json"})
    assert response.status_code == 422 and "message" in response.json()


def test_stale_patch_gets_409_with_current_values(client: TestClient, admin_token: dict[str, str],
                                                  factory: Factory) -> None:
    agency = factory.agency()
    first = client.patch(f"/api/v1/agencies/{agency.id}", headers=admin_token,
                         json={"version": 1, "name": "Fictional First"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(f"/api/v1/agencies/{agency.id}", headers=admin_token,
                         json={"version": 1, "name": "Fictional Second"})
    assert stale.status_code == 409
    assert stale.json()["conflict"]["current"]["name"] == "Fictional First"


def test_duplicate_is_409(client: TestClient, admin_token: dict[str, str]) -> None:
    body = {"name": "Fictional Twin", "kind": "ngo", "country": "PK"}
    assert client.post("/api/v1/agencies", headers=admin_token, json=body).status_code == 201
    assert client.post("/api/v1/agencies", headers=admin_token, json=body).status_code == 409


def test_audit_api_search_and_verify(client: TestClient, admin_token: dict[str, str]) -> None:
    page = client.get("/api/v1/audit", headers=admin_token, params={"action": "login"})
    assert page.status_code == 200 and page.json()["total"] >= 1
    assert all(item["action"] == "login" for item in page.json()["items"])
    verdict = client.get("/api/v1/audit/verify", headers=admin_token).json()
    assert verdict["ok"] is True and verdict["checked"] > 0


@pytest.mark.parametrize("until,status", [("0.5", 422), ("1700000000", 422),
                                          ("2026-01-01T00:00:00Z", 200)])
def test_audit_times_are_iso_not_numbers(client: TestClient, admin_token: dict[str, str],
                                         until: str, status: int) -> None:
    response = client.get("/api/v1/audit", headers=admin_token, params={"until": until})
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["problems"][0]["field"] == "until"
        assert "ISO 8601" in response.json()["problems"][0]["message"]


def test_openapi_lists_versioned_operations(client: TestClient,
                                            admin_token: dict[str, str]) -> None:
    spec = client.get("/api/v1/openapi.json", headers=admin_token).json()
    assert "/api/v1/agencies" in spec["paths"]
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"agencies-create", "audit-verify", "me-read"} <= ops


def test_unknown_api_route_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"] == "HTTPError"
