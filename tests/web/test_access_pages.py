"""Over HTTP: deactivation, password change, sign out everywhere and token revocation end
access at once; forwarded headers only count from trusted proxies; the last admin stays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Factory, csrf_from, login
from tests.web.conftest import ADMIN_SECRET, enrol_admin
from tipor.accounts.models import Role, User
from tipor.audit.models import AuditEntry
from tipor.cases.models import Case
from tipor.db import open_session
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings
from tipor.web.app import create_app


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Small throttle limits, so a test needs few (slow, argon2) attempts."""
    return Settings(mode="test", database_url=db_url, data_dir=tmp_path / "data",
                    login_max_failures_address=3, login_max_failures_account=5)


@pytest.fixture
def browser2(app: Any) -> Iterator[TestClient]:
    """A second browser of the same person (another computer)."""
    with TestClient(app) as c:
        yield c


class Person:
    """One user signed in on two browsers, with one API token."""

    def __init__(self, one: TestClient, two: TestClient, username: str) -> None:
        self.one, self.two = one, two
        home = login(one, username)
        login(two, username)
        made = one.post("/api/v1/tokens", json={"name": "script"},
                        headers={"X-CSRF-Token": csrf_from(home.text)})
        assert made.status_code == 201
        self.token = {"Authorization": f"Bearer {made.json()['token']}"}

    def form(self, path: str, data: dict[str, str] | None = None) -> Any:
        page = self.one.get("/account")
        return self.one.post(path, data=(data or {}) | {"csrf_token": csrf_from(page.text)})

    def state(self) -> tuple[bool, bool, bool]:
        """Whether browser one, browser two and the token still get in."""
        return (self.one.get("/").url.path == "/", self.two.get("/").url.path == "/",
                self.one.get("/api/v1/me", headers=self.token).status_code == 200)


def _count(settings: Settings, model: type, *where: Any) -> int:
    db = open_session(settings)
    n = db.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
    db.close()
    return int(n)


def test_deactivated_agency_session_and_token_are_refused(
        admin_client: TestClient, browser2: TestClient, app: Any, factory: Factory,
        settings: Settings) -> None:
    agency = factory.agency(name="Fictional Closing Unit")
    user = factory.user(Role.INVESTIGATOR, agency=agency)
    with TestClient(app) as one:
        person = Person(one, browser2, user.username)
        assert person.state() == (True, True, True)
        page = admin_client.get(f"/admin/agencies/{agency.id}")
        done = admin_client.post(f"/admin/agencies/{agency.id}", data={
            "version": "1", "name": agency.name, "kind": "police", "country": "PK",
            "csrf_token": csrf_from(page.text)})  # is_active unticked
        assert done.status_code == 200
        assert person.state() == (False, False, False)
        before = _count(settings, Case)
        created = one.post("/api/v1/cases", json={"title": "Fictional case after closing"},
                           headers=person.token)
        assert created.status_code == 401 and _count(settings, Case) == before


def test_password_change_ends_other_sessions_and_tokens(
        client: TestClient, browser2: TestClient, factory: Factory) -> None:
    person = Person(client, browser2, factory.user().username)
    wrong = person.form("/account/password", {"current_password": "Not-Mine-At-All-1!",
                                              "new_password": "Brand-New-Passphrase-77!"})
    assert wrong.status_code == 401 and person.state() == (True, True, True)
    done = person.form("/account/password", {"current_password": PASSWORD,
                                             "new_password": "Brand-New-Passphrase-77!"})
    assert done.status_code == 200 and 'id="account-done"' in done.text
    assert person.state() == (True, False, False)


def test_sign_out_everywhere_page(client: TestClient, browser2: TestClient,
                                  factory: Factory) -> None:
    person = Person(client, browser2, factory.user().username)
    done = person.form("/account/sign-out-everywhere")
    assert done.status_code == 200 and "Every other session has ended" in done.text
    assert person.state() == (True, False, False)


def test_sign_out_everywhere_api_keeps_the_calling_token(
        client: TestClient, browser2: TestClient, factory: Factory, settings: Settings) -> None:
    person = Person(client, browser2, factory.user().username)
    ended = client.post("/api/v1/sessions/sign-out-everywhere", headers=person.token)
    assert ended.status_code == 200
    assert person.state() == (False, False, True)
    assert _count(settings, AuditEntry, AuditEntry.action == "access.end") == 1


def test_token_revocation_page_and_api(client: TestClient, browser2: TestClient,
                                       factory: Factory) -> None:
    person = Person(client, browser2, factory.user().username)
    listed = client.get("/api/v1/tokens", headers=person.token).json()
    assert [t["name"] for t in listed] == ["script"] and "token" not in listed[0]
    page = person.form("/account/tokens", {"name": "second", "days": "5"})
    second = {"Authorization": "Bearer " + page.text.split('id="new-token" dir="ltr">')[1]
              .split("<")[0]}
    assert client.get("/api/v1/me", headers=second).status_code == 200
    token_id = client.get("/api/v1/tokens", headers=person.token).json()[0]["id"]
    revoked = person.form(f"/account/tokens/{token_id}/revoke")
    assert revoked.status_code == 200 and "The token is revoked" in revoked.text
    assert client.get("/api/v1/me", headers=second).status_code == 401
    first_id = listed[0]["id"]
    gone = client.delete(f"/api/v1/tokens/{first_id}", headers=person.token)
    assert gone.status_code == 200 and gone.json()["revoked"] is True
    assert client.get("/api/v1/me", headers=person.token).status_code == 401


def test_nobody_revokes_another_users_token(client: TestClient, browser2: TestClient,
                                            factory: Factory) -> None:
    owner = Person(client, browser2, factory.user().username)
    token_id = client.get("/api/v1/tokens", headers=owner.token).json()[0]["id"]
    with TestClient(client.app) as one, TestClient(client.app) as two:
        thief = Person(one, two, factory.user().username)
        response = one.delete(f"/api/v1/tokens/{token_id}", headers=thief.token)
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers=owner.token).status_code == 200


def _wrong_logins(client: TestClient, username: str, n: int, forwarded: list[str]) -> None:
    for i in range(n):
        page = client.get("/login")
        response = client.post("/login", data={
            "username": username, "password": "Wrong-Password-00!",
            "csrf_token": csrf_from(page.text)}, headers={"X-Forwarded-For": forwarded[i]})
        assert response.status_code == 401


def test_spoofed_forwarded_for_does_not_reset_the_throttle(
        client: TestClient, factory: Factory, settings: Settings) -> None:
    user = factory.user()
    _wrong_logins(client, user.username, settings.login_max_failures_address,
                  [f"198.51.100.{i}" for i in range(10)])
    page = client.get("/login")
    response = client.post("/login", data={
        "username": user.username, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        headers={"X-Forwarded-For": "198.51.100.99"})
    assert response.status_code == 429 and "this address" in response.text


def test_forwarded_for_is_believed_from_a_trusted_proxy(factory: Factory,
                                                        settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.5"}))
    user = factory.user()
    with TestClient(app, client=("10.0.0.5", 4000)) as proxy:
        _wrong_logins(proxy, user.username, settings.login_max_failures_address,
                      ["198.51.100.1"] * 10)
        page = proxy.get("/login")
        ok = proxy.post("/login", data={
            "username": user.username, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
            headers={"X-Forwarded-For": "198.51.100.2"})
    assert ok.status_code == 200 and ok.url.path == "/"  # another client behind the proxy
    db = open_session(settings)
    last = db.execute(select(AuditEntry).where(AuditEntry.action == "login")
                      .order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    db.close()
    assert (last.outcome, last.ip) == ("success", "198.51.100.2")


def _admin_id(settings: Settings) -> int:
    db = open_session(settings)
    found = db.execute(select(User.id).where(User.username == "admin1")).scalar_one()
    db.close()
    return int(found)


def test_last_admin_cannot_deactivate_itself(admin_client: TestClient,
                                             settings: Settings) -> None:
    admin_id = _admin_id(settings)
    page = admin_client.get(f"/admin/users/{admin_id}")
    version = page.text.split('name="version" value="', 1)[1].split('"', 1)[0]
    refused = admin_client.post(f"/admin/users/{admin_id}", data={
        "version": version, "display_name": "Fictional Tester", "agency_id": "1", "role": "admin",
        "language": "en", "csrf_token": csrf_from(page.text)})  # is_active unticked
    assert refused.status_code == 409 and "last active administrator" in refused.text
    assert "Someone else changed this record" not in refused.text
    home = admin_client.get("/")
    demote = admin_client.patch(f"/api/v1/users/{admin_id}", json={"version": int(version),
                                "role": "investigator"},
                                headers={"X-CSRF-Token": csrf_from(home.text)})
    assert demote.status_code == 409 and "last active administrator" in demote.json()["message"]
    assert _count(settings, User, User.id == admin_id, User.is_active.is_(True),
                  User.role == Role.ADMIN) == 1


def test_admin_unlocks_a_locked_account(admin_client: TestClient, app: Any, factory: Factory,
                                        settings: Settings) -> None:
    user = factory.user()
    for i in range(settings.login_max_failures_account):  # from several addresses
        with TestClient(app, client=(f"203.0.113.{i}", 4000)) as attacker:
            _wrong_logins(attacker, user.username, 1, ["x"])
    with TestClient(app, client=("192.0.2.10", 4000)) as own:
        assert login(own, user.username).status_code == 429
        listing = admin_client.get("/admin/users")
        row = listing.text.split(f">{user.username}</a>", 1)[1].split("</tr>", 1)[0]
        assert row.endswith("<td>Yes</td>")  # the Locked column
        page = admin_client.get(f"/admin/users/{user.id}")
        assert 'id="unlock"' in page.text
        done = admin_client.post(f"/admin/users/{user.id}/unlock",
                                 data={"csrf_token": csrf_from(page.text)})
        assert done.status_code == 200 and 'id="unlocked"' in done.text
        assert 'id="unlock"' not in done.text
        assert login(own, user.username).url.path == "/"
    db = open_session(settings)
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "user.unlock")).scalar_one()
    db.close()
    assert (entry.actor_username, entry.object_id) == ("admin1", str(user.id))


def test_second_factor_guesses_are_throttled_on_the_page(
        client: TestClient, factory: Factory, settings: Settings, keyring: Keyring) -> None:
    enrol_admin(settings, factory, keyring)
    first = login(client, "admin1")
    assert first.url.path == "/login/totp"
    token = csrf_from(first.text)
    wrong = f"{(int(totp.current_code(ADMIN_SECRET)) + 500000) % 1000000:06d}"
    for _ in range(settings.login_max_failures_address):
        assert client.post("/login/totp", data={"code": wrong, "csrf_token": token}
                           ).status_code == 401
    right = client.post("/login/totp", data={"code": totp.current_code(ADMIN_SECRET),
                                             "csrf_token": token})
    assert right.status_code == 429 and "Too many failed sign-in attempts" in right.text
    assert client.get("/").url.path == "/login/totp"  # still not signed in
