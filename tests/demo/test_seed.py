"""Demo data: deterministic, fictional, one account per role, each seeing what its role allows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from tests.conftest import csrf_from
from tipor import migrate
from tipor.accounts.models import User
from tipor.db import open_session
from tipor.demo.seed import DEMO_PASSWORD, demo_totp_secret, seed_demo
from tipor.security import totp
from tipor.security.crypto import Keyring
from tipor.settings import Settings

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def seeded(settings: Settings, keyring: Keyring) -> Settings:
    db = open_session(settings)
    seed_demo(db, seed=7, cases=6, keyring=keyring, today=TODAY)
    db.commit()
    db.close()
    return settings


def _sign_in(client: TestClient, username: str) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                           "csrf_token": csrf_from(page.text)})
    if response.url.path == "/login/totp":
        response = client.post("/login/totp", data={
            "code": totp.current_code(demo_totp_secret(7)), "csrf_token": csrf_from(response.text)})
    assert response.url.path == "/", (username, response.status_code)


# username → (may open /cases, may open /admin/users)
EXPECTED = {
    "admin": (False, True), "investigator": (True, False), "prosecutor": (True, False),
    "clinician": (True, False), "caseworker": (True, False), "helpline": (True, False),
    "analyst": (True, False), "trainer": (False, False),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_demo_account_sees_what_its_role_allows(seeded: Settings, client: TestClient,
                                                     username: str) -> None:
    _sign_in(client, username)
    cases_ok, admin_ok = EXPECTED[username]
    assert (client.get("/cases").status_code == 200) is cases_ok
    assert (client.get("/admin/users").status_code == 200) is admin_ok


def test_cases_are_spread_over_agencies_and_only_owners_see_them(seeded: Settings,
                                                                 client: TestClient) -> None:
    _sign_in(client, "investigator")
    police_cases = client.get("/api/v1/cases").json()["total"]
    client.cookies.clear()
    _sign_in(client, "caseworker")
    ngo_cases = client.get("/api/v1/cases").json()["total"]
    assert police_cases == 2 and ngo_cases >= 2


def _seed_fresh(path: Path, keyring: Keyring) -> tuple[list[str], list[str]]:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    db = open_session(Settings(database_url=url))
    seed_demo(db, seed=11, cases=4, keyring=keyring, today=TODAY)
    db.commit()
    titles = list(db.execute(text("SELECT title FROM cases ORDER BY id")).scalars())
    names = list(db.execute(select(User.display_name).order_by(User.id)).scalars())
    db.close()
    return titles, names


def test_demo_is_deterministic_and_fictional(tmp_path: Path, keyring: Keyring) -> None:
    first = _seed_fresh(tmp_path / "a.sqlite3", keyring)
    second = _seed_fresh(tmp_path / "b.sqlite3", keyring)
    assert first == second and len(first[0]) == 4
    titles, names = first
    assert all(n.startswith("Fictional ") for n in names)
    assert all(t.startswith("Fictional case") for t in titles)
