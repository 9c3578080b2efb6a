"""Admin pages: least privilege, validation in place, conflicts, audit log page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import Factory, csrf_from, login
from tipor.accounts.models import Agency, Role, User
from tipor.audit.models import AuditEntry
from tipor.db import open_session
from tipor.settings import Settings

ADMIN_PAGES = ["/admin/agencies", "/admin/users", "/admin/audit"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_refused_from_admin_pages(client: TestClient, factory: Factory,
                                             settings: Settings, role: Role) -> None:
    user = factory.user(role)
    home = login(client, user.username)
    assert "/admin/users" not in home.text  # not even offered in the navigation
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You do not have permission" in response.text
    db = open_session(settings)
    denied = db.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "access.denied", AuditEntry.actor_username == user.username)
    ).scalar_one()
    db.close()
    assert denied == len(ADMIN_PAGES)


def test_admin_creates_agency_and_user(admin_client: TestClient, settings: Settings) -> None:
    page = admin_client.get("/admin/agencies")
    created = admin_client.post("/admin/agencies", data={
        "name": "Fictional Labour Inspectorate", "kind": "labour_inspectorate", "country": "np",
        "csrf_token": csrf_from(page.text)})
    assert created.status_code == 200 and "Fictional Labour Inspectorate" in created.text
    db = open_session(settings)
    agency = db.execute(select(Agency).where(Agency.name == "Fictional Labour Inspectorate")).scalar_one()
    db.close()
    users = admin_client.get("/admin/users")
    made = admin_client.post("/admin/users", data={
        "username": "inspector1", "display_name": "Fictional Inspector", "agency_id": agency.id,
        "role": "investigator", "language": "ur", "password": "Inspector-Strong-9!",
        "csrf_token": csrf_from(users.text)})
    assert made.status_code == 200 and "inspector1" in made.text


def _count(settings: Settings, model: type) -> int:
    db = open_session(settings)
    n = db.execute(select(func.count()).select_from(model)).scalar_one()
    db.close()
    return int(n)


def test_bad_agency_form_names_field_and_stores_nothing(admin_client: TestClient,
                                                       settings: Settings) -> None:
    before = _count(settings, Agency)
    page = admin_client.get("/admin/agencies")
    response = admin_client.post("/admin/agencies", data={
        "name": "Fictional Agency", "kind": "army", "country": "12",
        "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    assert "<strong>kind</strong>" in response.text and "<strong>country</strong>" in response.text
    assert 'value="Fictional Agency"' in response.text  # what was typed is kept
    assert _count(settings, Agency) == before


def test_weak_password_form_keeps_input_stores_nothing(admin_client: TestClient,
                                                       settings: Settings, factory: Factory) -> None:
    agency = factory.agency()
    before = _count(settings, User)
    page = admin_client.get("/admin/users")
    response = admin_client.post("/admin/users", data={
        "username": "weak1", "display_name": "Fictional Weak", "agency_id": agency.id,
        "role": "analyst", "password": "abc", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422 and "<strong>password</strong>" in response.text
    assert 'value="weak1"' in response.text  # the username is kept for correction ...
    password_input = response.text.split('id="u-password"', 1)[1].split(">", 1)[0]
    assert "value=" not in password_input  # ... but the typed password is never sent back
    assert _count(settings, User) == before


def test_stale_edit_is_refused_with_conflict(admin_client: TestClient, factory: Factory) -> None:
    agency = factory.agency()
    first = admin_client.get(f"/admin/agencies/{agency.id}")
    second = admin_client.get(f"/admin/agencies/{agency.id}")  # another tab, same version
    token = csrf_from(first.text)
    ok = admin_client.post(f"/admin/agencies/{agency.id}", data={
        "version": "1", "name": "Fictional Renamed A", "kind": "police", "country": "PK",
        "is_active": "on", "csrf_token": token})
    assert ok.status_code == 200
    stale = admin_client.post(f"/admin/agencies/{agency.id}", data={
        "version": "1", "name": "Fictional Renamed B", "kind": "police", "country": "PK",
        "is_active": "on", "csrf_token": csrf_from(second.text)})
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.text and "Fictional Renamed A" in stale.text


def test_audit_page_filters_and_verifies(admin_client: TestClient) -> None:
    page = admin_client.get("/admin/audit", params={"action": "login"})
    assert page.status_code == 200
    rows = page.text.split('<tbody dir="ltr">', 1)[1].split("</tbody>", 1)[0]
    assert "login" in rows and "agency.create" not in rows
    verified = admin_client.get("/admin/audit", params={"verify": "true"})
    assert "The audit chain is intact" in verified.text
